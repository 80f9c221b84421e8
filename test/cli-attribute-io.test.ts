// `agent-credit attribute` at its edges: where rows go (-o that is an input,
// that cannot be opened, a reader that goes away, an interrupted run), what
// is read (links, extensions, empty inputs), records that would overflow the
// stack, line separators in rows, --help.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cli, root } from './support/cli.js';
import { randomEpisode } from './support/episodes.js';
import { tempDir } from './support/temp-dir.js';
import { attributeEpisode, distinctEpisodeId, fileEpisodeId, parseEpisode, toJsonl, toRewards } from '../src/episodes.js';

const dir = tempDir('agent-credit-io-');
const lines = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
const good = (count: number, offset = 0) => Array.from({ length: count }, (_, k) => randomEpisode(offset + k, { harmful: false }));

function write(path: string, records: Array<unknown | string>): string {
  writeFileSync(path, records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n') + '\n');
  return path;
}

function fresh(name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |node:internal|Unhandled/);

/** A transcript nested `depth` lists deep, as one JSON text (built as a string: JSON.stringify would overflow). */
const nested = (depth: number) => '['.repeat(depth) + '"x"' + ']'.repeat(depth);

describe('agent-credit attribute: the output', () => {
  it('refuses an -o that is one of its inputs (same path, a hard link, a link to it), leaving the input as it was', async () => {
    const home = fresh('same');
    const input = write(join(home, 'runs.jsonl'), good(5));
    const before = readFileSync(input, 'utf8');
    linkSync(input, join(home, 'hard.jsonl'));
    symlinkSync(input, join(home, 'soft.jsonl'));
    for (const output of [input, join(home, '.', 'runs.jsonl'), join(home, 'hard.jsonl'), join(home, 'soft.jsonl')]) {
      const { code, stdout, stderr } = await cli('attribute', input, '-o', output);
      expect(code, output).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain(`-o ${output} is also an input (${input})`);
      noStack(stderr);
      expect(readFileSync(input, 'utf8')).toBe(before);
    }
  });

  it('ids made from file names are relative to the input directory, whatever spelling of its path the command was given', async () => {
    const home = fresh('ids');
    mkdirSync(join(home, 'a'));
    mkdirSync(join(home, 'b'));
    write(join(home, 'a', 'runs.jsonl'), good(2));
    // The same record ids again in another file: renamed file:line/id.
    write(join(home, 'b', 'runs.jsonl'), good(1));
    const idsOf = async (input: string, ...flags: string[]) => lines((await cli('attribute', input, ...flags)).stdout).map((row) => row.id);
    for (const input of [home, relative(root, home)]) {
      expect(await idsOf(input, '--id-from', 'file')).toEqual(['a/runs:1', 'a/runs:2', 'b/runs:1']);
      expect(await idsOf(input)).toEqual([good(1)[0].id, good(2)[1].id, `b/runs:1/${good(1)[0].id}`]);
    }
    // The elements of a .json list: file[k], the extension dropped as for every file id.
    const listed = join(home, 'list.json');
    writeFileSync(listed, JSON.stringify(good(2)));
    expect(await idsOf(listed, '--id-from', 'both')).toEqual(good(2).map((record, k) => `list[${k}]/${record.id}`));
  });

  it('-o - writes the rows to stdout, as no -o does, and creates no file named -', async () => {
    const home = fresh('dash');
    const input = write(join(home, 'runs.jsonl'), good(3));
    const plain = await cli('attribute', input);
    const dashed = await cli('attribute', input, '-o', '-');
    expect(dashed.code).toBe(0);
    expect(dashed.stdout).toBe(plain.stdout);
    expect(dashed.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(existsSync(join(root, '-'))).toBe(false);
  });

  it('refuses an -o inside an input directory that a previous run wrote there, instead of reading it back', async () => {
    const home = fresh('rerun');
    write(join(home, 'runs.jsonl'), good(4));
    const output = join(home, 'signals.jsonl');
    const first = await cli('attribute', home, '-o', output);
    expect(first.code).toBe(0);
    const rows = readFileSync(output, 'utf8');
    expect(lines(rows)).toHaveLength(4);
    const second = await cli('attribute', home, '-o', output);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`-o ${output} is also an input (${output})`);
    expect(readFileSync(output, 'utf8')).toBe(rows);
    // No temporary file is left beside it.
    expect(readdirSync(home).sort()).toEqual(['runs.jsonl', 'signals.jsonl']);
  });

  it('an -o that cannot be opened is a one-line error, exit code 1', async () => {
    const input = write(join(fresh('unwritable'), 'runs.jsonl'), good(2));
    const cases: Array<[string, string]> = [
      [join(dir, 'no', 'such', 'dir', 'out.jsonl'), 'no such file or directory'],
      [dir, 'is a directory'],
      [join(input, 'out.jsonl'), 'not a directory'],
      ['/proc/version', 'cannot create a temporary file in /proc (no such file or directory); -o needs a directory the run may create files in'],
    ];
    for (const [output, reason] of cases) {
      const { code, stdout, stderr } = await cli('attribute', input, '-o', output);
      expect(code, output).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(`agent-credit: cannot write ${output}: ${reason}\n`);
    }
  });

  it('a bad record keeps the rows before it in <out>.partial and leaves -o as it was', async () => {
    const home = fresh('partial');
    const records: unknown[] = good(30);
    records[20] = '{"id": "cut", ';
    const input = write(join(home, 'runs.jsonl'), records);
    const output = join(home, 'out.jsonl');
    writeFileSync(output, 'previous\n');
    for (const workers of ['0', '2']) {
      const { code, stderr } = await cli('attribute', input, '-o', output, '--workers', workers);
      expect(code).toBe(1);
      expect(stderr).toMatch(/runs\.jsonl line 21/);
      expect(stderr).toMatch(new RegExp(`\\nattribute: stopped at a bad record after 20 episodes .* -> 20 signals rows in ${output}\\.partial, .*; ${output} was left as it was\\n$`));
      noStack(stderr);
      expect(readFileSync(output, 'utf8')).toBe('previous\n');
      expect(lines(readFileSync(`${output}.partial`, 'utf8')).map((row) => row.id)).toEqual(good(20).map((episode) => episode.id));
      expect(readdirSync(home).sort()).toEqual(['out.jsonl', 'out.jsonl.partial', 'runs.jsonl']);
    }
    // A later run that succeeds replaces -o and leaves the .partial alone; one stopped at its first record keeps an empty one.
    const fixed = write(join(home, 'fixed.jsonl'), good(3));
    expect((await cli('attribute', fixed, '-o', output)).code).toBe(0);
    expect(lines(readFileSync(output, 'utf8'))).toHaveLength(3);
    const broken = write(join(home, 'broken.jsonl'), ['{"id": "cut", ']);
    const first = await cli('attribute', broken, '-o', output);
    expect(first.stderr).toMatch(new RegExp(` -> 0 signals rows in ${output}\\.partial, .*; ${output} was left as it was\\n$`));
    expect(readFileSync(`${output}.partial`, 'utf8')).toBe('');
    expect(lines(readFileSync(output, 'utf8'))).toHaveLength(3);
  });

  it('refuses an -o whose .partial would be one of the inputs', async () => {
    const home = fresh('partial-input');
    const input = write(join(home, 'runs.jsonl'), good(2));
    symlinkSync(input, join(home, 'out.jsonl.partial'));
    const { code, stderr } = await cli('attribute', input, '-o', join(home, 'out.jsonl'));
    expect(code).toBe(1);
    expect(stderr).toBe(`agent-credit: -o ${join(home, 'out.jsonl')}: a run stopped by a bad record would keep its rows in ${join(home, 'out.jsonl.partial')}, which is an input (${input}); choose another output\n`);
  });

  it('a temporary file left by a run killed with SIGKILL is removed by the next run writing that -o', async () => {
    const home = fresh('killed');
    const input = write(join(home, 'runs.jsonl'), good(20000));
    const output = join(home, 'out.jsonl');
    const child = spawn(process.execPath, [bin, 'attribute', input, '-o', output, '--workers', '0'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
    const temporaries = () => readdirSync(home).filter((name) => name.endsWith('.tmp'));
    for (let waited = 0; temporaries().length === 0 && waited < 20_000; waited += 5) await new Promise((next) => setTimeout(next, 5));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const left = temporaries();
    if (left.length === 0) return; // finished before the signal came: nothing was left
    expect(left).toEqual([expect.stringMatching(new RegExp(`^\\.out\\.jsonl\\..+\\.${child.pid}\\.[a-z0-9]+\\.tmp$`))]);
    // A temporary file of a live process (this one) is not touched.
    const live = `.out.jsonl.${left[0].split('.')[3]}.${process.pid}.abcdef.tmp`;
    writeFileSync(join(home, live), 'in use');
    const small = write(join(home, 'small.jsonl'), good(2));
    expect((await cli('attribute', small, '-o', output)).code).toBe(0);
    expect(readdirSync(home).sort()).toEqual([live, 'out.jsonl', 'runs.jsonl', 'small.jsonl']);
  });

  it('an interrupted run removes its temporary file and leaves an existing -o as it was', async () => {
    const home = fresh('interrupted');
    const input = write(join(home, 'runs.jsonl'), good(20000));
    const output = join(home, 'out.jsonl');
    writeFileSync(output, 'previous\n');
    const child = spawn(process.execPath, [bin, 'attribute', input, '-o', output, '--workers', '0'], { stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // Wait until the run is under way: a temporary file beside the output, or the output itself touched.
    const started = () => readdirSync(home).some((name) => name.endsWith('.tmp')) || readFileSync(output, 'utf8') !== 'previous\n';
    for (let waited = 0; !started() && waited < 20_000; waited += 5) await new Promise((next) => setTimeout(next, 5));
    child.kill('SIGINT');
    const { code, signal } = await exited;
    if (code === 0) return; // finished before the signal came (a very fast machine): nothing to check
    expect(signal).toBe('SIGINT');
    expect(readFileSync(output, 'utf8')).toBe('previous\n');
    expect(readdirSync(home).sort()).toEqual(['out.jsonl', 'runs.jsonl']);
  });

  it('a reader that goes away (| head) stops the run quietly with exit code 0', async () => {
    const input = write(join(fresh('epipe'), 'runs.jsonl'), good(3000));
    for (const workers of ['2', '0']) {
      const child = spawn(process.execPath, [bin, 'attribute', input, '--workers', workers], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (data) => (stderr += data));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, stderr).toBe(0);
      expect(stderr).not.toMatch(/EPIPE|Error/);
    }
  });
});

describe('agent-credit attribute: chunks on the worker threads or the main thread', () => {
  it('a record larger than a worker takes (4 MiB) is attributed on the main thread, in its place: the rows equal a run without workers', async () => {
    const home = fresh('large-record');
    const large = randomEpisode(1_000, { harmful: false });
    // 30,000 messages of 150 characters: one 5 MB line.
    large.messages = Array.from({ length: 30_000 }, (_, m) => ({ id: `m${m}`, agent: large.agents[m % large.agents.length], content: 'x'.repeat(150) }));
    const input = write(join(home, 'runs.jsonl'), [...good(200), large, ...good(200, 200)]);
    const withWorkers = await cli('attribute', input, '--workers', '2');
    const alone = await cli('attribute', input, '--workers', '0');
    expect([withWorkers.code, alone.code]).toEqual([0, 0]);
    expect(lines(withWorkers.stdout).map((row) => row.id)).toEqual(lines(alone.stdout).map((row) => row.id));
    expect(withWorkers.stdout).toBe(alone.stdout);
    expect(lines(withWorkers.stdout)).toHaveLength(401);
  }, 60_000);
});

describe('agent-credit attribute: one long episode', () => {
  /** A failed run of `count` messages of about 70 characters, its first error at message 1: its rewards rows grow with count^2. */
  const long = (id: string, count: number) => ({
    id, task: 'Fix the flaky test.', agents: ['planner', 'coder'], outcome: { score: 0, success: false },
    messages: Array.from({ length: count }, (_, m) => ({ id: `m${m}`, agent: m % 2 ? 'coder' : 'planner', content: `step ${m}: ${'y'.repeat(60)}`, ...(m === 1 ? { label: 'error' } : {}) })),
    coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.4 }, { agents: ['coder'], value: 0.3 }, { agents: ['planner', 'coder'], value: 0 }],
  });
  /** The library's rows of a record (toRewards, all at once), under the id the CLI gives it. */
  const rewardsOf = async (record: Record<string, unknown>, id = record.id as string) => {
    const episode = parseEpisode({ ...record, id });
    return toJsonl(toRewards(await attributeEpisode(episode), episode, { source: 'runs.jsonl' }));
  };
  const capped = promisify(execFile);

  it('rows are written in parts as they are made: 75 MB of rows from a heap capped at 32 MB, byte for byte the library\'s, a repeated id renamed in every part', async () => {
    const home = fresh('long-episode');
    const records = [good(1)[0], long('long', 1_000), long('long', 1_000), good(1, 1)[0]];
    const input = write(join(home, 'runs.jsonl'), records);
    const renamed = distinctEpisodeId('long', fileEpisodeId({ file: 'runs.jsonl', line: 3 }), new Set(['long']))!;
    const expected = (await Promise.all(records.map((record, k) => rewardsOf(record, k === 2 ? renamed : undefined)))).join('');
    expect(expected.length).toBeGreaterThan(70e6);
    const output = join(home, 'out.jsonl');
    // Made all at once, one episode's rows (or their bytes, kept until the chunk's end) took far more than 32 MB.
    for (const workers of ['0', '1']) {
      const { stderr } = await capped(process.execPath, ['--max-old-space-size=32', bin, 'attribute', input, '--format', 'rewards', '--workers', workers, '-o', output], { cwd: root });
      expect(stderr).toMatch(new RegExp(`4 episodes .* -> ${expected.split('\n').length - 1} rewards rows in .*out\\.jsonl`));
      expect(stderr).toMatch(/1 episode id repeated an earlier one/);
      expect(readFileSync(output, 'utf8') === expected).toBe(true);
    }
  }, 120_000);

  it('--agent and --split-by-agent keep each agent\'s rows of the unsplit output; a bad record after a long episode keeps all its rows in .partial', async () => {
    const home = fresh('long-episode-split');
    const records: unknown[] = [long('long', 700), good(1)[0], '{"id": "cut", '];
    const input = write(join(home, 'runs.jsonl'), records);
    const whole = (await Promise.all(records.slice(0, 2).map((record) => rewardsOf(record as Record<string, unknown>)))).join('');
    const output = join(home, 'out.jsonl');
    const stopped = await cli('attribute', input, '--format', 'rewards', '-o', output);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/runs\.jsonl line 3/);
    expect(readFileSync(`${output}.partial`, 'utf8') === whole).toBe(true);
    const fixed = write(join(fresh('long-episode-split/fixed'), 'runs.jsonl'), records.slice(0, 2));
    const byAgent = (agent: string) => whole.split('\n').filter((row) => row !== '' && JSON.parse(row).agent === agent).map((row) => `${row}\n`).join('');
    const coder = await cli('attribute', fixed, '--format', 'rewards', '--agent', 'coder', '-o', output);
    expect(coder.code, coder.stderr).toBe(0);
    expect(readFileSync(output, 'utf8') === byAgent('coder')).toBe(true);
    const split = join(home, 'split');
    const { code, stderr } = await cli('attribute', fixed, '--format', 'rewards', '--split-by-agent', split);
    expect(code, stderr).toBe(0);
    for (const agent of ['planner', 'coder']) expect(readFileSync(join(split, `${agent}.rewards.jsonl`), 'utf8') === byAgent(agent)).toBe(true);
  }, 120_000);

  it('--skip-invalid skips a long episode whose id is a duplicate once, in every part of its rows, and lists it once in --report', async () => {
    const home = fresh('long-episode-duplicate');
    // Line 3's id "long" would become runs:3/long, which line 1 took: a duplicate. Its 12 MB of rows take three parts.
    const records = [long('runs:3/long', 20), long('long', 20), long('long', 450), good(1)[0]];
    const input = write(join(home, 'runs.jsonl'), records);
    const expected = (await Promise.all([0, 1, 3].map((k) => rewardsOf(records[k])))).join('');
    const report = join(home, 'report.html');
    for (const workers of ['0', '1']) {
      const { code, stdout, stderr } = await cli('attribute', input, '--format', 'rewards', '--skip-invalid', '--workers', workers, '--report', report);
      expect(code, stderr).toBe(0);
      expect(stdout === expected).toBe(true);
      expect(stderr.match(/skipped .*duplicate episode id/g)).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`3 episodes \\(1 success, 2 failure, 1 skipped\\) -> ${expected.split('\n').length - 1} rewards rows`));
      expect(readFileSync(report, 'utf8').match(/duplicate episode id/g)).toHaveLength(1);
    }
  }, 120_000);
});

