// What every component property accepts, checked in Node: without a DOM the
// element classes are plain classes, so each setter runs as it does in a page
// (the browser test checks the same at the assignment, and the drawing kept).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attributeEpisode, parseEpisode, type Signals } from '../../src/episodes.js';
import { InputError, interactions, shapley } from '../../src/index.js';
import { CreditBarsElement } from '../../src/ui/credit-bars.js';
import { CreditWaterfallElement } from '../../src/ui/credit-waterfall.js';
import { DatasetOverviewElement } from '../../src/ui/dataset-overview.js';
import { InteractionHeatmapElement } from '../../src/ui/interaction-heatmap.js';
import { RewardTimelineElement } from '../../src/ui/reward-timeline.js';
import { TranscriptElement } from '../../src/ui/transcript.js';
import {
  checked,
  episodeIssues,
  finiteIssues,
  interactionResultIssues,
  judgementsIssues,
  shapleyResultIssues,
  signalsIssues,
  signalsListIssues,
  type Check,
} from '../../src/ui/property-checks.js';

const read = (path: string) => JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8'));
const record = read('episodes/03-book-flights.json');
const episode = parseEpisode(record);
const signals = await attributeEpisode(episode);
const other = await attributeEpisode(parseEpisode(read('episodes/01-fix-flaky-test.json')));
const game = read('three-agents.json');
const result = await shapley(game);
const sampled = await shapley(game, { method: 'permutation', budget: 10, seed: 1 });
const pairs = await interactions(game);
const judgements = episode.messages.map((m) => ({ message: m.id, label: 'helpful', score: 0.5, reason: 'why' }));

/** `value` with the field at `path` (dot- and index-separated) set to `field`. */
function withField<T>(value: T, path: string, field: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys[keys.length - 1]] = field;
  return copy as T;
}

interface Case {
  check: Check;
  good: unknown[];
  /** Each bad value, the path of its first issue under `p` and that issue's message. */
  bad: Array<[unknown, string, string]>;
}

