// value(episode): how well the (possibly counterfactual) transcript
// accomplishes the task, from 0 to 1.
import { transcriptPrompt } from './template.js';

/** The default prompt of `value`: how well the transcript accomplishes the task, from 0 to 1. */
export const valuePrompt = transcriptPrompt('value-1', 'valuePrompt', () => [
  'Rate how well the transcript accomplishes the task: 1 when the task is fully and correctly done, 0 when nothing useful is done or the final answer is wrong, a value in between for partial progress.',
  'Reply with JSON only: {"value": <number from 0 to 1>, "reason": "<one line>"}',
]);
