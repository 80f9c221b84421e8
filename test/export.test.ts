import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { attributeEpisode, type Signals } from '../src/episodes/attribute.js';
import { episodeFrom } from '../src/episodes/adapters/index.js';
import { parseEpisode, type Episode } from '../src/episodes/episode.js';
import { checkPrmLength, dpoRows, floatJson, ktoRows, rewardRows, toDpo, toJsonl, toKto, toPrm, toRewards, type PrmRow } from '../src/episodes/export.js';
import { alternationProblem, conversationalRowProblems } from './support/chat-rows.js';
import { readJson } from './support/fixtures.js';
import { randomEpisode, randomRun } from './support/episodes.js';
import { WHOWHEN_RELEASE, whoWhenLogs } from './support/whowhen-release.js';

const flights = () => readJson('examples/episodes/03-book-flights.json') as Record<string, unknown>;
const root = new URL('..', import.meta.url).pathname;

/**
 * Each episode with its signals. A random coalition table can contradict the
 * labels (credit on an agent whose messages are all harmful): with `skipRefused`
 * such episodes are left out, else they fail the test.
 */
async function attributed(episodes: Episode[], skipRefused = false): Promise<Array<{ episode: Episode; signals: Signals }>> {
  const out = [];
  for (const episode of episodes) {
    const signals = await attributeEpisode(episode).catch((error: unknown) => {
      if (skipRefused) return null;
      throw error;
    });
    if (signals) out.push({ episode, signals });
  }
  return out;
}

const exampleEpisodes = () =>
  readdirSync(join(root, 'examples/episodes')).sort().flatMap((name) => {
    const value = readJson(`examples/episodes/${name}`);
    return (Array.isArray(value) ? value : [value]).map((record) => parseEpisode(record));
  });

const whoWhenEpisodes = (directory: string) => whoWhenLogs(directory).map(({ file, record }) => episodeFrom('whowhen', record, {}, { id: file }));

/** Runs that exercise every shape the view must handle, each named. */
function shapedRuns(): Episode[] {
  const base = { outcome: { score: 0, success: false } };
  return [
    // The speaker first, no task, three turns in a row by one speaker, corrected by another agent.
    { id: 'speaker-first', agents: ['coder', 'critic'], messages: [
      { agent: 'coder', content: 'step 1' }, { agent: 'coder', content: 'step 2', label: 'error' }, { agent: 'coder', content: 'step 3' },
      { agent: 'critic', content: 'step 2 is wrong', label: 'corrective' }, { agent: 'coder', content: 'redo' },
    ], ...base },
    // With a task and roles; the agent that erred corrects itself (a same-agent pair); a repair.
    { id: 'self-correction', task: 'ship it', agents: [{ id: 'a', role: 'plans' }, { id: 'b', role: 'builds.' }], messages: [
      { id: 'x', agent: 'a', content: 'plan' }, { id: 'y', agent: 'b', content: 'bad build', label: 'error' },
      { id: 'z', agent: 'a', content: 'hm' }, { id: 'w', agent: 'b', content: 'fixed build', label: 'corrective' },
    ], repairs: [{ message: 'y', content: 'good build' }, { message: 'x', content: 'better plan' }], ...base },
    // One agent alone, a single message, repaired.
    { id: 'solo', agents: ['only'], messages: [{ id: 'm', agent: 'only', content: 'try', label: 'error' }], repairs: [{ message: 'm', content: 'retry' }], ...base },
  ].map((record) => parseEpisode(record));
}

function checkPrmRow(row: PrmRow, episode: Episode): string[] {
  const problems: string[] = [];
  if (!row.prompt.startsWith(`You are ${row.agent}.`)) problems.push('the prompt does not name the agent');
  if (row.completions.length !== row.labels.length || row.completions.length === 0) problems.push('steps and labels differ in number');
  const own = episode.messages.filter((message) => message.agent === row.agent).map((message) => `[${row.agent}] ${message.content}`);
  for (const step of row.completions) if (!own.some((text) => step.endsWith(text))) problems.push(`a step that does not end with a message of ${row.agent}`);
  const firstFalse = row.labels.indexOf(false);
  if (firstFalse >= 0 && row.labels.slice(firstFalse).some(Boolean)) problems.push('a true label after a false one');
  return problems;
}

