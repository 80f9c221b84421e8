// The default prompts of the four judgements.
import { labelsPrompt } from './labels.js';
import { prefixValuesPrompt } from './prefix-values.js';
import { recoverablePrompt } from './recoverable.js';
import type { JudgePrompts } from './template.js';
import { valuePrompt } from './value.js';

/** The default prompt of each judgement; createJudge's `prompts` option replaces some of them. */
export const DEFAULT_PROMPTS: JudgePrompts = {
  value: valuePrompt,
  labels: labelsPrompt,
  prefixValues: prefixValuesPrompt,
  recoverable: recoverablePrompt,
};

export { labelsPrompt, prefixValuesPrompt, recoverablePrompt, valuePrompt };
export { TRANSCRIPT_GUIDE } from './template.js';
export type { ChatMessage, JudgePrompts, PromptTemplate } from './template.js';
