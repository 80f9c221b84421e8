// attributeEpisode(s) with a judge or an evaluator: what the episode lacks is
// filled in, what it has is kept, and every value says where it came from.
import { describe, expect, it } from 'vitest';
import { attributeEpisode, attributeEpisodes } from '../src/episodes/attribute.js';
import { EpisodeError, type Episode } from '../src/episodes/episode.js';
import { ablate } from '../src/episodes/ablate.js';
import { fakeJudge } from './support/fake-judge.js';

// Facts: alpha (planner or critic), beta (coder), gamma (critic). v(S) = share of facts S's messages state.
// Shapley: beta -> coder 1/3, gamma -> critic 1/3, alpha shared by planner and critic 1/6 each:
// planner 1/6, coder 1/3, critic 1/2.
const facts = ['alpha', 'beta', 'gamma'];
const success = () => ({
  id: 'team-1',
  task: 'find alpha, beta and gamma',
  agents: ['planner', 'coder', 'critic'],
  context: ['user'],
  messages: [
    { id: 'u', agent: 'user', content: 'please find them' },
    { id: 'p', agent: 'planner', content: 'alpha is first' },
    { id: 'c', agent: 'coder', content: 'beta is next' },
    { id: 'k', agent: 'critic', content: 'gamma, and alpha again', label: 'helpful' as const },
    { id: 'c2', agent: 'coder', content: 'done' },
  ],
  outcome: { score: 0.9, success: true },
});
const failure = () => ({
  id: 'team-2',
  task: 'find alpha, beta and gamma',
  agents: ['planner', 'coder', 'critic'],
  context: ['user', 'tool'],
  messages: [
    { id: 'u', agent: 'user', content: 'please find them' },
    { id: 'p', agent: 'planner', content: 'alpha is first' },
    { id: 't', agent: 'tool', content: 'search says delta' },
    { id: 'c', agent: 'coder', content: 'so delta is the answer' },
    { id: 'k', agent: 'critic', content: 'agreed, delta' },
  ],
  outcome: { score: 0, success: false },
});