describe('agent-credit attribute: records that would overflow the stack', () => {
  const deep = (name: string) =>
    write(join(fresh('deep'), name), [
      { id: 'a', messages: [{ role: 'user', type: 'human', content: 'hi' }, { role: 'assistant', type: 'ai', content: 'hello', label: 'error' }], outcome: { score: 0, success: false } },
      `{"id": "deep", "messages": [{"role": "user", "content": ${nested(20000)}}], "outcome": {"score": 0, "success": false}}`,
      `{"id": "args", "messages": [{"type": "ai", "content": "", "tool_calls": [{"name": "f", "args": ${nested(20000)}}]}], "outcome": {"score": 0, "success": false}}`,
      { id: 'b', messages: [{ role: 'user', type: 'human', content: 'bye' }, { role: 'assistant', type: 'ai', content: 'bye', label: 'error' }], outcome: { score: 0, success: false } },
    ]);

  it('--skip-invalid skips a content nested 20,000 lists deep, naming the field, and keeps the records around it', async () => {
    const input = deep('openai.jsonl');
    for (const workers of ['0', '1']) {
      const { code, stdout, stderr } = await cli('attribute', input, '--from', 'openai', '--format', 'rewards', '--skip-invalid', '--workers', workers);
      expect(code, stderr).toBe(0);
      expect(lines(stdout).map((row) => row.episode)).toEqual(['a', 'b']);
      expect(stderr).toMatch(/skipped .*openai\.jsonl line 2, episode "deep": messages\[0\]\.content: nested more than 64 levels deep/);
      // The OpenAI adapter reads "type": "ai" messages without role as invalid: line 3 is skipped for that.
      expect(stderr).toMatch(/skipped .*openai\.jsonl line 3/);
      expect(stderr).toMatch(/attribute: 2 episodes .*2 skipped/);
      noStack(stderr);
    }
  });

  it('without --skip-invalid it stops there cleanly, keeping the rows before it', async () => {
    const { code, stdout, stderr } = await cli('attribute', deep('stop.jsonl'), '--from', 'openai', '--format', 'rewards');
    expect(code).toBe(1);
    expect(lines(stdout).map((row) => row.episode)).toEqual(['a']);
    expect(stderr).toMatch(/^agent-credit: .*stop\.jsonl line 2, episode "deep": messages\[0\]\.content: nested more than 64 levels deep/);
    noStack(stderr);
  });

  it('any other failure on one record (tool-call arguments too deep to serialize) is that record\'s error', async () => {
    const { code, stdout, stderr } = await cli('attribute', deep('langchain.jsonl'), '--from', 'langchain', '--format', 'rewards', '--skip-invalid', '--workers', '0');
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/skipped .*langchain\.jsonl line 3, episode "args": cannot be read \(RangeError/);
    expect(lines(stdout).map((row) => row.episode)).toEqual(['a', 'b']);
    noStack(stderr);
  });
});