/** Every DPO/KTO/reward row checked as a chat template sees it, every PRM row for its agent's steps. */
async function checkAllRows(episodes: Episode[], skipRefused = false): Promise<{ rows: number; problems: string[]; episodes: number }> {
  const problems: string[] = [];
  let rows = 0;
  const all = await attributed(episodes, skipRefused);
  for (const { episode, signals } of all) {
    for (const systemTurn of ['system', 'fold'] as const) {
      const conversational = [...toDpo(signals, { systemTurn }), ...toKto(signals, { systemTurn }), ...toRewards(signals, episode, { systemTurn })];
      for (const row of conversational) {
        rows++;
        if (systemTurn === 'fold' && row.prompt.some((turn) => turn.role === 'system')) problems.push(`${episode.id}: a system turn under 'fold'`);
        if (row.episode !== episode.id || !episode.messages.some((message) => message.id === row.message)) problems.push(`${episode.id}: wrong episode/message columns`);
        if (!episode.agents.includes(row.agent)) problems.push(`${episode.id}: a row of ${row.agent}, who is not a player`);
        for (const problem of conversationalRowProblems(row as never)) problems.push(`${episode.id} (${systemTurn}): ${problem}`);
      }
    }
    for (const row of toPrm(signals, episode)) {
      rows++;
      if (!episode.agents.includes(row.agent)) problems.push(`${episode.id}: a PRM row of ${row.agent}, who is not a player`);
      for (const problem of checkPrmRow(row, episode)) problems.push(`${episode.id} PRM: ${problem}`);
    }
  }
  return { rows, problems, episodes: all.length };
}

describe('every row is one agent’s view that the strictest chat templates accept', () => {
  it('the alternation check itself refuses what Gemma and Cohere refuse', () => {
    expect(alternationProblem([{ role: 'system', content: 's' }, { role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }])).toBeNull();
    expect(alternationProblem([{ role: 'user', content: 'task' }, { role: 'user', content: 'more' }])).toMatch(/alternate/);
    expect(alternationProblem([{ role: 'assistant', content: 'a' }])).toMatch(/alternate/);
    expect(alternationProblem([{ role: 'user', content: 'u' }, { role: 'system', content: 's' }])).toMatch(/neither/);
    expect(alternationProblem([{ role: 'system', content: 's' }])).toMatch(/no turn/);
  });

  it('the bundled examples', async () => {
    const { rows, problems } = await checkAllRows(exampleEpisodes());
    expect(problems).toEqual([]);
    expect(rows).toBeGreaterThan(40);
  });

  it('generated runs: with and without task, speaker first, runs by one speaker, corrections by others, repairs (seeded)', async () => {
    const runs = [...shapedRuns(), ...Array.from({ length: 300 }, (_, seed) => parseEpisode(randomRun(seed)))];
    for (let seed = 0; seed < 60; seed++) runs.push(parseEpisode(randomEpisode(seed, { harmful: seed % 2 === 0 })));
    const { rows, problems, episodes } = await checkAllRows(runs, true);
    expect(problems).toEqual([]);
    expect(runs.filter((run) => run.context.length > 0 && run.messages.some((message) => run.context.includes(message.agent))).length).toBeGreaterThan(100);
    expect(episodes).toBeGreaterThan(250);
    expect(rows).toBeGreaterThan(3000);
  });

  it('the Who&When samples in examples/whowhen', async () => {
    const episodes = whoWhenEpisodes(join(root, 'examples/whowhen'));
    expect(episodes).toHaveLength(3);
    const { rows, problems } = await checkAllRows(episodes);
    expect(problems).toEqual([]);
    expect(rows).toBeGreaterThan(50);
  });

  it('all 184 Who&When logs', async () => {
    const episodes = whoWhenEpisodes(WHOWHEN_RELEASE);
    expect(episodes).toHaveLength(184);
    const { problems } = await checkAllRows(episodes);
    expect(problems).toEqual([]);
  });
});