describe('attributeEpisode with a judge', () => {
  it('values every coalition of a success exactly, reports the judged v(team) beside outcome.score, and fills labels', async () => {
    const judge = fakeJudge({ facts });
    const signals = await attributeEpisode(success(), { judge });
    expect(signals.agents.map((agent) => agent.credit)).toEqual([1 / 6, 1 / 3, 1 / 2].map((x) => expect.closeTo(x, 12)));
    expect(signals.agents.every((agent) => agent.stderr === null)).toBe(true);
    expect(signals.interactions).toHaveLength(3);
    expect(signals.sources!.credit).toBe('judged');
    expect(signals.sources!.team).toEqual({ value: 1, source: 'judged', outcomeScore: 0.9 });
    // 2^3 coalitions, one labels call (the critic's given label is kept, its missing score judged).
    expect(judge.calls).toEqual({ value: 8, labels: 1, prefixValues: 0, recoverable: 0 });
    expect(signals.usage).toMatchObject({ calls: 9, cacheHits: 0, promptTokens: 900, completionTokens: 90 });
    expect(signals.sources!.messages).toEqual([
      { id: 'p', label: 'helpful', labelSource: 'judged', score: 1, scoreSource: 'judged' },
      { id: 'c', label: 'helpful', labelSource: 'judged', score: 1, scoreSource: 'judged' },
      { id: 'k', label: 'helpful', labelSource: 'given', score: 1, scoreSource: 'judged' },
      { id: 'c2', label: 'neutral', labelSource: 'judged', score: 0, scoreSource: 'judged' },
    ]);
    // Each agent's credit is conserved over its own messages; the user's message has no row.
    expect(signals.messages.map((message) => message.id)).toEqual(['p', 'c', 'k', 'c2']);
    const coder = signals.messages.filter((message) => message.agent === 'coder');
    expect(coder[0].reward + coder[1].reward).toBeCloseTo(1 / 3, 12);
    expect(coder[0].reward).toBeGreaterThan(coder[1].reward);
    // Every counterfactual the judge saw kept the user's message.
    expect(judge.coalitions).toHaveLength(8);
  });

  it("teamValue: 'outcome' pins v(team) to outcome.score without asking the judge for it", async () => {
    const judge = fakeJudge({ facts });
    const signals = await attributeEpisode(success(), { judge, teamValue: 'outcome' });
    expect(judge.calls.value).toBe(7);
    expect(judge.coalitions.some((coalition) => coalition.length === 3)).toBe(false);
    expect(signals.sources!.team).toEqual({ value: 0.9, source: 'given', outcomeScore: 0.9 });
    const total = signals.agents.reduce((sum, agent) => sum + agent.credit!, 0);
    expect(total).toBeCloseTo(0.9, 12);
  });

  it('keeps what the episode has: a given table and labels cost no judge calls', async () => {
    const judge = fakeJudge({ facts });
    const record = {
      ...success(),
      messages: success().messages.map((message) => ({ ...message, label: 'helpful' as const, score: 0.5 })),
      outcome: { score: 1, success: true },
      coalitions: [
        { agents: [], value: 0 }, { agents: ['planner'], value: 0.1 }, { agents: ['coder'], value: 0.2 }, { agents: ['critic'], value: 0.3 },
        { agents: ['planner', 'coder'], value: 0.4 }, { agents: ['planner', 'critic'], value: 0.5 }, { agents: ['coder', 'critic'], value: 0.6 },
      ],
    };
    const signals = await attributeEpisode(record, { judge });
    expect(judge.usage().calls).toBe(0);
    expect(signals.sources!.credit).toBe('given');
    expect(signals.sources!.team).toEqual({ value: 1, source: 'given', outcomeScore: 1 });
    expect(signals.sources!.messages.every((message) => message.labelSource === 'given' && message.scoreSource === 'given')).toBe(true);
    expect(signals.usage!.calls).toBe(0);
  });

  it('samples within the budget when 2^n does not fit it, with standard errors', async () => {
    const agents = Array.from({ length: 9 }, (_, i) => `a${i}`);
    const record = {
      id: 'big', agents,
      messages: agents.map((agent, i) => ({ id: `m${i}`, agent, content: `fact${i % 3}` })),
      outcome: { score: 1, success: true },
    };
    const judge = fakeJudge({ facts: ['fact0', 'fact1', 'fact2'] });
    const signals = await attributeEpisode(record, { judge, budget: 60, seed: 3 });
    expect(judge.calls.value).toBeLessThanOrEqual(60);
    expect(signals.agents.every((agent) => agent.stderr !== null)).toBe(true);
    expect(signals.interactions).toBeNull();
    // Default budget 256 >= 2^8: an 8-agent success is exact.
    const eight = { ...record, agents: agents.slice(0, 8), messages: record.messages.slice(0, 8) };
    const exact = fakeJudge({ facts: ['fact0', 'fact1', 'fact2'] });
    const exactSignals = await attributeEpisode(eight, { judge: exact });
    expect(exact.calls.value).toBe(256);
    expect(exactSignals.agents.every((agent) => agent.stderr === null)).toBe(true);
  });

  it('never has more judgements in flight than the concurrency', async () => {
    for (const concurrency of [1, 3]) {
      const judge = fakeJudge({ facts });
      await attributeEpisode(success(), { judge, concurrency });
      // The labels call runs beside the coalition values.
      expect(judge.maxInFlight()).toBeLessThanOrEqual(concurrency + 1);
      expect(judge.maxInFlight()).toBeGreaterThan(1);
    }
  });

  it('finds the first error of a failure by judged labels, prefix values or binary search; never on a context message', async () => {
    for (const [strategy, calls] of [
      [undefined, { value: 0, labels: 1, prefixValues: 0, recoverable: 0 }],
      ['label', { value: 0, labels: 1, prefixValues: 0, recoverable: 0 }],
      ['prefixValue', { value: 0, labels: 1, prefixValues: 1, recoverable: 0 }],
      ['binarySearch', { value: 0, labels: 1, prefixValues: 0 }],
    ] as const) {
      const judge = fakeJudge({ facts, wrong: ['delta'] });
      const signals = await attributeEpisode(failure(), { judge, strategy });
      // The tool said "delta" first, but the coder's message is the first player error.
      expect(signals.firstError).toMatchObject({ id: 'c', index: 3, agent: 'coder' });
      expect(signals.sources!.firstError).toBe('judged');
      expect(judge.calls).toMatchObject(calls);
      expect(signals.agents.every((agent) => agent.credit === null)).toBe(true);
      expect(signals.messages.find((message) => message.id === 'c')!.reward).toBe(-1);
      if (strategy === 'binarySearch') {
        // Three player messages: one call to confirm the run is lost, then ceil(log2 3) = 2.
        expect(judge.calls.recoverable).toBeLessThanOrEqual(3);
        expect(signals.firstError!.oracleCalls).toBe(judge.calls.recoverable);
      }
    }
  });

  it("a forced strategy asks the judge only when the record's own labels locate no first error: a recorded mistake is kept", async () => {
    // The record labels the planner's message an error (an annotated mistake); the judge would blame the coder.
    const annotated = () => ({ ...failure(), messages: failure().messages.map((message) => (message.id === 'p' ? { ...message, label: 'error' as const } : message)) });
    for (const strategy of ['prefixValue', 'binarySearch'] as const) {
      const judge = fakeJudge({ facts, wrong: ['delta'] });
      const signals = await attributeEpisode(annotated(), { judge, strategy });
      expect(signals.firstError).toMatchObject({ id: 'p', agent: 'planner', strategy: 'label' });
      expect(signals.sources!.firstError).toBe('given');
      expect(judge.calls).toMatchObject({ prefixValues: 0, recoverable: 0 });
    }
    // A score given below the threshold is a recorded mistake too; one above it leaves the search to the judge.
    const scored = (score: number) => ({ ...failure(), messages: failure().messages.map((message) => (message.id === 'p' ? { ...message, score } : message)) });
    const low = await attributeEpisode(scored(-0.9), { judge: fakeJudge({ facts, wrong: ['delta'] }), strategy: 'prefixValue' });
    expect(low.firstError).toMatchObject({ id: 'p' });
    const judge = fakeJudge({ facts, wrong: ['delta'] });
    const high = await attributeEpisode(scored(0.9), { judge, strategy: 'prefixValue' });
    expect(high.firstError).toMatchObject({ id: 'c', strategy: 'prefixValue' });
    expect(judge.calls.prefixValues).toBe(1);
  });

  it('a judge that fails for good names the episode and the coalition', async () => {
    const judge = fakeJudge({ facts, failCoalition: 'coder,planner' });
    const error = await attributeEpisode(success(), { judge, concurrency: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/coalition \{planner, coder\}.*judge: value of episode failed for good/);
  });
});

describe('a failure whose first error a judge or an oracle could not locate', () => {
  const noPlayerError = () => ({ ...failure(), messages: failure().messages.map((message) => (message.id === 't' ? message : { ...message, content: message.content.replace('delta', 'beta') })) });

  it('binary search that finds every prefix recoverable says so, and names the other strategies', async () => {
    const signals = await attributeEpisode(failure(), { judge: fakeJudge({ facts }), strategy: 'binarySearch' });
    expect(signals.firstError).toBeNull();
    expect(signals.warnings).toHaveLength(1);
    expect(signals.warnings![0]).toMatch(/^no first error located: the judge found the run still recoverable after every player's message .*--strategy labels or prefix/);
    expect(signals.warnings![0]).not.toMatch(/pass a judge/);
    const oracle = await attributeEpisode(failure(), { isRecoverable: () => true });
    expect(oracle.warnings![0]).toMatch(/^no first error located: the oracle \(isRecoverable\) found the run still recoverable/);
  });

  it('an error only in a context message is named, with --agents and the prefix strategy as ways out', async () => {
    const signals = await attributeEpisode(noPlayerError(), { judge: fakeJudge({ facts, wrong: ['delta'] }), strategy: 'label' });
    expect(signals.firstError).toBeNull();
    expect(signals.warnings![0]).toBe(
      'no first error located: messages[2] (by "tool") is labelled error, a context speaker, and context is never blamed (no message rewards: zeros would look like results). ' +
        'If "tool" is one of the team, list it among the players (agents; CLI: --agents), or strategy \'prefixValue\' (CLI: --strategy prefix), which blames the first player\'s message after a fall in context',
    );
  });

  it('a judge that finds nothing decisive says what it looked at and what to try', async () => {
    const signals = await attributeEpisode(noPlayerError(), { judge: fakeJudge({ facts }) });
    expect(signals.warnings![0]).toBe(
      "no first error located: nothing decisive found: no player's message is labelled error or harmful or scored below -0.5 (labels given or judged), and no given success probability falls by more than 0.3 " +
        "(no message rewards: zeros would look like results). Try strategy 'prefixValue' (CLI: --strategy prefix), or strategy 'binarySearch' (CLI: --strategy binary), or a higher scoreThreshold or a lower dropThreshold (CLI: --score-threshold, --drop-threshold)",
    );
  });
});

describe('without a judge', () => {
  it('a failure without a located error gets no reward rows and a warning, never zeros', async () => {
    const signals = await attributeEpisode(failure());
    expect(signals.firstError).toBeNull();
    expect(signals.messages).toEqual([]);
    expect(signals.warnings![0]).toMatch(/no first error located.*--judge/);
    const [batched] = await attributeEpisodes([failure()]);
    expect(batched).toEqual(signals);
  });

  it('a success without coalitions names the ways out', async () => {
    await expect(attributeEpisode(success())).rejects.toThrow(/--evaluator \.\/evaluate\.mjs, or --judge URL --model NAME/);
  });
});

describe('attributeEpisodes with a judge or an evaluator', () => {
  it('judges every episode, one after another, each with its own usage', async () => {
    const judge = fakeJudge({ facts, wrong: ['delta'] });
    const seen: number[] = [];
    const signals = await attributeEpisodes([success(), failure()], { judge, onEpisode: (k) => seen.push(k) });
    expect(seen).toEqual([0, 1]);
    expect(signals[0].usage!.calls).toBe(9);
    expect(signals[1].usage!.calls).toBe(1);
    expect(signals[1].firstError!.id).toBe('c');
  });

  it('an evaluator (a re-run of the team) gets the episode and the agents', async () => {
    const asked: string[] = [];
    const evaluate = (episode: Episode, agents: string[]) => {
      asked.push(`${episode.id}:${agents.join('+')}`);
      return fakeValue(ablate(episode, agents).messages.map((message) => message.content));
    };
    const [signals] = await attributeEpisodes([success()], { evaluate });
    expect(asked).toHaveLength(8);
    expect(signals.sources!.credit).toBe('evaluated');
    expect(signals.agents.map((agent) => agent.credit)).toEqual([1 / 6, 1 / 3, 1 / 2].map((x) => expect.closeTo(x, 12)));
    expect(signals.usage).toBeUndefined();
  });

  it("the judge's error label on an agent whose credit is positive gives way to the credit, with a warning; the record's own label stays an error", async () => {
    // The evaluator credits every agent 1/3; the judge calls the coder's only message (a wrong fact) an error.
    const record = { ...success(), messages: success().messages.filter((message) => message.id !== 'c2') };
    const evaluate = (_episode: unknown, coalition: string[]) => coalition.length / 3;
    const [signals] = await attributeEpisodes([record], { evaluate, judge: fakeJudge({ facts, wrong: ['beta'] }) });
    const coder = signals.messages.find((message) => message.id === 'c')!;
    expect(coder.reward).toBeCloseTo(1 / 3, 12);
    expect(signals.sources!.messages.find((message) => message.id === 'c')).toEqual({
      id: 'c', label: null, labelSource: null, score: null, scoreSource: null, setAside: { label: 'error', score: -1 },
    });
    expect(signals.warnings).toEqual([expect.stringMatching(/^agent "coder": its credit 0\.333\d* cannot be split over its messages as the judge labelled them \(message "c" labelled error: .*set aside \(sources\.messages\[\]\.setAside\)/)]);
    // The other agents' judged labels are kept.
    expect(signals.sources!.messages.find((message) => message.id === 'p')).toMatchObject({ label: 'helpful', labelSource: 'judged' });

    const given = { ...record, messages: record.messages.map((message) => (message.id === 'c' ? { ...message, label: 'error' as const } : message)) };
    const error = await attributeEpisode(given, { evaluate: (coalition: string[]) => coalition.length / 3, judge: fakeJudge({ facts, wrong: ['beta'] }) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EpisodeError);
    expect((error as Error).message).toMatch(/agent "coder": credit 0\.333\d* cannot be split .*The labels contradict the credit; check them/);
  });

  it('an error names the episode', async () => {
    const judge = fakeJudge({ facts });
    const error = await attributeEpisodes([success(), { ...success(), id: 'bad', messages: [{ agent: 'coder', content: 'x' }], coalitions: [] }], { judge }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EpisodeError);
    expect((error as Error).message).toMatch(/episode "bad"/);
  });

  it('refuses a judge that is not one', async () => {
    await expect(attributeEpisodes([success()], { judge: {} as never })).rejects.toThrow(/judge: expected a judge: an object with value, evaluator, labels/);
    await expect(attributeEpisode(success(), { teamValue: 'team' as never })).rejects.toThrow(/teamValue 'judged' or 'outcome'/);
  });
});

describe('evaluate beside given coalitions, and repeated ids', () => {
  it('coalitions beside evaluate: the given values are used and a warning says evaluate was not called for them', async () => {
    let calls = 0;
    const evaluate = (_episode: unknown, coalition: string[]) => (calls++, coalition.length / 3);
    const record = { ...success(), coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.3 }, { agents: ['coder'], value: 0.3 }, { agents: ['critic'], value: 0.3 },
      { agents: ['planner', 'coder'], value: 0.6 }, { agents: ['planner', 'critic'], value: 0.6 }, { agents: ['coder', 'critic'], value: 0.6 }, { agents: ['planner', 'coder', 'critic'], value: 0.9 }] };
    const [signals] = await attributeEpisodes([record], { evaluate });
    expect(calls).toBe(0);
    expect(signals.sources?.credit).toBe('given');
    expect(signals.warnings).toEqual(["coalitions: the episode's given coalition values were used for credit; options.evaluate was not called for them (drop coalitions to evaluate instead)"]);
    const single = await attributeEpisode(record, { evaluate: (coalition: string[]) => (calls++, coalition.length) });
    expect(calls).toBe(0);
    expect(single.warnings).toEqual(signals.warnings);
  });

  it('attributeEpisodes: a repeated id is prefixed with where it is, as the CLI does with file and line; one still taken is an error', async () => {
    const evaluate = (_episode: unknown, coalition: string[]) => coalition.length / 3;
    const twice = await attributeEpisodes([success(), success()], { evaluate });
    expect(twice.map((signals) => signals.id)).toEqual(['team-1', 'episodes[1]/team-1']);
    const taken = [success(), { ...success(), id: 'episodes[2]/team-1' }, success()];
    await expect(attributeEpisodes(taken, { evaluate })).rejects.toThrow(
      /^episodes\[2\]\.id: duplicate episode id "team-1" \(also episodes\[0\]\.id\), and "episodes\[2\]\/team-1" is taken too; give each episode its own id$/,
    );
  });
});

function fakeValue(texts: string[]): number {
  return facts.filter((fact) => texts.some((text) => text.includes(fact))).length / facts.length;
}