describe('agent-credit attribute: what is read', () => {
  it('follows links to files and directories in an input directory, reads each once and survives a link loop', async () => {
    const home = fresh('links');
    const elsewhere = fresh('elsewhere');
    write(join(elsewhere, 'b.jsonl'), good(2, 10));
    mkdirSync(join(elsewhere, 'sub'));
    write(join(elsewhere, 'sub', 'c.jsonl'), good(1, 20));
    const input = fresh('links/in');
    write(join(input, 'a.jsonl'), good(1, 0));
    symlinkSync(join(elsewhere, 'b.jsonl'), join(input, 'b.jsonl'));
    symlinkSync(join(elsewhere, 'b.jsonl'), join(input, 'b-again.jsonl'));
    symlinkSync(join(elsewhere, 'sub'), join(input, 'linked-dir'));
    symlinkSync(input, join(input, 'loop'));
    symlinkSync(join(home, 'nowhere.txt'), join(input, 'dangling.txt'));
    const { code, stdout, stderr } = await cli('attribute', input);
    expect(code, stderr).toBe(0);
    expect(lines(stdout).map((row) => row.id)).toEqual(['ep-0', 'ep-10', 'ep-11', 'ep-20']);
  });

  it('a broken link named like an episode file is an error naming it', async () => {
    const input = fresh('broken');
    symlinkSync(join(input, 'gone.jsonl'), join(input, 'runs.jsonl'));
    const { code, stderr } = await cli('attribute', input);
    expect(code).toBe(1);
    expect(stderr).toMatch(/runs\.jsonl: broken symbolic link/);
    noStack(stderr);
  });

  it('reads .jsonl and .ndjson as JSONL and .json as one record, in any letter case; refuses other files by name', async () => {
    const home = fresh('extensions');
    write(join(home, 'a.JSONL'), good(2, 0));
    write(join(home, 'b.ndjson'), good(1, 2));
    write(join(home, 'c.NDJSON'), good(1, 3));
    writeFileSync(join(home, 'd.Json'), JSON.stringify(good(1, 4)[0], null, 2));
    writeFileSync(join(home, 'notes.txt'), 'not an episode');
    const all = await cli('attribute', home);
    expect(all.code, all.stderr).toBe(0);
    expect(lines(all.stdout).map((row) => row.id)).toEqual(['ep-0', 'ep-1', 'ep-2', 'ep-3', 'ep-4']);
    const one = await cli('attribute', join(home, 'a.JSONL'));
    expect(lines(one.stdout)).toHaveLength(2);
    const other = await cli('attribute', join(home, 'notes.txt'));
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(`agent-credit: ${join(home, 'notes.txt')}: not an episode file; expected a directory or a file ending in .jsonl, .ndjson, .json (any letter case)\n`);
  });

  it('a .json file of JSON lines is a bad record that says to name it .jsonl, not a parser position', async () => {
    const home = fresh('lines-in-json');
    const input = write(join(home, 'runs.json'), good(2));
    const { code, stderr } = await cli('attribute', input);
    expect(code).toBe(1);
    expect(stderr).toContain(`runs.json, episode (no id): not one JSON text but one per line (JSON Lines): name the file .jsonl or .ndjson to read each line as a record\n`);
    writeFileSync(input, JSON.stringify(good(1)[0]).slice(0, -1));
    expect((await cli('attribute', input)).stderr).toMatch(/runs\.json, episode \(no id\): not valid JSON \(.*\); a truncated or broken line\?/);
  });

  it('transcripts without an id are named after their file, whatever its extension', async () => {
    const home = fresh('names');
    write(join(home, 'chats.NDJSON'), [{ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello', label: 'error' }], outcome: { score: 0, success: false } }]);
    const { stdout, stderr } = await cli('attribute', join(home, 'chats.NDJSON'), '--from', 'openai', '--format', 'rewards');
    expect(lines(stdout)[0].episode, stderr).toBe('chats:1');
  });

  it('inputs without any record: a warning naming them on stderr, no rows, exit code 0', async () => {
    const empty = fresh('empty');
    const blank = join(fresh('blank'), 'runs.jsonl');
    writeFileSync(blank, '\n  \n');
    const none = await cli('attribute', empty);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain(`agent-credit: warning: ${empty}: no .jsonl, .ndjson or .json files; nothing to attribute\n`);
    const nothing = await cli('attribute', blank, '-o', join(dir, 'nothing.jsonl'));
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toContain(`agent-credit: warning: no records in ${blank}; nothing to attribute\n`);
    expect(readFileSync(join(dir, 'nothing.jsonl'), 'utf8')).toBe('');
  });
});

describe('agent-credit attribute: bytes that are not UTF-8', () => {
  it('a line that is not UTF-8 is a bad record naming its line and byte (never a silent U+FFFD); --skip-invalid skips it', async () => {
    const home = fresh('latin1');
    const [first, second, third] = good(3).map((episode) => JSON.stringify(episode));
    const broken = Buffer.from(second.replace('"task":"', '"task":"caf\u0000'));
    broken[broken.indexOf(0)] = 0xe9;
    const input = join(home, 'runs.jsonl');
    writeFileSync(input, Buffer.concat([Buffer.from(first + '\n'), broken, Buffer.from('\n' + third + '\n')]));
    const at = broken.indexOf(0xe9);
    for (const workers of ['0', '2']) {
      const stopped = await cli('attribute', input, '--workers', workers);
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toContain(`runs.jsonl line 2, episode (no id): not valid UTF-8: bytes e9 `);
      expect(stopped.stderr).toContain(` at byte ${at} of the line; save the file as UTF-8`);
      expect(lines(stopped.stdout)).toHaveLength(1);
      const skipped = await cli('attribute', input, '--workers', workers, '--skip-invalid');
      expect(skipped.code).toBe(0);
      expect(lines(skipped.stdout).map((row) => row.id)).toEqual([good(3)[0].id, good(3)[2].id]);
    }
  });
});

describe('agent-credit attribute: rows and help', () => {
  it('escapes U+2028 and U+2029 in rows, so line-splitting readers see one row per line', async () => {
    const [episode] = good(1);
    episode.task = 'task\u2028with separators\u2029';
    episode.messages[0].content = 'a\u2028b\u2029c';
    const input = write(join(fresh('separators'), 'runs.jsonl'), [episode]);
    for (const format of ['signals', 'prm', 'kto', 'dpo', 'rewards']) {
      const { code, stdout } = await cli('attribute', input, '--format', format);
      expect(code).toBe(0);
      expect(stdout).not.toMatch(/[\u2028\u2029]/);
      // Python's str.splitlines() also splits at these.
      const split = stdout.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/).filter(Boolean);
      expect(split).toEqual(stdout.split('\n').filter(Boolean));
      if (format === 'prm') expect(lines(stdout)[0].prompt).toContain('\ntask\u2028with separators\u2029\n');
      if (format === 'signals') expect(existsSync(input)).toBe(true);
    }
  });

  it('--help and -h print the usage on stdout with exit code 0', async () => {
    for (const args of [['attribute', '--help'], ['attribute', '-h'], ['help', 'attribute']]) {
      const { code, stdout, stderr } = await cli(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^Usage:\n {2}agent-credit attribute </);
      expect(stdout).toMatch(/--skip-invalid/);
    }
  });
});

describe('agent-credit attribute: a full disk', () => {
  /** Runs the CLI with stdout sent to `stdout` (a file or a device) under a file-size limit of `blocks` 512-byte blocks (POSIX sh); SIGXFSZ is ignored by Node, so writes fail with EFBIG. */
  const limited = (blocks: number | 'unlimited', stdout: string, ...args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const quoted = [process.execPath, bin, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
      const child = spawn('/bin/sh', ['-c', `ulimit -f ${blocks} && exec ${quoted} > '${stdout}'`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (data) => (stderr += data));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('stdout on a file that hits its size limit: cannot write stdout, exit code 1, no summary claiming the rows (one chunk and many)', async () => {
    const home = fresh('full-stdout');
    for (const [count, blocks] of [[300, 40], [8000, 1000]] as const) {
      const input = write(join(home, `runs-${count}.jsonl`), good(count));
      const complete = await cli('attribute', input, '--workers', '0');
      expect(complete.stdout.length).toBeGreaterThan(blocks * 512);
      for (const workers of ['0', '2']) {
        const output = join(home, `out-${count}-${workers}.jsonl`);
        const { code, stderr } = await limited(blocks, output, 'attribute', input, '--workers', workers);
        expect(code, stderr).toBe(1);
        expect(stderr).toBe('agent-credit: cannot write stdout: file too large\n');
        // What is there is a prefix of the full output, cut at the limit: the run said so instead of "N rows".
        const written = readFileSync(output, 'utf8');
        expect(written.length).toBe(blocks * 512);
        expect(complete.stdout.startsWith(written)).toBe(true);
      }
    }
  });

  it('--split-by-agent under a file-size limit that only the last row of a file crosses: cannot write that file, exit code 1, DIR as it was', async () => {
    const home = fresh('full-split');
    const args = ['attribute', join(root, 'examples', 'whowhen'), '--from', 'whowhen', '--format', 'rewards', '--workers', '0'];
    const complete = join(home, 'complete');
    expect((await cli(...args, '--split-by-agent', complete)).code).toBe(0);
    const files = readdirSync(complete).map((name) => {
      const bytes = readFileSync(join(complete, name));
      return { name, size: bytes.length, beforeLastRow: bytes.lastIndexOf(10, bytes.length - 2) + 1 };
    });
    const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
    // The write of that last row starts under the limit and stops short at it; no other write reaches it, so
    // nothing fails unless the short write is noticed (before, the run said it wrote every row).
    const blocks = Math.ceil((largest.beforeLastRow + 1) / 512);
    expect(blocks * 512).toBeLessThan(largest.size);
    expect(files.every((file) => file === largest || file.size <= blocks * 512)).toBe(true);
    const split = fresh('full-split/out');
    writeFileSync(join(split, 'Earlier.rewards.jsonl'), 'an earlier run\n');
    const { code, stderr } = await limited(blocks, '/dev/null', ...args, '--split-by-agent', split);
    expect(code, stderr).toBe(1);
    expect(stderr).toBe(`agent-credit: cannot write ${join(split, largest.name)}: file too large\n`);
    expect(readdirSync(split)).toEqual(['Earlier.rewards.jsonl']);
    expect(readFileSync(join(split, 'Earlier.rewards.jsonl'), 'utf8')).toBe('an earlier run\n');
  });

  it('stdout on a device that fails with ENOSPC (/dev/full): cannot write stdout, exit code 1, no stack trace', async () => {
    const input = write(join(fresh('dev-full'), 'runs.jsonl'), good(3000));
    for (const workers of ['0', '2']) {
      const { code, stderr } = await limited('unlimited', '/dev/full', 'attribute', input, '--workers', workers);
      expect(code).toBe(1);
      expect(stderr).toBe('agent-credit: cannot write stdout: no space left on device\n');
    }
    const game = join(dir, 'game.json');
    writeFileSync(game, JSON.stringify({ players: ['a', 'b'], values: [0, 1, 1, 3] }));
    expect(await limited('unlimited', '/dev/full', 'shapley', game)).toEqual({ code: 1, stderr: 'agent-credit: cannot write stdout: no space left on device\n' });
  });

  it('-o under a file-size limit: cannot write -o, exit code 1, the temporary file removed and an existing -o as it was', async () => {
    const home = fresh('full-o');
    const input = write(join(home, 'runs.jsonl'), good(3000));
    const output = join(home, 'out.jsonl');
    writeFileSync(output, 'previous\n');
    const { code, stderr } = await limited(40, '/dev/null', 'attribute', input, '-o', output, '--workers', '0');
    expect(code).toBe(1);
    expect(stderr).toBe(`agent-credit: cannot write ${output}: file too large\n`);
    expect(readFileSync(output, 'utf8')).toBe('previous\n');
    expect(readdirSync(home).sort()).toEqual(['out.jsonl', 'runs.jsonl']);
  });
});