describe('DPO pairs', () => {
  it('never mix agents: chosen, rejected and every assistant turn of the prompt are the row agent’s (property, seeded)', async () => {
    let pairs = 0;
    let crossCorrections = 0;
    for (let seed = 0; seed < 400; seed++) {
      const episode = parseEpisode(randomRun(seed));
      const signals = await attributeEpisode(episode).catch(() => null);
      if (!signals) continue;
      for (const row of toDpo(signals)) {
        pairs++;
        const speakers = new Set([...row.chosen, ...row.rejected, ...row.prompt.filter((turn) => turn.role === 'assistant')].map((turn) => turn.name));
        expect([...speakers], `${episode.id} ${row.message}`).toEqual([row.agent]);
        expect(episode.messages.find((message) => message.id === row.message)!.agent).toBe(row.agent);
      }
      crossCorrections += signals.preferences.filter((p) => p.type === 'unpaired' && p.label).length;
    }
    expect(pairs).toBeGreaterThan(100);
    expect(crossCorrections).toBeGreaterThan(30);
  });

  it('book-flights: the repair is a pair of booking_agent; the verifier’s error corrected by booking_agent gives KTO rows, not a pair', async () => {
    const signals = await attributeEpisode(flights());
    const rows = toDpo(signals);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0])).toEqual(['prompt', 'chosen', 'rejected', 'agent', 'episode', 'message']);
    expect(rows[0]).toMatchObject({ agent: 'booking_agent', episode: 'book-flights', message: 'b1' });
    expect(rows[0].prompt).toEqual([
      { role: 'system', content: expect.stringMatching(/^You are booking_agent\. You work with planner, verifier\. .*\[planner\]/) },
      { role: 'user', content: expect.stringMatching(/^Book the cheapest refundable.*\n\n\[planner\] Search refundable fares/s) },
    ]);
    expect(rows[0].chosen).toEqual([{ role: 'assistant', name: 'booking_agent', content: expect.stringMatching(/^Cheapest refundable option/) }]);
    expect(rows[0].rejected).toEqual([{ role: 'assistant', name: 'booking_agent', content: expect.stringMatching(/^Cheapest option: TP1234/) }]);
    const kto = toKto(signals);
    expect(kto.map((row) => [row.agent, row.message, row.label])).toEqual([
      ['verifier', 'v1', false],
      ['booking_agent', 'b2', true],
      ['booking_agent', 'b1', true],
      ['booking_agent', 'b1', false],
    ]);
    // Each side under its own speaker's prompt: the correction sees the verifier's message as a user turn.
    expect(kto[1].prompt.at(-1)).toEqual({ role: 'user', name: 'verifier', content: '[verifier] Proceeding to payment with the Basic fare.' });
  });
  it('a repair that repeats its message word for word gives no pair, and KTO never labels one completion under one prompt both ways', async () => {
    const record = flights() as { repairs: Array<{ message: string; content: string }>; messages: Array<{ id: string; content: string }> };
    const repaired = record.messages.find((message) => message.id === record.repairs[0].message)!;
    record.repairs = [{ message: repaired.id, content: repaired.content }];
    const signals = await attributeEpisode(parseEpisode(record));
    expect(toDpo(signals)).toEqual([]);
    const kto = toKto(signals);
    const labels = new Map<string, Set<boolean>>();
    for (const row of kto) {
      const key = JSON.stringify([row.prompt, row.completion]);
      labels.set(key, (labels.get(key) ?? new Set()).add(row.label));
    }
    expect([...labels.values()].every((set) => set.size === 1)).toBe(true);
  });
});

describe('KTO rows', () => {
  it('have prompt/completion/label then agent/episode/message; an unrepaired error is false, its corrections true', async () => {
    const record = flights();
    delete record.repairs;
    const rows = toKto(await attributeEpisode(record), { source: 'flights.json' });
    for (const row of rows) expect(Object.keys(row)).toEqual(['prompt', 'completion', 'label', 'agent', 'episode', 'message', 'source']);
    expect(rows.map((row) => [row.agent, row.message, row.label])).toEqual([
      ['verifier', 'v1', false],
      ['booking_agent', 'b2', true],
      ['booking_agent', 'b1', false],
    ]);
  });
});

