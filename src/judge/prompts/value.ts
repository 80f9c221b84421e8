// value(episode): how well the (possibly counterfactual) transcript
// accomplishes the task, from 0 to 1.
import { checkedView, transcriptText } from '../transcript.js';
import { TRANSCRIPT_GUIDE, type PromptTemplate } from './template.js';

/** The default prompt of `value`: how well the transcript accomplishes the task, from 0 to 1. */
export const valuePrompt: PromptTemplate = {
  version: 'value-1',
  render: (given) => {
    const view = checkedView(given, 'valuePrompt.render');
    return [
      {
        role: 'system',
        content: [
          TRANSCRIPT_GUIDE,
          'Rate how well the transcript accomplishes the task: 1 when the task is fully and correctly done, 0 when nothing useful is done or the final answer is wrong, a value in between for partial progress.',
          'Reply with JSON only: {"value": <number from 0 to 1>, "reason": "<one line>"}',
        ].join('\n'),
      },
      { role: 'user', content: transcriptText(view) },
    ];
  },
};
