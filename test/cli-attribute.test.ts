import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './support/cli.js';
import { randomEpisode } from './support/episodes.js';
import { episodeFrom } from '../src/episodes/adapters/index.js';
import { WHOWHEN_RELEASE } from './support/whowhen-release.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('agent-credit-attribute-');
const lines = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line));

function jsonl(name: string, records: Array<unknown | string>): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n') + '\n');
  return path;
}

const good = (count: number, offset = 0) => Array.from({ length: count }, (_, k) => randomEpisode(offset + k, { harmful: false }));

describe('agent-credit attribute', () => {
  it('attributes the bundled examples: one signals line per episode and a one-line summary on stderr', async () => {
    const { code, stdout, stderr } = await cli('attribute', 'examples/episodes');
    expect(code).toBe(0);
    const signals = lines(stdout);
    expect(signals.map((s) => s.id)).toEqual(['fix-flaky-test', 'market-brief', 'book-flights', 'revenue-report', 'hotfix-login-500']);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^attribute: 5 episodes \(3 success, 2 failure\) -> 5 signals rows, /);
  });

  it('a misspelled field stops the record; a key outside episode v1 is a warning naming it', async () => {
    const flights = JSON.parse(readFileSync(join(root, 'examples/episodes/03-book-flights.json'), 'utf8'));
    const { label, ...message } = flights.messages[0];
    const typo = jsonl('typo.jsonl', [{ ...flights, messages: [{ ...message, lable: label }, ...flights.messages.slice(1)] }]);
    const stopped = await cli('attribute', typo);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('messages[0].lable: unknown field (holding "helpful"); did you mean label?');
    const extra = jsonl('extra.jsonl', [{ ...flights, metadata: { run: 1 } }]);
    const warned = await cli('attribute', extra);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('ignored a field that episode v1 does not read: metadata (data to keep belongs in annotations)');
  });

  it('--from whowhen on a directory of logs; --format prm labels break at mistake_step', async () => {
    const { code, stdout } = await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'prm');
    expect(code).toBe(0);
    const rows = lines(stdout);
    // Files in path order (102.json sorts before 93.json); `source` is the path inside the input directory.
    const logs = ['Algorithm-Generated/102.json', 'Algorithm-Generated/93.json', 'Hand-Crafted/6.json'];
    expect([...new Set(rows.map((row) => row.source))]).toEqual(logs);
    for (const log of logs) {
      const record = JSON.parse(readFileSync(join(root, 'examples/whowhen', log), 'utf8'));
      const episode = episodeFrom('whowhen', record, {}, {});
      const step = Number(record.mistake_step);
      const mine = rows.filter((row) => row.source === log);
      // One row per agent that speaks; each of its messages is a step, false from mistake_step on.
      expect(mine.map((row) => row.agent)).toEqual(episode.agents.filter((agent) => episode.messages.some((message) => message.agent === agent)));
      for (const row of mine) {
        const own = episode.messages.map((message, m) => [message.agent, m] as const).filter(([agent]) => agent === row.agent);
        expect(row.labels).toEqual(own.map(([, m]) => m < step));
      }
    }
  });

  it('writes each --format with TRL field names to -o', async () => {
    const expected: Record<string, string[]> = {
      dpo: ['prompt', 'chosen', 'rejected', 'agent', 'episode', 'message', 'source'],
      kto: ['prompt', 'completion', 'label', 'agent', 'episode', 'message', 'source'],
      prm: ['prompt', 'completions', 'labels', 'agent', 'episode', 'message', 'source'],
      rewards: ['prompt', 'completion', 'reward', 'agent', 'episode', 'message', 'source'],
    };
    for (const [format, keys] of Object.entries(expected)) {
      const out = join(dir, `out.${format}.jsonl`);
      const { code, stdout, stderr } = await cli('attribute', 'examples/episodes', '-o', out, '--format', format);
      expect(code).toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`-> \\d+ ${format} rows? in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      const rows = lines(readFileSync(out, 'utf8'));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(Object.keys(row)).toEqual(keys);
    }
  });

  it('stops at a truncated line, naming file, line and episode, keeping every row written before it in <out>.partial', async () => {
    const records: Array<unknown> = good(2500);
    const broken = JSON.stringify(records[1499]).slice(0, 80);
    records[1499] = broken;
    const input = jsonl('truncated.jsonl', records);
    // In worker threads (default) and in the main thread, the same rows, cut at the same record.
    for (const workers of ['2', '0']) {
      const out = join(dir, `truncated.${workers}.out.jsonl`);
      const { code, stderr } = await cli('attribute', input, '-o', out, '--workers', workers);
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`truncated\\.jsonl line 1500, episode \\(no id\\): not valid JSON .*truncated or broken line`));
      expect(stderr).toMatch(new RegExp(` -> 1499 signals rows in ${out}\\.partial, .*; ${out} was left as it was\\n$`));
      expect(existsSync(out)).toBe(false);
      expect(lines(readFileSync(`${out}.partial`, 'utf8')).map((s) => s.id)).toEqual(good(1499).map((r) => r.id));
    }
  });

  it('a bad record in the last chunk: the summary line counts every row written before it, those of its own chunk too', async () => {
    // Two chunks (about 650 KB); the second one's rows, 1 MB before the bad last line, are still going into the pipe when
    // the input has been read.
    const long = (k: number) => ({
      id: `long-${k}`, task: 't', agents: ['planner', 'coder'], outcome: { score: 1, success: true },
      messages: Array.from({ length: 20 }, (_, m) => ({ id: `m${m}`, agent: m % 2 ? 'coder' : 'planner', content: `step ${m} ${'q'.repeat(50)}` })),
      coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.4 }, { agents: ['coder'], value: 0.3 }, { agents: ['planner', 'coder'], value: 1 }],
    });
    const input = jsonl('last-chunk-stops.jsonl', [...Array.from({ length: 300 }, (_, k) => long(k)), '{"id": "cut", ']);
    for (const workers of ['0', '1']) {
      const { code, stdout, stderr } = await cli('attribute', input, '--format', 'rewards', '--workers', workers);
      expect(code).toBe(1);
      expect(lines(stdout)).toHaveLength(6000);
      expect(stderr).toMatch(/stopped at a bad record after 300 episodes \(300 success, 0 failure\) -> 6000 rewards rows, /);
    }
  });

  it('--skip-invalid goes on and counts the skips', async () => {
    const records: Array<unknown> = good(6);
    (records[1] as { messages: Array<{ agent: string }> }).messages[0].agent = 'ghost';
    records[3] = '{"id": "cut", "agents": [';
    records.push(records[0]);
    const input = jsonl('skips.jsonl', records);
    for (const workers of ['1', '0']) {
      const { code, stdout, stderr } = await cli('attribute', input, '--skip-invalid', '--workers', workers);
      expect(code).toBe(0);
      // The repeated id of line 7 is told apart by its file and line (--id-from record, the default).
      expect(lines(stdout).map((s) => s.id)).toEqual(['ep-0', 'ep-2', 'ep-4', 'ep-5', 'skips:7/ep-0']);
      expect(stderr).toMatch(/skipped .*skips\.jsonl line 2, episode "ep-1" \(read as episode v1\): messages\[0\]\.agent: unknown agent "ghost"/);
      expect(stderr).toMatch(/skipped .*skips\.jsonl line 4/);
      expect(stderr).toMatch(/1 episode id repeated an earlier one and became file:line\/id/);
      expect(stderr).toMatch(/attribute: 5 episodes \(.*, 2 skipped\)/);
    }
  });

  it('--format summary renames a repeated id in its block, as the JSON formats do in their rows', async () => {
    const records = good(2);
    records.push({ ...records[0] });
    const input = jsonl('repeat-summary.jsonl', records);
    for (const workers of ['1', '0']) {
      const { code, stdout, stderr } = await cli('attribute', input, '--format', 'summary', '--workers', workers);
      expect(code, stderr).toBe(0);
      const headers = stdout.split('\n').filter((line) => /  (SUCCESS|FAILURE)$/.test(line)).map((line) => line.replace(/  \w+$/, ''));
      expect(headers).toEqual(['ep-0', 'ep-1', 'repeat-summary:3/ep-0']);
      expect(stderr).toMatch(/1 episode id repeated an earlier one and became file:line\/id/);
    }
  });

  it('a record that keeps a worker busy while the main thread only waits still finishes (the busy worker keeps the process alive)', async () => {
    // The longest Who&When log as rewards: 120 rows, each with the transcript before its message, about a second of work.
    const alone = mkdtempSync(join(dir, 'one-log-'));
    writeFileSync(join(alone, '30.json'), readFileSync(join(WHOWHEN_RELEASE, 'Hand-Crafted', '30.json')));
    const out = join(alone, 'rewards.jsonl');
    const { code, stderr } = await cli('attribute', alone, '--from', 'whowhen', '--format', 'rewards', '--workers', '1', '-o', out);
    expect(code, stderr).toBe(0);
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(120);
  });

  it('reports invalid records with line and field: duplicate ids, missing coalitions, score out of range', async () => {
    const [a, b] = good(2);
    const duplicate = await cli('attribute', jsonl('dup.jsonl', [a, b, { ...b }]), '--id-from', 'both');
    expect(duplicate.code).toBe(0);
    expect(lines(duplicate.stdout).map((row) => row.id.replace(/^.*\//, ''))).toEqual(['ep-0', 'ep-1', 'ep-1']);
    const sameFileName = await cli('attribute', jsonl('dup.jsonl', [a, b, { ...b }]), '--id-from', 'file');
    expect(lines(sameFileName.stdout).map((row) => row.id)).toEqual(['dup:1', 'dup:2', 'dup:3']);
    const twice = await cli('attribute', jsonl('twice.jsonl', [a, { ...a, id: 'twice:3/ep-0' }, { ...a }]));
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/twice\.jsonl line 3, episode "ep-0": id: duplicate episode id \(also at .*twice\.jsonl line 1\)/);
    expect(lines(twice.stdout)).toHaveLength(2);
    const missing = await cli('attribute', jsonl('missing.jsonl', [{ ...a, coalitions: (a.coalitions as unknown[]).slice(1) }]));
    expect(missing.stderr).toMatch(/missing\.jsonl line 1, episode "ep-0" \(read as episode v1\): coalitions: exact attribution needs all .* missing 1: \{\}/);
    const scored = structuredClone(a);
    scored.messages[0].score = -3;
    const range = await cli('attribute', jsonl('range.jsonl', [scored]));
    expect(range.stderr).toMatch(/range\.jsonl line 1, episode "ep-0" \(read as episode v1\): messages\[0\]\.score: expected .* in \[-1, 1\], got -3/);
  });

  it('a repeated id becomes file:line/id in every output format, in each row that names its episode', async () => {
    const examples = ['04-revenue-report.json', '03-book-flights.json'].map((name) => JSON.parse(readFileSync(join(root, 'examples/episodes', name), 'utf8')));
    const input = jsonl('repeat.jsonl', [...examples, examples[1]]);
    // Named by the file as the rows' source column names it: here, the file's own name.
    const renamed = `repeat:3/${examples[1].id}`;
    for (const format of ['signals', 'dpo', 'kto', 'prm', 'rewards']) {
      const { code, stdout, stderr } = await cli('attribute', input, '--format', format, '--workers', '0');
      expect(code, stderr).toBe(0);
      const ids = lines(stdout).map((row) => (format === 'signals' ? row.id : row.episode));
      const original = ids.filter((id) => id === examples[1].id).length;
      expect([format, original > 0]).toEqual([format, true]);
      expect([format, ids.filter((id) => id === renamed).length]).toEqual([format, original]);
      expect(ids.every((id) => id === examples[0].id || id === examples[1].id || id === renamed)).toBe(true);
    }
    const report = join(dir, 'repeat.html');
    expect((await cli('attribute', input, '--report', report, '--workers', '0')).code).toBe(0);
    // The report's episode and its signals carry the new id too.
    expect(readFileSync(report, 'utf8').split(`"id":${JSON.stringify(renamed)}`)).toHaveLength(3);
  });

  it('reads a .json file holding an array of episodes', async () => {
    const path = join(dir, 'list.json');
    writeFileSync(path, JSON.stringify(good(3, 40)));
    const { code, stdout } = await cli('attribute', path, '--format', 'rewards');
    expect(code).toBe(0);
    expect(new Set(lines(stdout).map((row) => row.episode))).toEqual(new Set(['ep-40', 'ep-41', 'ep-42']));
  });

  it('an explicit --from reads a .json array of its records as --from auto does; a transcript array stays one record', async () => {
    const logs = ['Algorithm-Generated/93.json', 'Hand-Crafted/6.json'].map((log) => JSON.parse(readFileSync(join(root, 'examples/whowhen', log), 'utf8')));
    const chat = (id: string, success: boolean) => ({
      id,
      messages: [{ role: 'user', content: 'plan a trip' }, { role: 'assistant', name: 'planner', content: 'Lisbon' }, { role: 'assistant', name: 'booker', content: 'booked', label: success ? 'helpful' : 'error' }],
      outcome: { score: success ? 1 : 0, success },
      coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.5 }, { agents: ['booker'], value: 0.25 }],
    });
    for (const [format, records] of [['whowhen', logs], ['openai', [chat('trip-1', true), chat('trip-2', false)]]] as const) {
      const path = join(dir, `${format}-list.json`);
      writeFileSync(path, JSON.stringify(records));
      const explicit = await cli('attribute', path, '--from', format);
      expect(explicit.code, explicit.stderr).toBe(0);
      const auto = await cli('attribute', path);
      expect(lines(explicit.stdout)).toHaveLength(2);
      expect(explicit.stdout).toBe(auto.stdout);
    }
    const transcript = join(dir, 'one-chat.json');
    writeFileSync(transcript, JSON.stringify(chat('x', true).messages));
    // Read whole: the one record lacks its outcome (a list would have named one-chat.json[0]).
    const one = await cli('attribute', transcript, '--from', 'openai');
    expect(one.stderr).toMatch(/one-chat\.json, episode "[^"]*one-chat": outcome: missing/);
  });

  it('--reward-bound B lets credit on a 0-10 scale be split; without it the error names the flag', async () => {
    // Outcome score 8 on a 0-10 scale: planner's credit 8 on its one message is past the default bound of 1.
    const coalitions = [{ agents: [], value: 0 }, { agents: ['planner'], value: 8 }, { agents: ['coder'], value: 0 }, { agents: ['planner', 'coder'], value: 8 }];
    const input = jsonl('scale-10.jsonl', [{
      id: 'scale-10', agents: ['planner', 'coder'], coalitions, outcome: { score: 8, success: true },
      messages: [{ id: 'p', agent: 'planner', content: 'plan' }, { id: 'c', agent: 'coder', content: 'code' }],
    }]);
    const stopped = await cli('attribute', input);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/agent "planner": credit 8 cannot be split .*Raise the bound option \(CLI: --reward-bound B\) or check the labels/);
    for (const workers of ['0', '1']) {
      const { code, stdout, stderr } = await cli('attribute', input, '--reward-bound', '10', '--workers', workers);
      expect(code, stderr).toBe(0);
      expect(lines(stdout)[0].messages.map((message: { reward: number }) => message.reward)).toEqual([8, 0]);
    }
  });

  it('--drop-threshold D and --score-threshold S set where a first error is found in recorded prefix values and scores', async () => {
    const failed = (id: string, messages: object[]) => ({ id, agents: ['planner', 'coder'], outcome: { score: 0, success: false }, messages });
    const input = jsonl('thresholds.jsonl', [
      // The success probability falls by 0.2 at the coder's message: under the default 0.3.
      failed('falls', [{ id: 'p', agent: 'planner', content: 'plan', prefixValue: 0.6 }, { id: 'c', agent: 'coder', content: 'code', prefixValue: 0.4 }]),
      // The coder's message is scored -0.3: above the default -0.5.
      failed('scored', [{ id: 'p', agent: 'planner', content: 'plan', score: 0.5 }, { id: 'c', agent: 'coder', content: 'code', score: -0.3 }]),
    ]);
    const defaults = lines((await cli('attribute', input)).stdout);
    expect(defaults.map((row) => row.firstError)).toEqual([null, null]);
    const { code, stdout, stderr } = await cli('attribute', input, '--drop-threshold', '0.1', '--score-threshold', '-0.2');
    expect(code, stderr).toBe(0);
    expect(lines(stdout).map((row) => row.firstError?.id)).toEqual(['c', 'c']);
  });

  it('refuses --reward-bound, --score-threshold and --drop-threshold values outside their range, naming the flag', async () => {
    const input = jsonl('one.jsonl', good(1));
    for (const [args, message] of [
      [['--reward-bound', '0'], /--reward-bound: expected the largest \|message reward\| as a number > 0 .*got "0"/],
      [['--reward-bound', 'ten'], /--reward-bound: expected .* got "ten"/],
      [['--score-threshold', '-2'], /--score-threshold: expected a message score in \[-1, 1\], got "-2"/],
      [['--drop-threshold', '1.5'], /--drop-threshold: expected a fall of the success probability in \[0, 1\], got "1.5"/],
      [['--drop-threshold', ''], /--drop-threshold: expected .* got ""/],
    ] as const) {
      const { code, stderr } = await cli('attribute', input, ...args);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
    }
  });

  it('a misspelled --agents name is an error naming the flag and the speaker meant, for a transcript and an episode record alike', async () => {
    const outcome = { score: 1, success: true };
    const text = jsonl('roster-text.jsonl', [{ id: 't', text: 'alice: hi\nbob: yo', outcome }]);
    const episode = jsonl('roster-episode.jsonl', [{ id: 'e', agents: ['alice', 'bob'], outcome, messages: [{ agent: 'alice', content: 'hi' }, { agent: 'bob', content: 'yo' }] }]);
    for (const [input, from] of [[text, 'text'], [episode, 'episode']]) {
      const { code, stderr } = await cli('attribute', input, '--from', from, '--agents', 'alcie,bob');
      expect(code).toBe(1);
      expect(stderr).toMatch(/--agents: "alcie" never speaks in the transcript; did you mean "alice"\? \(it speaks but is not listed\)/);
      expect(stderr).not.toMatch(/options\.agents/);
    }
  });

  it('rejects unknown flags values and missing inputs clearly', async () => {
    expect((await cli('attribute', 'examples/episodes', '--format', 'csv')).stderr).toMatch(/--format: expected one of signals, dpo, kto, prm, rewards, summary, got "csv"/);
    expect((await cli('attribute', 'examples/episodes', '--from', 'crewai')).stderr).toMatch(/--from: expected one of auto, episode, openai, responses, ag2, autogen, langchain, otel, text, whowhen/);
    expect((await cli('attribute', join(dir, 'nope.jsonl'))).stderr).toMatch(/cannot read .*nope\.jsonl/);
    expect((await cli('attribute')).stderr).toMatch(/attribute: expected exactly one input/);
    expect((await cli('attribute', 'examples/episodes', '--workers', 'many')).stderr).toMatch(/--workers: expected an integer from 0/);
  });
});
