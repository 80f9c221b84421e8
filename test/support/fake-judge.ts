// An in-process EpisodeJudge whose answers follow fixed rules, so credit and
// first errors are known exactly (the HTTP judge has its own loopback server):
//  - value: the share of the task's facts that the transcript's messages state;
//    0 when a message states a wrong fact (one in `wrong`);
//  - labels: `error` (score -1) for a message with a wrong fact, `helpful` (1)
//    for one stating a fact, else `neutral` (0);
//  - prefixValues: 0 after a wrong fact, else 0.5 + 0.5 * share of facts so far;
//  - recoverable(p): no wrong fact in the first p messages.
// It counts calls per judgement, the most calls in flight, and usage.
import { ablate } from '../../src/episodes/ablate.js';
import type { EpisodeJudge, JudgeUsage, MessageJudgement } from '../../src/episodes/judge-contract.js';

interface Transcript {
  id: string;
  messages: ReadonlyArray<{ id: string; agent: string; content: string }>;
}

export interface FakeJudgeOptions {
  facts: string[];
  wrong?: string[];
  /** Fail every value call whose coalition has exactly these agents (sorted, joined by ','). */
  failCoalition?: string;
}

const states = (text: string, phrase: string) => new RegExp(`(^|[^a-z0-9])${phrase.toLowerCase()}([^a-z0-9]|$)`).test(text.toLowerCase());

export function fakeJudge(options: FakeJudgeOptions) {
  const { facts, wrong = [] } = options;
  const calls = { value: 0, labels: 0, prefixValues: 0, recoverable: 0 };
  const coalitions: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const usage: JudgeUsage = { calls: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0, wallMs: 0 };
  const call = async <T>(kind: keyof typeof calls, answer: () => T): Promise<T> => {
    calls[kind]++;
    usage.calls++;
    usage.promptTokens += 100;
    usage.completionTokens += 10;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return answer();
    } finally {
      inFlight--;
    }
  };
  const isWrong = (text: string) => wrong.some((phrase) => states(text, phrase));
  const share = (texts: string[]) => (facts.length === 0 ? 1 : facts.filter((fact) => texts.some((text) => states(text, fact))).length / facts.length);
  const valueOf = (episode: Transcript) => {
    const texts = episode.messages.map((message) => message.content);
    return texts.some(isWrong) ? 0 : share(texts);
  };
  const judge: EpisodeJudge & { calls: typeof calls; coalitions: string[][]; maxInFlight: () => number } = {
    calls,
    coalitions,
    maxInFlight: () => maxInFlight,
    value: (episode) => call('value', () => valueOf(episode)),
    evaluator: (episode) => async (agents) => {
      coalitions.push([...agents]);
      if (options.failCoalition !== undefined && [...agents].sort().join(',') === options.failCoalition) {
        calls.value++;
        throw new Error('judge: value of episode failed for good (HTTP 500 after 2 retries)');
      }
      return call('value', () => valueOf(ablate(episode, agents)));
    },
    labels: (episode) =>
      call('labels', () =>
        episode.messages.map((message): MessageJudgement => {
          if (isWrong(message.content)) return { message: message.id, label: 'error', score: -1, reason: 'states a wrong fact' };
          if (facts.some((fact) => states(message.content, fact))) return { message: message.id, label: 'helpful', score: 1, reason: 'states a fact' };
          return { message: message.id, label: 'neutral', score: 0, reason: 'no fact' };
        }),
      ),
    prefixValues: (episode) =>
      call('prefixValues', () => {
        let lost = false;
        return episode.messages.map((_, m) => {
          const texts = episode.messages.slice(0, m + 1).map((message) => message.content);
          lost ||= isWrong(texts[m]);
          return lost ? 0 : 0.5 + 0.5 * share(texts);
        });
      }),
    recoverable: (episode, prefixLength) => call('recoverable', () => !episode.messages.slice(0, prefixLength).some((message) => isWrong(message.content))),
    usage: () => ({ ...usage }),
  };
  return judge;
}