const CASES: Record<string, Case> = {
  signals: {
    check: signalsIssues,
    good: [
      signals,
      other,
      { ...signals, interactions: null, firstError: null, messages: [] },
      // What summarize always read: the rest may be left out.
      { success: true, agents: [{ agent: 'a', credit: 0.5 }] },
      { ...signals, agents: signals.agents.map((a) => ({ ...a, credit: null, stderr: null })), interactions: null },
    ],
    bad: [
      [5, 'p', 'expected the Signals of an episode { success, agents, interactions, messages, firstError } (what attributeEpisode returns), got 5'],
      [[signals], 'p', 'expected the Signals of an episode { success, agents, interactions, messages, firstError } (what attributeEpisode returns), got an array of 1'],
      [withField(signals, 'success', 1), 'p.success', 'expected true or false, got 1'],
      [withField(signals, 'agents', 'abc'), 'p.agents', 'expected an array of { agent, credit, stderr }, got "abc"'],
      [withField(signals, 'agents.1', null), 'p.agents[1]', 'expected { agent, credit, stderr }, got null'],
      [withField(signals, 'agents.2.credit', '0.5'), 'p.agents[2].credit', 'expected a finite number or null, got "0.5"'],
      [withField(signals, 'agents.0.credit', undefined), 'p.agents[0].credit', 'expected a finite number or null, got undefined'],
      [withField(signals, 'agents.0.agent', 3), 'p.agents[0].agent', "expected the agent's name as a string, got 3"],
      [withField(signals, 'agents.0.stderr', -0.1), 'p.agents[0].stderr', 'expected a standard error (a finite number from 0) or null, got -0.1'],
      [withField(signals, 'interactions', [[0]]), 'p.interactions', 'expected null or one row of 3 numbers per agent, got an array of 1'],
      [withField(signals, 'interactions.1', [0, 0]), 'p.interactions[1]', 'expected 3 numbers (one per agent), got 2'],
      [withField(signals, 'interactions.1.2', Infinity), 'p.interactions[1][2]', 'expected a finite number, got Infinity'],
      [withField(signals, 'messages', {}), 'p.messages', 'expected an array of { id, agent, reward }, got object'],
      [withField(signals, 'messages.0.reward', '0.5'), 'p.messages[0].reward', `expected the message's reward as a finite number, got "0.5"`],
      [withField(signals, 'messages.1.id', 1), 'p.messages[1].id', 'expected the message id as a string, got 1'],
      [withField(signals, 'messages.1.agent', null), 'p.messages[1].agent', 'expected the speaker as a string, got null'],
      [withField(signals, 'firstError', 'm1'), 'p.firstError', 'expected null or the first error { id, index, agent, strategy }, got "m1"'],
      [withField(signals, 'firstError.index', -1), 'p.firstError.index', 'expected the message index, an integer from 0, got -1'],
      [withField(signals, 'firstError.id', 1), 'p.firstError.id', 'expected the message id as a string, got 1'],
      [withField(signals, 'firstError.agent', undefined), 'p.firstError.agent', "expected the agent's name as a string, got undefined"],
      [withField(signals, 'firstError.strategy', {}), 'p.firstError.strategy', 'expected the strategy that found it as a string, got object'],
    ],
  },
  'signals (a dataset)': {
    check: signalsListIssues,
    good: [[], [signals, other]],
    bad: [
      [null, 'p', 'expected an array of Signals (what attributeEpisodes returns), got null'],
      [signals, 'p', 'expected an array of Signals (what attributeEpisodes returns), got object'],
      [[signals, null], 'p[1]', 'expected the Signals of an episode { success, agents, interactions, messages, firstError } (what attributeEpisode returns), got null'],
      [[signals, withField(other, 'agents.0.credit', '1')], 'p[1].agents[0].credit', 'expected a finite number or null, got "1"'],
    ],
  },
  'result, credits (a ShapleyResult)': {
    check: shapleyResultIssues,
    good: [result, sampled, { ...result, values: Array.from(result.values) }, { ...sampled, stderr: Array.from(sampled.stderr!) }],
    bad: [
      [{}, 'p.players', "expected the players' names as an array of strings, got undefined"],
      [[result], 'p', 'expected a ShapleyResult { players, values, stderr, method, evaluations } (what shapley() returns), got an array of 1'],
      [{ ...result, players: ['a', 2, 'c'] }, 'p.players[1]', "expected the player's name as a string, got 2"],
      [{ ...result, values: Float64Array.of(1, 2) }, 'p.values', 'expected 3 numbers (one per player), got 2'],
      [{ ...result, values: [0.1, '0.2', 0.3] }, 'p.values[1]', 'expected a finite number, got "0.2"'],
      [{ ...result, values: Float64Array.of(0.1, NaN, 0.3) }, 'p.values[1]', 'expected a finite number, got NaN'],
      [{ ...result, values: 'abc' }, 'p.values', 'expected a Float64Array (or an array) of finite numbers, one per player, got "abc"'],
      [{ ...result, stderr: undefined }, 'p.stderr', 'expected a Float64Array (or an array) of finite numbers, standard errors, one per player, or null, got undefined'],
      [{ ...sampled, stderr: Float64Array.of(0, -1, 0) }, 'p.stderr[1]', 'expected a finite number from 0, got -1'],
      [{ ...result, method: null }, 'p.method', 'expected the method as a string, got null'],
      [{ ...result, evaluations: 2.5 }, 'p.evaluations', 'expected the number of evaluations, an integer from 0, got 2.5'],
    ],
  },
  'result (an InteractionResult)': {
    check: interactionResultIssues,
    good: [pairs, { ...pairs, matrix: Array.from(pairs.matrix) }],
    bad: [
      [null, 'p', 'expected an InteractionResult { players, matrix } (what interactions() returns), got null'],
      [{ players: pairs.players }, 'p.matrix', 'expected a Float64Array (or an array) of finite numbers, n x n, row by row, got undefined'],
      [{ ...pairs, matrix: pairs.matrix.subarray(1) }, 'p.matrix', 'expected 9 numbers (n x n, row by row), got 8'],
      [{ ...pairs, matrix: Array.from(pairs.matrix, (v, i) => (i === 4 ? null : v)) }, 'p.matrix[4]', 'expected a finite number, got null'],
      [{ ...pairs, players: 'abc' }, 'p.players', `expected the players' names as an array of strings, got "abc"`],
    ],
  },
  episode: {
    check: episodeIssues,
    good: [episode, record, { messages: [] }, { messages: [{ agent: 'a', content: 'hi', id: null, label: null }], task: null, repairs: null, table: null, coalitions: null, outcome: null }, { messages: [], table: Float64Array.of(0.1, 0.2) }],
    bad: [
      ['x', 'p', 'expected an episode { messages, task, repairs, table, coalitions, outcome } (an Episode or its record), got "x"'],
      [{ messages: 'x' }, 'p.messages', 'expected the messages as an array of { id, agent, content }, got "x"'],
      [withField(record, 'messages.2', 'hi'), 'p.messages[2]', 'expected a message { id, agent, content }, got "hi"'],
      [withField(record, 'messages.2.content', 42), 'p.messages[2].content', 'expected the content as a string, got 42'],
      [withField(record, 'messages.2.agent', undefined), 'p.messages[2].agent', 'expected the speaker as a string, got undefined'],
      // A numeric id would match no reward (rewards are keyed by string ids): a transcript without its rewards, in silence.
      [withField(record, 'messages.2.id', 2), 'p.messages[2].id', 'expected the message id as a string, got 2'],
      [withField(record, 'messages.2.label', true), 'p.messages[2].label', 'expected the label as a string, got true'],
      [withField(record, 'task', 7), 'p.task', 'expected the task as a string, got 7'],
      [withField(record, 'repairs', 'fix'), 'p.repairs', 'expected an array of { message, content }, got "fix"'],
      [withField(record, 'repairs.0.content', null), 'p.repairs[0].content', 'expected the content as a string, got null'],
      [withField(record, 'repairs.0.message', 1), 'p.repairs[0].message', 'expected the id of the message repaired as a string, got 1'],
      [{ messages: [], table: [0.1, 0.2, 0.3] }, 'p.table', 'expected null or a coalition table of 2^n finite numbers, got an array of 3'],
      [{ messages: [], table: [] }, 'p.table', 'expected null or a coalition table of 2^n finite numbers, got an array of 0'],
      [{ messages: [], table: ['0', 1] }, 'p.table[0]', 'expected a finite number, got "0"'],
      [withField(record, 'coalitions', {}), 'p.coalitions', 'expected an array of { agents, value }, got object'],
      [withField(record, 'coalitions.0.value', '0'), 'p.coalitions[0].value', `expected the coalition's value as a finite number, got "0"`],
      [withField(record, 'coalitions.0.agents', 'a'), 'p.coalitions[0].agents', `expected the coalition's agents as an array, got "a"`],
      [withField(record, 'outcome', 1), 'p.outcome', 'expected the outcome { score, success }, got 1'],
      [withField(record, 'outcome.score', '0.3'), 'p.outcome.score', 'expected the score as a finite number, got "0.3"'],
    ],
  },
  judgements: {
    check: judgementsIssues,
    good: [[], judgements],
    bad: [
      [judgements[0], 'p', 'expected an array of judgements { message, label, score, reason } (what judge.labels() returns), got object'],
      [[null], 'p[0]', 'expected a judgement { message, label, score, reason }, got null'],
      [[judgements[0], { ...judgements[1], message: 1 }], 'p[1].message', 'expected the message id as a string, got 1'],
      [[{ ...judgements[0], label: null }], 'p[0].label', 'expected the label as a string, got null'],
      [[{ ...judgements[0], reason: {} }], 'p[0].reason', 'expected the reason as a string, got object'],
    ],
  },
  'emptyValue, teamValue': {
    check: finiteIssues,
    good: [0, -1.5, 1e300],
    bad: [
      ['3', 'p', 'expected a finite number or null, got "3"'],
      [NaN, 'p', 'expected a finite number or null, got NaN'],
      [-Infinity, 'p', 'expected a finite number or null, got -Infinity'],
      [true, 'p', 'expected a finite number or null, got true'],
    ],
  },
};

