// labels(episode): one label, score and reason for every message, in one call.
import { transcriptPrompt } from './template.js';

/** The default prompt of `labels`: a label, a score in [-1, 1] and a reason for every message. */
export const labelsPrompt = transcriptPrompt('labels-1', 'labelsPrompt', (view) => [
  'Label every message with exactly one of:',
  '- helpful: moves the task forward;',
  '- neutral: neither helps nor hurts;',
  '- redundant: repeats what was already established;',
  '- harmful: works against the task without being a factual or logical mistake;',
  '- error: a wrong fact, calculation, reading or decision that the outcome depends on;',
  '- corrective: fixes an earlier error.',
  'Score each message from -1 (hurts the task most) to 1 (helps it most) and give a one-line reason.',
  `Cover every message number from 1 to ${view.messages.length} exactly once, in order.`,
  'Reply with JSON only: {"messages": [{"message": 1, "label": "helpful", "score": 0.8, "reason": "<one line>"}, ...]}',
]);