describe('rows one at a time (dpoRows, ktoRows, rewardRows)', () => {
  it('give the rows of toDpo, toKto and toRewards, the same again on a second iteration, and each iteration its own', async () => {
    const record = flights();
    const signals = await attributeEpisode(record);
    const kto = ktoRows(signals);
    // Two iterations side by side: KTO's each-distinct-row-once is kept per iteration, not shared between them.
    const first = kto[Symbol.iterator]();
    const second = kto[Symbol.iterator]();
    const a = [];
    const b = [];
    for (let step = first.next(), other = second.next(); !step.done || !other.done; step = first.next(), other = second.next()) {
      if (!step.done) a.push(step.value);
      if (!other.done) b.push(other.value);
    }
    expect(a).toEqual(toKto(signals));
    expect(b).toEqual(a);
    expect([...kto]).toEqual(a);
    expect(a.length).toBeGreaterThan(0);
    for (const [rows, array] of [[dpoRows(signals), toDpo(signals)], [rewardRows(signals, record), toRewards(signals, record)]] as const) {
      expect([...rows]).toEqual(array);
      expect([...rows]).toEqual(array);
      expect(array.length).toBeGreaterThan(0);
    }
  });
});

describe('PRM rows', () => {
  it('one row per agent: its messages as steps, true before the first error, false from it (property)', async () => {
    let failures = 0;
    for (let seed = 0; seed < 150; seed++) {
      const episode = parseEpisode(randomEpisode(seed, { harmful: seed % 2 === 1 }));
      const signals = await attributeEpisode(episode).catch(() => null);
      if (!signals) continue;
      const rows = toPrm(signals, episode);
      if (!signals.success && !signals.firstError) {
        expect(rows).toEqual([]);
        continue;
      }
      const speaking = episode.agents.filter((agent) => episode.messages.some((message) => message.agent === agent));
      expect(rows.map((row) => row.agent)).toEqual(speaking);
      const cut = signals.firstError ? signals.firstError.index : episode.messages.length;
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(['prompt', 'completions', 'labels', 'agent', 'episode', 'message']);
        const own = episode.messages.map((message, m) => [message, m] as const).filter(([message]) => message.agent === row.agent);
        expect(row.labels).toEqual(own.map(([, m]) => m < cut));
        expect(row.message).toBe(own[0][0].id);
      }
      if (!signals.success) failures++;
    }
    expect(failures).toBeGreaterThan(30);
  });

  it('text view: the prompt names the agent and carries what came before; each step is what others said since, then the agent’s message', async () => {
    const [episode] = shapedRuns();
    const signals = await attributeEpisode(episode);
    const coder = toPrm(signals, episode).find((row) => row.agent === 'coder')!;
    expect(coder.prompt).toBe(`You are coder. You work with critic. Each message below is prefixed with its speaker in brackets, yours too.\n`);
    expect(coder.completions).toEqual(['[coder] step 1', '[coder] step 2', '[coder] step 3', '[critic] step 2 is wrong\n[coder] redo']);
    expect(coder.labels).toEqual([true, false, false, false]);
  });

  it('an AutoGen run whose task is its first user message: every prompt (conversational and PRM) says the task once', async () => {
    const record = readJson('test/fixtures/autogen-taskresult.json') as { coalitions: Array<{ agents: string[] }> };
    // The user as context (the adapter's default), not a player.
    record.coalitions = record.coalitions.filter((coalition) => !coalition.agents.includes('user'));
    const episode = episodeFrom('autogen', record);
    expect(episode.task).toBeDefined();
    const signals = await attributeEpisode(episode);
    const count = (text: string) => text.split(episode.task!).length - 1;
    const rewards = toRewards(signals, episode);
    expect(rewards.length).toBeGreaterThan(0);
    for (const row of rewards) expect(count(row.prompt.map((turn) => turn.content).join('\n'))).toBe(1);
    const prm = toPrm(signals, episode);
    expect(prm.length).toBeGreaterThan(0);
    for (const row of prm) expect(count(row.prompt)).toBe(1);
  });

  it('untilFirstError ends each row at its first false step; maxSteps cuts rows whose prompts carry the steps before', async () => {
    const [episode] = shapedRuns();
    const signals = await attributeEpisode(episode);
    const until = toPrm(signals, episode, { untilFirstError: true });
    expect(until.find((row) => row.agent === 'coder')!.labels).toEqual([true, false]);
    const cut = toPrm(signals, episode, { maxSteps: 3 }).filter((row) => row.agent === 'coder');
    expect(cut.map((row) => row.labels)).toEqual([[true, false, false], [false]]);
    expect(cut[1].prompt).toMatch(/\n\[coder\] step 1\n\[coder\] step 2\n\[coder\] step 3\n\[critic\] step 2 is wrong\n$/);
    expect(cut[1].completions).toEqual(['[coder] redo']);
    expect(cut.map((row) => row.message)).toEqual(['0', '4']);
  });

  it('with maxSteps 8 every false label of the long Who&When rows is in a row of at most 8 steps, the same labels in the same order', async () => {
    let longRows = 0;
    for (const { episode, signals } of await attributed(whoWhenEpisodes(WHOWHEN_RELEASE))) {
      const whole = toPrm(signals, episode);
      const cut = toPrm(signals, episode, { maxSteps: 8 });
      for (const row of whole) {
        const parts = cut.filter((part) => part.agent === row.agent);
        for (const part of parts) expect(part.completions.length).toBeLessThanOrEqual(8);
        expect(parts.flatMap((part) => part.labels), `${episode.id} ${row.agent}`).toEqual(row.labels);
        // A later row's first step is the agent's message alone: what others said before it is in its prompt.
        const own = (step: string) => step.slice(step.lastIndexOf(`[${row.agent}] `));
        expect(parts.flatMap((part) => part.completions.map(own))).toEqual(row.completions.map(own));
        if (row.labels.length > 8 && row.labels.includes(false)) longRows++;
      }
    }
    expect(longRows).toBeGreaterThan(0);
  });

  it('with maxChars every Who&When row fits, with the same labels and each step ending with the agent’s own last words', async () => {
    let shortened = 0;
    for (const { episode, signals } of await attributed(whoWhenEpisodes(WHOWHEN_RELEASE))) {
      const plain = toPrm(signals, episode, { maxSteps: 8 });
      const fitted = toPrm(signals, episode, { maxSteps: 8, maxChars: 4096 });
      expect(fitted.map((row) => [row.agent, row.message, row.labels])).toEqual(plain.map((row) => [row.agent, row.message, row.labels]));
      fitted.forEach((row, k) => {
        expect(row.completions.reduce((sum, step) => sum + step.length + 1, row.prompt.length)).toBeLessThanOrEqual(4096);
        if (row.prompt !== plain[k].prompt || row.completions.some((step, j) => step !== plain[k].completions[j])) shortened++;
        row.completions.forEach((step, j) => {
          const own = plain[k].completions[j].slice(plain[k].completions[j].lastIndexOf(`[${row.agent}] `));
          expect(own.endsWith(step.slice(step.lastIndexOf('[…]') + 3).slice(-20))).toBe(true);
        });
      });
    }
    expect(shortened).toBeGreaterThan(0);
  });

  it('a maxChars below the shortest row is an error naming the smallest maxChars that works, and that one fits every row', async () => {
    const episode = parseEpisode(flights());
    const signals = await attributeEpisode(episode);
    const tooShort = /options\.maxChars: expected at least (\d+) characters for the PRM rows of episode "book-flights", got 50: the row of "\w+" from message "\w+" cannot be shorter/;
    expect(() => toPrm(signals, episode, { maxChars: 50 })).toThrow(tooShort);
    let smallest = 0;
    try {
      toPrm(signals, episode, { maxChars: 50 });
    } catch (error) {
      smallest = Number(tooShort.exec((error as Error).message)![1]);
    }
    expect(() => toPrm(signals, episode, { maxChars: smallest - 1 })).toThrow(new RegExp(`expected at least ${smallest} characters .*, got ${smallest - 1}:`));
    const rows = toPrm(signals, episode, { maxChars: smallest });
    expect(rows.map((row) => row.labels)).toEqual(toPrm(signals, episode).map((row) => row.labels));
    const lengths = rows.map((row) => row.completions.reduce((sum, step) => sum + step.length + 1, row.prompt.length));
    for (const length of lengths) expect(length).toBeLessThanOrEqual(smallest);
    expect(lengths).toContain(smallest);
  });

  it('checkPrmLength, from the episode alone, refuses a maxChars only where toPrm would refuse it once the signals are known', async () => {
    let refused = 0;
    let passed = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const episode = parseEpisode(randomRun(seed));
      // Some generated runs give credit to an agent that never speaks: not attributable, not this test's concern.
      const signals = await attributeEpisode(episode).catch(() => null);
      if (!signals) continue;
      for (const options of [{}, { untilFirstError: true }, { maxSteps: 2 }, { untilFirstError: true, maxSteps: 2 }]) {
        for (const maxChars of [60, 120, 200, 320, 500]) {
          const early = (() => {
            try {
              checkPrmLength(episode, { ...options, maxChars });
              return null;
            } catch (error) {
              return error as Error;
            }
          })();
          const late = (() => {
            try {
              toPrm(signals, episode, { ...options, maxChars });
              return null;
            } catch (error) {
              return error as Error;
            }
          })();
          if (early) {
            refused++;
            expect(early).toBeInstanceOf(InputError);
            // A failure without a located first error gets no rows, so nothing to refuse; every other refusal is toPrm's.
            if (signals.success || signals.firstError) expect(late?.message).toMatch(/^options\.maxChars: expected at least \d+ characters/);
            // Its rows known from the messages alone, the refusal is the very one toPrm gives.
            if (signals.success || (signals.firstError && !('untilFirstError' in options))) expect(early.message).toBe(late!.message);
          } else {
            passed++;
            // Only a failure's rows cut at its first error can still be too long for a maxChars the check let through.
            if (signals.success || !('untilFirstError' in options)) expect(late).toBeNull();
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(50);
    expect(passed).toBeGreaterThan(50);
  });

  it('refuses mismatched signals and episode, and bad options', async () => {
    const episode = parseEpisode(flights());
    const signals = await attributeEpisode(episode);
    expect(() => toPrm({ ...signals, id: 'other' }, episode)).toThrow(/signals are for "other", episode is "book-flights"/);
    expect(() => toPrm(signals, episode, { maxSteps: 0 })).toThrow(/options\.maxSteps: expected a whole number of steps, at least 1, got 0/);
    expect(() => toPrm(signals, episode, { maxSteps: 2.5 })).toThrow(/maxSteps/);
    expect(() => toPrm(signals, episode, { untilFirstError: 'yes' as never })).toThrow(/untilFirstError: expected true or false/);
    expect(() => toPrm(signals, episode, { maxChars: 0 })).toThrow(/options\.maxChars: expected a whole number of characters, at least 1, got 0/);
    expect(() => toDpo(signals, { systemTurn: 'none' as never })).toThrow(/systemTurn: expected 'system' .* or 'fold'/);
    expect(() => toKto(signals, { sytemTurn: 'fold' } as never)).toThrow(/did you mean systemTurn/);
  });

  it('null options are the defaults, as for shapley(), never a TypeError', async () => {
    const episode = parseEpisode(flights());
    const signals = await attributeEpisode(episode);
    expect(toDpo(signals, null as never)).toEqual(toDpo(signals));
    expect(toKto(signals, null as never)).toEqual(toKto(signals));
    expect(toRewards(signals, episode, null as never)).toEqual(toRewards(signals, episode));
    expect(toPrm(signals, episode, null as never)).toEqual(toPrm(signals, episode));
  });

  it('refuses what is not signals with an InputError naming it, never a TypeError', async () => {
    const episode = parseEpisode(flights());
    const signals = await attributeEpisode(episode);
    const exporters = [(value: unknown) => toDpo(value as Signals), (value: unknown) => toKto(value as Signals), (value: unknown) => toPrm(value as Signals, episode), (value: unknown) => toRewards(value as Signals, episode)];
    const expected = /^signals: expected the signals attributeEpisode returns \(or one item of what attributeEpisodes returns\), got /;
    for (const exporter of exporters) {
      for (const [value, got] of [[null, 'null'], [undefined, 'undefined'], ['x', '"x"'], [[signals], 'an array of 1'], [new Error('boom'), 'Error \\(boom\\)']] as const) {
        expect(() => exporter(value)).toThrow(InputError);
        expect(() => exporter(value)).toThrow(new RegExp(expected.source + got));
      }
      expect(() => exporter(episode)).toThrow(/signals: .*got an episode; pass attributeEpisode\(episode\)'s result instead/);
      expect(() => exporter(flights())).toThrow(/got an episode/);
      expect(() => exporter({ ...signals, preferences: undefined, messages: 'x' })).toThrow(/signals\.preferences: expected an array of preferences, got undefined\n.*signals\.messages: expected an array of message rewards, got "x"/);
      expect(() => exporter({ ...signals, id: 7 })).toThrow(/signals\.id: expected the episode id as a string, got 7/);
      expect(() => exporter({ ...signals, firstError: 'm3' })).toThrow(/signals\.firstError: expected null or the first error/);
    }
  });
});

describe('reward rows', () => {
  it('one per message: prompt (the agent’s view), completion (the message), reward, agent, episode, message', async () => {
    const episode = parseEpisode(flights());
    const signals = await attributeEpisode(episode);
    const rows = toRewards(signals, episode);
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[1])).toEqual(['prompt', 'completion', 'reward', 'agent', 'episode', 'message']);
    expect(rows[1]).toMatchObject({ episode: 'book-flights', message: 'b1', agent: 'booking_agent', reward: -1 });
    expect(rows[1].completion).toEqual([{ role: 'assistant', name: 'booking_agent', content: episode.messages[1].content }]);
    expect(rows[1].prompt.map((turn) => turn.role)).toEqual(['system', 'user']);
    expect(() => toRewards({ ...signals, id: 'x' }, episode)).toThrow(/signals are for "x"/);
  });

  it('are written with a fraction: -1.0 and 0.0, never -1 and 0', async () => {
    const episode = parseEpisode(flights());
    const lines = toRewards(await attributeEpisode(episode), episode).map(toJsonl);
    expect(lines.map((line) => /"reward":(-?[\d.e+-]+)/.exec(line)![1])).toEqual(['0.375', '-1.0', '-0.6875', '0.4375', '0.0']);
    for (const line of lines) expect(JSON.parse(line).reward).toBeTypeOf('number');
  });
});

describe('toJsonl and floatJson', () => {
  it('writes one line per row, U+2028/U+2029 escaped, parsing back to the same row', () => {
    const row = { prompt: 'a\u2028b', completions: ['c\u2029d', 'plain'], labels: [true, false], quote: '"\\u2028"' };
    const line = toJsonl(row);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(line).toContain('a\\u2028b');
    expect(line).toContain('c\\u2029d');
    expect(JSON.parse(line)).toEqual(row);
    expect(toJsonl({ x: 1 })).toBe('{"x":1}\n');
  });

  it('a top-level reward always has a fraction or an exponent; everything else as JSON.stringify writes it', () => {
    expect([-1, 0, -0, 1, 0.25, -0.5, 1e21, 5e-7, 123456789].map(floatJson)).toEqual(['-1.0', '0.0', '0.0', '1.0', '0.25', '-0.5', '1e+21', '5e-7', '123456789.0']);
    expect(() => floatJson(NaN)).toThrow(/finite/);
    expect(() => floatJson(Infinity)).toThrow(/finite/);
    const row = { prompt: 'p\u2028', reward: -1, label: 0, nested: { reward: 2 }, skipped: undefined };
    expect(toJsonl(row)).toBe('{"prompt":"p\\u2028","reward":-1.0,"label":0,"nested":{"reward":2}}\n');
    expect(JSON.parse(toJsonl(row))).toEqual(JSON.parse(JSON.stringify(row)));
  });

  it('writes an array of rows as one line per row, the way toJsonl(toRewards(...)) reads', async () => {
    const episode = parseEpisode(flights());
    const rows = toRewards(await attributeEpisode(episode), episode);
    expect(toJsonl(rows)).toBe(rows.map((row) => toJsonl(row)).join(''));
    expect(toJsonl(rows).split('\n').filter(Boolean).map((line) => JSON.parse(line).reward)).toEqual([0.375, -1, -0.6875, 0.4375, 0]);
    expect(toJsonl([])).toBe('');
  });

  it('names a row it cannot write instead of failing on undefined', () => {
    expect(() => toJsonl(undefined)).toThrow(/^toJsonl: row: expected a row \(an object, such as toDpo's rows\), got undefined$/);
    expect(() => toJsonl([{ a: 1 }, () => 1])).toThrow(/^toJsonl: rows\[1\]: expected a row .*got function$/);
  });
});