describe('the checker of each shape', () => {
  for (const [name, { check, good, bad }] of Object.entries(CASES)) {
    it(`${name}: passes what the library returns and names the field of each value at fault`, () => {
      for (const value of good) expect(check(value, 'p')).toEqual([]);
      for (const [value, path, message] of bad) expect(check(value, 'p')[0], path).toEqual({ path, message });
    });
  }

  it('names every field of a value at fault, and only the first entry at fault of a list', () => {
    expect(shapleyResultIssues({}, 'p').map((issue) => issue.path)).toEqual(['p.players', 'p.values', 'p.stderr', 'p.method', 'p.evaluations']);
    const twice = withField(withField(signals, 'messages.0.reward', '1'), 'messages.1.reward', '2');
    expect(signalsIssues(twice, 'p').map((issue) => issue.path)).toEqual(['p.messages[0].reward']);
    expect(signalsIssues({ ...signals, success: null, agents: [{ agent: 1, credit: 'x', stderr: 'y' }] }, 'p').map((issue) => issue.path))
      .toEqual(['p.success', 'p.agents[0].agent', 'p.agents[0].credit', 'p.agents[0].stderr', 'p.interactions']);
  });
});

describe('checked', () => {
  it('returns the value itself when it passes, the unset value for undefined, and null where the property takes null', () => {
    expect(checked('ac-x', 'signals', signals, signalsIssues, null)).toBe(signals);
    expect(checked('ac-x', 'signals', undefined, signalsIssues, null)).toBe(null);
    expect(checked('ac-x', 'signals', null, signalsIssues, null)).toBe(null);
    const none: Signals[] = [];
    expect(checked('ac-x', 'signals', undefined, signalsListIssues, none)).toBe(none);
  });

  it('throws an InputError naming the element, the property and the field', () => {
    const bad = withField(signals, 'agents.2.credit', '0.5');
    expect(() => checked('ac-credit-bars', 'signals', bad, signalsIssues, null)).toThrow(InputError);
    expect(() => checked('ac-credit-bars', 'signals', bad, signalsIssues, null)).toThrow(/^<ac-credit-bars>\.signals\.agents\[2\]\.credit: expected a finite number or null, got "0\.5"$/);
    expect(() => checked('ac-dataset-overview', 'signals', null, signalsListIssues, [])).toThrow(/^<ac-dataset-overview>\.signals: expected an array of Signals \(what attributeEpisodes returns\), got null$/);
    try {
      checked('ac-credit-bars', 'result', {}, shapleyResultIssues, null);
    } catch (error) {
      expect((error as InputError).issues.map((issue) => issue.path)).toEqual(['players', 'values', 'stderr', 'method', 'evaluations'].map((field) => `<ac-credit-bars>.result.${field}`));
      expect((error as Error).message).toMatch(/^5 problems\n {2}- <ac-credit-bars>\.result\.players: expected the players' names as an array of strings, got undefined\n/);
    }
    expect.assertions(5);
  });
});

type Element = Record<string, unknown>;

/** Every property of every component: its element, a value it takes and one it refuses (with the message's path). */
const PROPERTIES: Array<[string, () => Element, string, unknown, unknown, string]> = [
  ['ac-credit-bars', () => new CreditBarsElement() as unknown as Element, 'signals', signals, withField(signals, 'agents.2.credit', '0.5'), 'signals.agents[2].credit'],
  ['ac-credit-bars', () => new CreditBarsElement() as unknown as Element, 'result', sampled, {}, 'result.players'],
  ['ac-credit-waterfall', () => new CreditWaterfallElement() as unknown as Element, 'signals', signals, 5, 'signals'],
  ['ac-credit-waterfall', () => new CreditWaterfallElement() as unknown as Element, 'result', result, { ...result, stderr: [0] }, 'result.stderr'],
  ['ac-credit-waterfall', () => new CreditWaterfallElement() as unknown as Element, 'episode', episode, { messages: 'x' }, 'episode.messages'],
  ['ac-credit-waterfall', () => new CreditWaterfallElement() as unknown as Element, 'emptyValue', 0.1, '3', 'emptyValue'],
  ['ac-credit-waterfall', () => new CreditWaterfallElement() as unknown as Element, 'teamValue', 0.9, NaN, 'teamValue'],
  ['ac-interaction-heatmap', () => new InteractionHeatmapElement() as unknown as Element, 'signals', signals, withField(signals, 'interactions.0', null), 'signals.interactions[0]'],
  ['ac-interaction-heatmap', () => new InteractionHeatmapElement() as unknown as Element, 'result', pairs, result, 'result.matrix'],
  ['ac-interaction-heatmap', () => new InteractionHeatmapElement() as unknown as Element, 'credits', result, pairs, 'credits.values'],
  ['ac-reward-timeline', () => new RewardTimelineElement() as unknown as Element, 'signals', signals, withField(signals, 'messages.0.reward', null), 'signals.messages[0].reward'],
  ['ac-reward-timeline', () => new RewardTimelineElement() as unknown as Element, 'episode', record, withField(record, 'messages.0.id', 0), 'episode.messages[0].id'],
  ['ac-transcript', () => new TranscriptElement() as unknown as Element, 'episode', episode, { messages: 'x' }, 'episode.messages'],
  ['ac-transcript', () => new TranscriptElement() as unknown as Element, 'signals', signals, withField(signals, 'firstError.strategy', undefined), 'signals.firstError.strategy'],
  ['ac-transcript', () => new TranscriptElement() as unknown as Element, 'judgements', judgements, [null], 'judgements[0]'],
  ['ac-dataset-overview', () => new DatasetOverviewElement() as unknown as Element, 'signals', [signals, other], null, 'signals'],
];

describe('every component property', () => {
  for (const [tag, create, property, good, bad, path] of PROPERTIES) {
    it(`<${tag}>.${property}: takes a good value; a bad one throws at the assignment and leaves every property as it was`, () => {
      const element = create();
      element[property] = good;
      expect(element[property]).toBe(good);
      const names = ['signals', 'result', 'credits', 'episode', 'emptyValue', 'teamValue', 'judgements'].filter((name) => name in element);
      const before = names.map((name) => element[name]);
      expect(() => {
        element[property] = bad;
      }).toThrow(InputError);
      try {
        element[property] = bad;
      } catch (error) {
        expect((error as InputError).issues[0].path).toBe(`<${tag}>.${path}`);
        expect((error as Error).message).toContain(`<${tag}>.${path}: expected `);
      }
      expect(names.map((name) => element[name])).toEqual(before);
    });
  }

  it('setting signals keeps result when the signals are refused (a good value replaces it)', () => {
    const element = new CreditBarsElement() as unknown as Element;
    element.result = result;
    expect(() => {
      element.signals = withField(signals, 'success', 'yes');
    }).toThrow(/^<ac-credit-bars>\.signals\.success: expected true or false, got "yes"$/);
    expect([element.result, element.signals]).toEqual([result, null]);
    element.signals = signals;
    expect([element.result, element.signals]).toEqual([null, signals]);
  });
});
