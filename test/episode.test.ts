import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ablate } from '../src/episodes/ablate.js';
import { validEpisode } from '../src/episodes/fast-validation.js';
import { asEpisode, EpisodeError, episodeSchema, parseEpisode } from '../src/episodes/episode.js';
import { attributeEpisode } from '../src/episodes/attribute.js';
import { toPrm } from '../src/episodes/export.js';
import { randomEpisode, seededRandom } from './support/episodes.js';

const base = () => ({
  id: 'ep-17',
  task: 'fix the bug',
  agents: ['planner', { id: 'coder', role: 'writes code' }],
  messages: [
    { id: 'm1', agent: 'planner', content: 'plan', label: 'helpful', score: 0.8, prefixValue: 0.7 },
    { agent: 'coder', content: 'patch' },
  ],
  outcome: { score: 1, success: true },
  coalitions: [
    { agents: [], value: 0 },
    { agents: ['planner'], value: 0.2 },
    { agents: ['coder'], value: 0.5 },
    { agents: ['planner', 'coder'], value: 1 },
  ],
  repairs: [{ message: 'm1', content: 'better plan' }],
});

function errorOf(value: unknown, source = { file: 'runs.jsonl', line: 7 }): EpisodeError {
  try {
    parseEpisode(value, source);
  } catch (error) {
    expect(error).toBeInstanceOf(EpisodeError);
    return error as EpisodeError;
  }
  throw new Error('expected an EpisodeError');
}

