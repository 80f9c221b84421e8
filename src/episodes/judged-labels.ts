// Labels the judge made give way to the credit when the two contradict each
// other. An agent's credit comes from coalition values (the record's, an
// evaluator's or the judge's); a harmful/error label forces its message's
// reward below zero. When the labels leave no way to split the credit (an
// agent with positive credit whose only message the judge called an error),
// one of the two is wrong. The user can fix a label they gave, so that stays
// an error; a label the judge made they cannot fix, and the run would stop
// there on every rerun, its judgements paid for. So the judge's damaging
// labels on that agent's messages are set aside (with the judge's scores of
// those messages, which place a message within its label's band), the credit
// is split as if they were unlabeled, and a warning says so.
import type { MessageSource } from './fill.js';
import { isDamaging, type SplitFallBack } from './refine.js';
import type { EpisodeMessage } from './vocabulary.js';

/**
 * A SplitFallBack that drops the judge's harmful/error labels (and the
 * judge's scores of those messages) from an agent's messages, recording in
 * `sources` what was set aside and in `warnings` why. Undefined (the error
 * stands) when no such label is the judge's.
 */
export function judgedLabelsGiveWay(sources: readonly MessageSource[], credits: ReadonlyMap<string, number>, warnings: string[]): SplitFallBack {
  const sourceOf = new Map(sources.map((source) => [source.id, source]));
  const isJudgedDamage = (message: EpisodeMessage) => isDamaging(message.label) && sourceOf.get(message.id)?.labelSource === 'judged';
  return (agent, messages) => {
    const judged = messages.filter(isJudgedDamage);
    if (judged.length === 0) return undefined;
    for (const message of judged) setAside(sourceOf.get(message.id)!);
    warnings.push(setAsideWarning(agent, credits.get(agent)!, judged));
    return messages.map((message) => (judged.includes(message) ? withoutJudgedVerdict(message, sourceOf.get(message.id)!) : message));
  };
}

/** The message as the record gave it: the judge's label gone, and its score unless the record gave one. */
function withoutJudgedVerdict(message: EpisodeMessage, source: MessageSource): EpisodeMessage {
  const { label: _label, score, ...rest } = message;
  return source.scoreSource === 'given' ? { ...rest, score } : rest;
}

/** sources says what the reward used: no label; the judge's verdict moves to setAside. */
function setAside(source: MessageSource): void {
  const judgedScore = source.scoreSource === 'judged' ? source.score : null;
  source.setAside = { label: source.label!, score: judgedScore };
  source.label = null;
  source.labelSource = null;
  if (judgedScore !== null) {
    source.score = null;
    source.scoreSource = null;
  }
}

function setAsideWarning(agent: string, credit: number, judged: readonly EpisodeMessage[]): string {
  const named = judged.map((message) => `${JSON.stringify(message.id)} labelled ${message.label}`).join(', ');
  const these = judged.length === 1 ? 'that message' : 'those messages';
  return `agent ${JSON.stringify(agent)}: its credit ${credit} cannot be split over its messages as the judge labelled them (message ${named}: ` +
    `a harmful/error message must take a negative reward), so the judge's labels and the credit contradict each other; ` +
    `the judge's label and score of ${these} were set aside (sources.messages[].setAside) and the credit split as if ${judged.length === 1 ? 'it were' : 'they were'} unlabeled. ` +
    'Labels the record gives are never set aside';
}
