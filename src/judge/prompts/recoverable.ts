// recoverable(episode, prefixLength): the oracle of the binary search for
// the first error. Shows only the first prefixLength messages.
import { transcriptPrompt } from './template.js';

/** The default prompt of `recoverable`: can the team still succeed after the prefix shown? */
export const recoverablePrompt = transcriptPrompt('recoverable-1', 'recoverablePrompt', (view) => [
  `You see only the first ${view.messages.length} of the run's ${view.total} messages.`,
  'Decide whether the team can still accomplish the task from this point: false when a mistake has already been made that no later message in view has corrected and that dooms the run if nobody corrects it; true otherwise.',
  'Reply with JSON only: {"recoverable": <true or false>, "reason": "<one line>"}',
]);