describe('episode format v1', () => {
  it('normalizes a valid record: agent ids, default message ids, the table by mask', () => {
    const episode = parseEpisode(base());
    expect(episode.agents).toEqual(['planner', 'coder']);
    expect(episode.roles).toEqual([undefined, 'writes code']);
    expect(episode.messages.map((message) => message.id)).toEqual(['m1', '1']);
    expect(Array.from(episode.table!)).toEqual([0, 0.2, 0.5, 1]);
    expect(episode.repairs).toEqual([{ message: 'm1', content: 'better plan' }]);
    expect(episodeSchema.safeParse(base()).success).toBe(true);
  });

  it('takes v(team) from the outcome when the full coalition is not listed', () => {
    const record = base();
    record.coalitions.pop();
    expect(parseEpisode(record).table![3]).toBe(1);
  });

  const cases: Array<[string, (record: ReturnType<typeof base>) => unknown, RegExp]> = [
    ['wrong type', (r) => ({ ...r, messages: [{ ...r.messages[0], content: 42 }] }), /messages\[0\]\.content: expected the message content as a string, got 42/],
    ['unknown agent in a message', (r) => ({ ...r, messages: [...r.messages, { agent: 'critic', content: 'x' }] }), /messages\[2\]\.agent: unknown agent "critic"; expected one of planner, coder/],
    ['duplicate message ids', (r) => ({ ...r, messages: [...r.messages, { id: 'm1', agent: 'coder', content: 'x' }] }), /messages\[2\]\.id: duplicate message id "m1" \(also messages\[0\]\)/],
    ['duplicate agents', (r) => ({ ...r, agents: ['planner', 'coder', 'planner'] }), /agents\[2\]: duplicate agent "planner" \(also at agents\[0\]\)/],
    ['score out of range', (r) => ({ ...r, messages: [{ ...r.messages[0], score: 1.5 }] }), /messages\[0\]\.score: expected the judge's helpfulness score in \[-1, 1\], got 1.5/],
    ['prefixValue out of range', (r) => ({ ...r, messages: [{ ...r.messages[0], prefixValue: -0.1 }] }), /messages\[0\]\.prefixValue: expected .* in \[0, 1\], got -0.1/],
    ['NaN score', (r) => ({ ...r, messages: [{ ...r.messages[0], score: NaN }] }), /messages\[0\]\.score: .*got NaN/],
    ['unknown label', (r) => ({ ...r, messages: [{ ...r.messages[0], label: 'great' }] }), /messages\[0\]\.label: expected one of helpful, neutral, redundant, harmful, error, corrective; got "great"/],
    ['missing coalitions', (r) => ({ ...r, coalitions: r.coalitions.slice(1, 2) }), /coalitions: exact attribution needs all 2\^2 = 4 coalitions; missing 2: \{\}, \{coder\}/],
    ['outcome/coalition mismatch', (r) => ({ ...r, coalitions: [...r.coalitions.slice(0, 3), { agents: ['coder', 'planner'], value: 0.9 }] }), /coalitions\[3\]\.value: v\(whole team\) = 0.9 disagrees with outcome.score = 1/],
    ['unknown agent in a coalition', (r) => ({ ...r, coalitions: [...r.coalitions, { agents: ['critic'], value: 1 }] }), /coalitions\[4\]\.agents\[0\]: unknown agent "critic"/],
    ['a coalition given twice', (r) => ({ ...r, coalitions: [...r.coalitions, { agents: ['coder'], value: 0.4 }] }), /coalitions\[4\]: coalition \{coder\} given twice \(also coalitions\[2\]\)/],
    ['repair of an unknown message', (r) => ({ ...r, repairs: [{ message: 'm9', content: 'x' }] }), /repairs\[0\]\.message: no message has id "m9"/],
    ['a blank repair', (r) => ({ ...r, repairs: [{ message: 'm1', content: ' \n\t' }] }), /repairs\[0\]\.content: a blank repair \(" \\n\\t"\): it is the chosen side of a DPO pair; give the repaired text, or leave the repair out/],
    ['missing outcome', (r) => ({ ...r, outcome: undefined }), /outcome: /],
    ['success not boolean', (r) => ({ ...r, outcome: { score: 1, success: 'yes' } }), /outcome\.success: expected outcome.success as true or false, got "yes"/],
  ];
  for (const [name, mutate, message] of cases) {
    it(`rejects ${name}, naming episode, line and field`, () => {
      const error = errorOf(mutate(base()));
      expect(error.message).toMatch(/^runs\.jsonl line 7, episode "ep-17": /);
      expect(error.message).toMatch(message);
      expect(error.episode).toBe('ep-17');
      expect(error.source).toEqual({ file: 'runs.jsonl', line: 7 });
    });
  }

  it('says which field, which value and what was expected (types, null entries, a null record)', () => {
    const messageOf = (mutate: (record: Record<string, any>) => unknown) => {
      const record: Record<string, any> = base();
      const changed = mutate(record);
      return errorOf(changed === undefined ? record : changed).message.replace(/^runs\.jsonl line 7, episode (\(no id\)|"ep-17"|"5"): /, '');
    };
    const expected: Array<[(record: Record<string, any>) => unknown, string]> = [
      [(r) => void delete r.outcome, 'outcome: expected the outcome as { score: number, success: boolean }, got undefined'],
      [(r) => void (r.outcome = null), 'outcome: expected the outcome as { score: number, success: boolean }, got null'],
      [(r) => void (r.outcome = 'success'), 'outcome: expected the outcome as { score: number, success: boolean }, got "success"'],
      [(r) => void (r.messages = [null]), 'messages[0]: expected a message { agent, content, id?, label?, score?, prefixValue? }, got null'],
      [(r) => void (r.coalitions = [null]), 'coalitions[0]: expected a coalition { agents, value }, got null'],
      [(r) => void (r.repairs = [{ message: 'm1' }]), 'repairs[0].content: expected the repaired content as a string, got undefined'],
      [(r) => void (r.repairs = [7]), 'repairs[0]: expected a repair { message, content }, got 7'],
      [(r) => void (r.agents = [{ id: 'planner', role: 5 }, 'coder']), "agents[0]: expected the agent's role as a string, got 5"],
      [(r) => void (r.agents = [{ id: 3 }, 'coder']), "agents[0]: expected the agent's id as a non-empty string, got 3"],
      [(r) => void (r.agents = [true, 'coder']), 'agents[0]: expected an agent id (string) or { id, role }, got true'],
      [(r) => void (r.id = 5), 'id: expected the episode id as a string, got 5'],
      [(r) => void (r.agents = 'planner'), 'agents: expected agents as an array, got "planner"'],
      [(r) => void (r.task = 5), 'task: expected the task as a string, got 5'],
      [() => null, 'expected an episode object { id, agents, messages, outcome, ... }, got null'],
    ];
    for (const [mutate, message] of expected) expect(messageOf(mutate)).toBe(message);
  });

  it('an empty agent id is reported once, without a spurious unknown-agent issue', () => {
    const error = errorOf({ id: 'e', agents: [''], messages: [{ agent: 'a', content: 'x' }], outcome: { score: 1, success: true } });
    expect(error.issues).toEqual([{ path: 'agents[0]', message: 'expected an agent id as a non-empty string, got ""' }]);
  });

  it('a coalition with an unknown or repeated member is reported for that alone, not as a repeat of another coalition', () => {
    const unknown = errorOf({ ...base(), coalitions: [{ agents: ['nobody'], value: 0.3 }, ...base().coalitions] });
    expect(unknown.issues).toEqual([{ path: 'coalitions[0].agents[0]', message: 'unknown agent "nobody"; expected one of planner, coder' }]);
    const twice = errorOf({ ...base(), coalitions: [...base().coalitions, { agents: ['coder', 'coder'], value: 0.5 }] });
    expect(twice.issues).toEqual([{ path: 'coalitions[4].agents[1]', message: 'agent "coder" listed twice' }]);
    // Nor as the whole team disagreeing with the outcome: its set is not known.
    const team = errorOf({ ...base(), coalitions: [...base().coalitions.slice(0, 3), { agents: ['planner', 'coder', 'nobody'], value: 0.1 }] });
    expect(team.issues.map((issue) => issue.path)).toEqual(['coalitions[3].agents[2]']);
  });

  it('an empty agent list is reported once, without a problem for each message or coalition member', () => {
    const error = errorOf({ ...base(), agents: [] });
    expect(error.issues).toEqual([{ path: 'agents', message: 'expected at least one agent' }]);
    expect(errorOf({ ...base(), agents: [''] }).issues).toEqual([{ path: 'agents[0]', message: 'expected an agent id as a non-empty string, got ""' }]);
  });

  it('a disagreeing v(team) and missing coalitions are reported together', () => {
    const error = errorOf({ ...base(), coalitions: [{ agents: [], value: 0 }, { agents: ['planner', 'coder'], value: 0.9 }] });
    expect(error.issues.map((issue) => issue.path)).toEqual(['coalitions[1].value', 'coalitions']);
    expect(error.message).toMatch(/missing 2: \{planner\}, \{coder\}/);
  });

  it('lists every missing coalition, abbreviating long lists', () => {
    const record = randomEpisode(1, { agents: 5 });
    const coalitions = record.coalitions as unknown[];
    const error = errorOf({ ...record, coalitions: coalitions.filter((_, mask) => mask % 2 === 0) });
    expect(error.message).toMatch(/missing 15: \{agent0\}, \{agent0, agent1\}, .* and 3 more/);
  });

  it('the fast path accepts exactly what the schema accepts (random valid records and single-field mutations)', () => {
    const random = seededRandom(11);
    const mutations: Array<(record: Record<string, any>) => void> = [
      (r) => (r.id = ''), (r) => (r.id = 3), (r) => (r.task = null), (r) => (r.agents = []), (r) => r.agents.push(r.agents[0]),
      (r) => (r.agents[0] = { id: r.agents[0], role: 7 }), (r) => (r.agents[0] = { id: r.agents[0], role: 'lead' }),
      (r) => (r.messages[0].agent = 'nobody'), (r) => (r.messages[0].content = null), (r) => (r.messages[0].label = 'fine'),
      (r) => (r.messages[0].score = 2), (r) => (r.messages[0].score = Infinity), (r) => (r.messages[0].prefixValue = 1.01),
      (r) => (r.messages[1].id = r.messages[0].id), (r) => delete r.messages[0].id, (r) => (r.messages[0].id = '1'),
      (r) => (r.messages = []), (r) => (r.outcome.score = '1'), (r) => (r.outcome.success = 1), (r) => r.coalitions.pop(),
      (r) => r.coalitions.shift(), (r) => (r.coalitions[1].value = null), (r) => r.coalitions[1].agents.push('ghost'),
      (r) => r.coalitions.push(r.coalitions[1]), (r) => (r.coalitions[r.coalitions.length - 1].value += 0.5), (r) => delete r.coalitions,
      (r) => (r.repairs = [{ message: 'm0', content: 'fixed' }]), (r) => (r.repairs = [{ message: 'zz', content: 'fixed' }]),
      (r) => (r.repairs = { message: 'm0' }), (r) => (r.extra = 'ignored'), (r) => (r.messages[0].lable = 'error'),
      (r) => (r.messages[0].timestamp = 1), (r) => (r.outcome.sucess = false), (r) => (r.coalitions[0].values = 1),
      (r) => (r.context = ['user']), (r) => (r.context = ['user', 'user']), (r) => (r.context = [r.agents[0]]), (r) => (r.context = 'user'),
      (r) => (r.context = ['']), (r) => ((r.context = ['user']), (r.messages[0].agent = 'user')),
      (r) => ((r.context = ['user']), (r.messages[0].agent = 'user'), (r.repairs = [{ message: 'm0', content: 'fixed' }])),
      (r) => ((r.context = ['user']), r.coalitions[1].agents.push('user')),
    ];
    let accepted = 0;
    for (let k = 0; k < 400; k++) {
      const record = structuredClone(randomEpisode(k, { context: k % 2 })) as Record<string, any>;
      if (k % 3 !== 0) mutations[Math.floor(random() * mutations.length)](record);
      const fast = validEpisode(record);
      const slow = episodeSchema.safeParse(record);
      if (fast) {
        accepted++;
        expect(slow.success).toBe(true);
        expect(parseEpisode(record)).toEqual(fast);
      }
      if (!slow.success) expect(fast).toBeUndefined();
    }
    expect(accepted).toBeGreaterThan(150);
  });
});

describe('keys outside episode v1', () => {
  const flights = () => JSON.parse(readFileSync(new URL('../examples/episodes/03-book-flights.json', import.meta.url), 'utf8'));

  it('a near-miss of a field the object lacks is an error with the field it resembles', () => {
    const record = flights();
    record.messages[1].lable = record.messages[1].label;
    delete record.messages[1].label;
    record.reapirs = record.repairs;
    delete record.repairs;
    const error = errorOf(record);
    expect(error.issues).toEqual([
      { path: 'reapirs', message: 'unknown field (holding an array of 1); did you mean repairs?' },
      { path: 'messages[1].lable', message: 'unknown field (holding "error"); did you mean label?' },
    ]);
    expect(episodeSchema.safeParse(record).success).toBe(false);
  });

  it('near-misses are found at every level, letter case ignored, beside other faults', () => {
    const record: Record<string, any> = base();
    record.ID = record.id;
    delete record.id;
    record.outcome = { score: 1, sucess: true };
    record.coalitions[0] = { agents: [], Value: 0 };
    record.repairs[0] = { message: 'm1', contnet: 'x' };
    record.messages[1].prefix_value = 0.5;
    record.agents[1] = { id: 'coder', roel: 'writes code' };
    const issues = errorOf(record).issues;
    const unknown = Object.fromEntries(issues.filter((issue) => issue.message.startsWith('unknown field')).map((issue) => [issue.path, issue.message.replace(/.*did you mean /, '')]));
    expect(unknown).toEqual({
      ID: 'id?', 'agents[1].roel': 'role?', 'messages[1].prefix_value': 'prefixValue?', 'outcome.sucess': 'success?', 'coalitions[0].Value': 'value?', 'repairs[0].contnet': 'content?',
    });
    expect(issues.map((issue) => issue.path)).toContain('outcome.success');
  });

  it('other keys (metadata of other tools, names far from a field or of a field present) are dropped, and the signals warn of them', async () => {
    const clean = flights();
    const record = flights();
    record.metadata = { run: 7 };
    record.tags = ['a'];
    record.events = [];
    record.messages.forEach((message: Record<string, unknown>) => (message.timestamp = '2025-01-01'));
    record.messages[0].source = 'planner';
    record.messages[0].context = 'kept apart from content';
    const episode = parseEpisode(record);
    expect(episode.ignoredFields).toEqual(['metadata', 'tags', 'events', ...record.messages.map((_: unknown, i: number) => `messages[${i}].timestamp`).flatMap((path: string, i: number) => (i === 0 ? [path, 'messages[0].source', 'messages[0].context'] : [path]))]);
    const signals = await attributeEpisode(record);
    const { warnings: cleanWarnings, ...cleanSignals } = await attributeEpisode(clean);
    const { warnings, ...rest } = signals;
    expect(rest).toEqual(cleanSignals);
    expect(cleanWarnings).toBeUndefined();
    // A key on every message is named once, with its count, so the other keys are not crowded out.
    expect(warnings).toEqual([`ignored ${episode.ignoredFields!.length} fields that episode v1 does not read: metadata, tags, events, messages[*].timestamp (${record.messages.length} times), messages[0].source, messages[0].context (data to keep belongs in annotations)`]);
  });

  it('every bundled example episode has only episode v1 fields', () => {
    const dir = new URL('../examples/episodes/', import.meta.url);
    for (const file of readdirSync(dir)) expect(parseEpisode(JSON.parse(readFileSync(new URL(file, dir), 'utf8'))).ignoredFields, file).toBeUndefined();
  });

  it('a parsed episode reloaded from JSON does not count its own ignoredFields key as unknown', () => {
    const episode = parseEpisode({ ...base(), metadata: 1 });
    expect(episode.ignoredFields).toEqual(['metadata']);
    expect(asEpisode(JSON.parse(JSON.stringify(episode))).ignoredFields).toBeUndefined();
  });
});

describe('ablate', () => {
  it('keeps only the messages of the given agents, in order, without outcome or table', () => {
    const counterfactual = ablate(base(), ['coder']);
    expect(counterfactual).toEqual({ id: 'ep-17', task: 'fix the bug', agents: ['coder'], context: [], messages: [{ id: '1', agent: 'coder', content: 'patch' }] });
    expect(ablate(base(), []).messages).toEqual([]);
    expect(ablate(base(), ['coder', 'planner']).messages.map((message) => message.id)).toEqual(['m1', '1']);
  });

  it('rejects unknown agents', () => {
    expect(() => ablate(base(), ['critic'])).toThrow(/agents\[0\]: unknown agent "critic"; episode "ep-17" has planner, coder/);
  });
});

describe('asEpisode: only episodes parseEpisode built skip validation', () => {
  it('takes a parsed episode as it is', () => {
    const episode = parseEpisode(base());
    expect(asEpisode(episode)).toBe(episode);
  });

  it('a parsed episode reloaded from JSON (its table an object) or cloned is read back, table and roles included', async () => {
    const episode = parseEpisode(base());
    const reloaded = JSON.parse(JSON.stringify(episode));
    expect(reloaded.table).toEqual({ 0: 0, 1: 0.2, 2: 0.5, 3: 1 });
    for (const copy of [reloaded, structuredClone(episode)]) {
      const again = asEpisode(copy);
      expect(again).not.toBe(copy);
      expect(again).toEqual(episode);
    }
    const signals = await attributeEpisode(reloaded);
    expect(signals.agents.map((agent) => agent.credit)).toEqual([expect.closeTo(0.35, 12), expect.closeTo(0.65, 12)]);
    expect(toPrm(signals, reloaded)).toEqual(toPrm(signals, episode));
    expect(ablate(reloaded, ['coder']).messages).toEqual([{ id: '1', agent: 'coder', content: 'patch' }]);
  });

  it('a record with table and roles keys is validated in full', async () => {
    const record = { id: 'q', roles: [], table: null, agents: ['a'], messages: [{ agent: 'ghost', content: 1, label: 'bogus', score: 99 }], outcome: { score: 0, success: false }, repairs: [] };
    for (const call of [() => attributeEpisode(record), async () => toPrm({ id: 'q', success: false, messages: [], firstError: null, preferences: [] } as never, record), async () => ablate(record, ['a'])]) {
      const error = await call().then(() => undefined, (e: unknown) => e as EpisodeError);
      expect(error).toBeInstanceOf(EpisodeError);
      expect(error!.message).toMatch(/roles: expected one role per agent/);
      expect(error!.message).toMatch(/messages\[0\]\.content: expected the message content as a string, got 1/);
      expect(error!.message).toMatch(/messages\[0\]\.label: expected one of/);
      expect(error!.message).toMatch(/messages\[0\]\.score: .*got 99/);
    }
  });

  it('a normal-form table must hold 2^n finite values that agree with the outcome', () => {
    const episode = parseEpisode(base());
    const short = { ...episode, table: new Float64Array(3) };
    expect(() => asEpisode(short)).toThrow(/table: expected a Float64Array of 2\^2 = 4 coalition values .* got 3 values/);
    expect(() => asEpisode({ ...episode, table: 'x' })).toThrow(/table: expected a Float64Array .* got "x"/);
    expect(() => asEpisode({ ...episode, table: [0, NaN, 0.5, 1] })).toThrow(/table\[1\]: expected the coalition value as a finite number, got NaN/);
    expect(() => asEpisode({ ...episode, table: [0, 0.2, 0.5, 0.9] })).toThrow(/table\[3\]: v\(whole team\) = 0.9 disagrees with outcome.score = 1/);
    expect(() => asEpisode({ ...episode, table: null, coalitions: [] })).not.toThrow(/table/);
  });
});
