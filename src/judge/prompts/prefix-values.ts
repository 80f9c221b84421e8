// prefixValues(episode): the judged probability of success after each message.
import { transcriptPrompt } from './template.js';

/** The default prompt of `prefixValues`: the probability of success after each message. */
export const prefixValuesPrompt = transcriptPrompt('prefix-values-1', 'prefixValuesPrompt', (view) => [
  'For each message, estimate the probability (from 0 to 1) that the team accomplishes the task if the run goes on from right after that message, knowing only the messages up to it.',
  'A mistake that nobody has corrected yet lowers the probability; progress raises it.',
  `Cover every message number from 1 to ${view.messages.length} exactly once, in order.`,
  'Reply with JSON only: {"messages": [{"message": 1, "success": 0.7}, ...]}',
]);
