// `agent-credit attribute` export flags: --agent, --split-by-agent, --system-turn,
// --prm-until-first-error, --prm-max-steps, the `source` column, and refusals
// that come before any row is written.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { agentFileName } from '../src/cli/split-output.js';
import { readmeBlocks } from './support/readme-blocks.js';
import { root } from './support/cli.js';
import { WHOWHEN_RELEASE } from './support/whowhen-release.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('agent-credit-export-');
const lines = (text: string) => text.split('\n').filter(Boolean);
const rows = (text: string) => lines(text).map((line) => JSON.parse(line));
const sorted = (items: string[]) => [...items].sort();

describe('attribute: per-agent rows', () => {
  it('every dpo/kto/prm/rewards row has agent, episode, message and source (the file inside the input directory)', async () => {
    for (const format of ['dpo', 'kto', 'prm', 'rewards']) {
      const { code, stdout } = await cli('attribute', 'examples/episodes', '--format', format, '--workers', '0');
      expect(code).toBe(0);
      for (const row of rows(stdout)) {
        expect(typeof row.agent).toBe('string');
        expect(typeof row.episode).toBe('string');
        expect(typeof row.message).toBe('string');
        expect(row.source).toMatch(/^0\d-[a-z-]+\.json$/);
      }
    }
    // A file input names the file itself.
    const { stdout } = await cli('attribute', 'examples/episodes/03-book-flights.json', '--format', 'kto');
    expect(new Set(rows(stdout).map((row) => row.source))).toEqual(new Set(['03-book-flights.json']));
  });

  it('--agent keeps exactly that agent’s rows of the unsplit output', async () => {
    const all = lines((await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'rewards')).stdout);
    const { code, stdout, stderr } = await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'rewards', '--agent', 'Orchestrator');
    expect(code).toBe(0);
    const expected = all.filter((line) => JSON.parse(line).agent === 'Orchestrator');
    expect(expected.length).toBeGreaterThan(5);
    expect(lines(stdout)).toEqual(expected);
    expect(stderr).toMatch(new RegExp(`-> ${expected.length} rewards rows of Orchestrator`));
  });

  it('--split-by-agent writes one file per agent, whose union is the unsplit output', async () => {
    for (const format of ['dpo', 'kto', 'prm', 'rewards']) {
      const out = join(dir, `split-${format}`);
      const flags = ['examples/whowhen', '--from', 'whowhen', '--format', format, ...(format === 'prm' ? ['--prm-max-steps', '8'] : [])];
      const unsplit = lines((await cli('attribute', ...flags)).stdout);
      const { code, stdout, stderr } = await cli('attribute', ...flags, '--split-by-agent', out);
      expect(code, stderr).toBe(0);
      expect(stdout).toBe('');
      const agents = [...new Set(unsplit.map((line) => JSON.parse(line).agent as string))];
      const files = readdirSync(out).sort();
      expect(files).toEqual(sorted(agents.map((agent) => agentFileName(agent, format))));
      const union: string[] = [];
      for (const agent of agents) {
        const mine = lines(readFileSync(join(out, agentFileName(agent, format)), 'utf8'));
        for (const line of mine) expect(JSON.parse(line).agent).toBe(agent);
        // Each file keeps the unsplit order of its rows.
        expect(mine).toEqual(unsplit.filter((line) => JSON.parse(line).agent === agent));
        union.push(...mine);
      }
      expect(sorted(union)).toEqual(sorted(unsplit));
      expect(stderr).toMatch(new RegExp(`in ${files.length} files? under `));
    }
  });

  it('--split-by-agent stopped by a bad record leaves the directory as it was', async () => {
    const out = join(dir, 'split-stopped');
    mkdirSync(out);
    writeFileSync(join(out, 'planner.rewards.jsonl'), 'earlier\n');
    const bad = join(dir, 'split-stopped.jsonl');
    writeFileSync(bad, readFileSync('examples/episodes/03-book-flights.json', 'utf8').replace(/\s*\n\s*/g, ' ') + '\n{"id": "broken"\n');
    const { code, stderr } = await cli('attribute', bad, '--format', 'rewards', '--split-by-agent', out);
    expect(code).toBe(1);
    expect(stderr).toMatch(/line 2, episode \(no id\): not valid JSON/);
    expect(stderr).toMatch(new RegExp(`attribute: stopped at a bad record after 1 episode \\(0 success, 1 failure\\) -> 5 rewards rows, \\S+ s; ${out} was left as it was`));
    expect(readdirSync(out)).toEqual(['planner.rewards.jsonl']);
    expect(readFileSync(join(out, 'planner.rewards.jsonl'), 'utf8')).toBe('earlier\n');
  });

  it('--split-by-agent into a directory of an earlier run: stale agent files of its format removed, other files (another format’s too) kept, a failed run changes nothing', async () => {
    const out = join(dir, 'split-again');
    const many = await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'rewards', '--split-by-agent', out);
    expect(many.code, many.stderr).toBe(0);
    const kto = await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'kto', '--split-by-agent', out);
    expect(kto.code, kto.stderr).toBe(0);
    const earlier = readdirSync(out).filter((name) => name.endsWith('.rewards.jsonl')).length;
    const ktoFiles = readdirSync(out).filter((name) => name.endsWith('.kto.jsonl'));
    expect(ktoFiles.length).toBeGreaterThan(0);
    // Files the CLI never writes there: another extension or format, a hidden file, a directory.
    const theirs = ['notes.txt', 'extra.jsonl', 'x.signals.jsonl', '.hidden.dpo.jsonl', 'folder.dpo.jsonl'];
    for (const name of theirs.slice(0, -1)) writeFileSync(join(out, name), 'mine\n');
    mkdirSync(join(out, 'folder.dpo.jsonl'));
    const bad = join(dir, 'split-again-bad.jsonl');
    writeFileSync(bad, readFileSync('examples/episodes/03-book-flights.json', 'utf8').replace(/\s*\n\s*/g, ' ') + '\n{"id": "broken"\n');
    const before = sorted(readdirSync(out));
    const stopped = await cli('attribute', bad, '--format', 'rewards', '--split-by-agent', out);
    expect(stopped.code).toBe(1);
    expect(sorted(readdirSync(out))).toEqual(before);

    const few = await cli('attribute', 'examples/episodes/03-book-flights.json', '--format', 'rewards', '--split-by-agent', out);
    expect(few.code, few.stderr).toBe(0);
    const agents = ['booking_agent', 'planner', 'verifier'];
    // Another format's agent files (the KTO run's) are another dataset: kept.
    expect(sorted(readdirSync(out))).toEqual(sorted([...agents.map((agent) => agentFileName(agent, 'rewards')), ...theirs, ...ktoFiles]));
    const removed = earlier - agents.filter((agent) => before.includes(agentFileName(agent, 'rewards'))).length;
    expect(few.stderr).toMatch(new RegExp(`-> 5 rewards rows in 3 files under \\S+ \\(${removed} stale files removed\\), `));
    const again = await cli('attribute', 'examples/episodes/03-book-flights.json', '--format', 'rewards', '--split-by-agent', out);
    expect(again.stderr).not.toMatch(/stale/);
  });

  it('agent names that are no safe file name get a sanitized name with a fingerprint; two names never share a file', () => {
    expect(agentFileName('WebSurfer', 'dpo')).toBe('WebSurfer.dpo.jsonl');
    expect(agentFileName('Orchestrator (thought)', 'kto')).toMatch(/^Orchestrator__thought_-[0-9a-f]{8}\.kto\.jsonl$/);
    for (const name of ['../etc/passwd', '.hidden', 'a/b', 'a\\b']) expect(agentFileName(name, 'prm')).toMatch(/^[^./\\][^/\\]*-[0-9a-f]{8}\.prm\.jsonl$/);
    expect(agentFileName('a/b', 'dpo')).not.toBe(agentFileName('a_b', 'dpo'));
    expect(agentFileName('a/b', 'dpo')).not.toBe(agentFileName('a?b', 'dpo'));
  });

  it('--system-turn fold: no system turn, the first user turn opens with the agent’s introduction', async () => {
    const { code, stdout } = await cli('attribute', 'examples/episodes', '--format', 'kto', '--system-turn', 'fold');
    expect(code).toBe(0);
    for (const row of rows(stdout)) {
      expect(row.prompt.some((turn: { role: string }) => turn.role === 'system')).toBe(false);
      expect(row.prompt[0]).toMatchObject({ role: 'user', content: expect.stringMatching(new RegExp(`^You are ${row.agent}\\.`)) });
    }
  });

  /** PRM rows of a Who&When directory, whole and cut into rows of at most `k` steps: the same labels, in order, per file and agent. */
  async function checkCut(directory: string, k: number): Promise<number> {
    const whole = rows((await cli('attribute', directory, '--from', 'whowhen', '--format', 'prm')).stdout);
    const cut = rows((await cli('attribute', directory, '--from', 'whowhen', '--format', 'prm', '--prm-max-steps', String(k))).stdout);
    for (const row of cut) expect(row.completions.length).toBeLessThanOrEqual(k);
    const key = (row: { source: string; agent: string }) => `${row.source} ${row.agent}`;
    for (const row of whole) expect(cut.filter((part) => key(part) === key(row)).flatMap((part) => part.labels), key(row)).toEqual(row.labels);
    return whole.filter((row) => row.labels.length > k && row.labels.includes(false)).length;
  }

  it('--prm-max-steps K: rows of at most K steps that hold every label; --prm-until-first-error ends rows at their first false step', async () => {
    expect(await checkCut('examples/whowhen', 2)).toBeGreaterThan(0);
    const until = rows((await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'prm', '--prm-until-first-error')).stdout);
    for (const row of until) {
      const first = row.labels.indexOf(false);
      expect(first === -1 || first === row.labels.length - 1).toBe(true);
    }
    expect(until.some((row) => row.labels.at(-1) === false)).toBe(true);
  });

  it('--prm-max-steps 8 on all 184 Who&When logs: every false label of the long rows is in a row of at most 8 steps', async () => {
    expect(await checkCut(WHOWHEN_RELEASE, 8)).toBeGreaterThan(10);
  });

  it('--prm-max-chars N: every PRM row within N characters, its labels kept', async () => {
    const whole = rows((await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'prm', '--prm-max-steps', '4')).stdout);
    const fitted = rows((await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'prm', '--prm-max-steps', '4', '--prm-max-chars', '2000')).stdout);
    expect(fitted.map((row) => row.labels)).toEqual(whole.map((row) => row.labels));
    for (const row of fitted) expect(row.completions.reduce((sum: number, step: string) => sum + step.length + 1, row.prompt.length)).toBeLessThanOrEqual(2000);
    expect(fitted.some((row, k) => row.prompt !== whole[k].prompt)).toBe(true);
  });

  it('--prm-max-chars below an episode’s shortest row: the record’s error names the flag, the value and the smallest N that works', async () => {
    const input = 'examples/episodes/03-book-flights.json';
    const { code, stdout, stderr } = await cli('attribute', input, '--format', 'prm', '--prm-max-chars', '50');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const tooShort = /episode "book-flights": --prm-max-chars: expected at least (\d+) characters for the PRM rows of episode "book-flights", got 50: the row of "verifier" from message "v1" cannot be shorter/;
    expect(stderr).toMatch(tooShort);
    const smallest = tooShort.exec(stderr)![1];
    const skipped = await cli('attribute', input, '--format', 'prm', '--prm-max-chars', '50', '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped .*--prm-max-chars: expected at least/);
    const fitted = await cli('attribute', input, '--format', 'prm', '--prm-max-chars', smallest);
    expect(fitted.code, fitted.stderr).toBe(0);
    for (const row of rows(fitted.stdout)) expect(row.completions.reduce((sum: number, step: string) => sum + step.length + 1, row.prompt.length)).toBeLessThanOrEqual(Number(smallest));
  });

  it('rewards are written with a fraction', async () => {
    const { stdout } = await cli('attribute', 'examples/episodes/03-book-flights.json', '--format', 'rewards');
    expect(lines(stdout).map((line) => /"reward":([^,}]+)/.exec(line)![1])).toEqual(['0.375', '-1.0', '-0.6875', '0.4375', '0.0']);
  });
});

describe('attribute: bad export options are clear errors before any row is written', () => {
  it('an agent no episode has: exit 1, the agents listed, no output file, nothing on stdout', async () => {
    const out = join(dir, 'unknown-agent.jsonl');
    const { code, stdout, stderr } = await cli('attribute', 'examples/episodes', '--format', 'dpo', '--agent', 'nobody', '-o', out);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--agent nobody: no episode has an agent "nobody"; the agents are .*booking_agent.*planner/);
    // Letter case or a typo: the likely agent is named.
    const cased = await cli('attribute', 'examples/episodes', '--format', 'dpo', '--agent', 'Planer');
    expect(cased.stderr).toMatch(/--agent Planer: no episode has an agent "Planer" \(did you mean "planner"\?\); the agents are/);
    expect(existsSync(out)).toBe(false);
    const piped = await cli('attribute', 'examples/episodes', '--format', 'dpo', '--agent', 'nobody');
    expect(piped.code).toBe(1);
    expect(piped.stdout).toBe('');
  });

  it('--prm-max-steps 0 (and other non-counts), flags that do not apply to the format, and bad combinations', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--format', 'prm', '--prm-max-steps', '0'], /--prm-max-steps: expected a whole number of steps, at least 1, got "0"/],
      [['--format', 'prm', '--prm-max-steps=-3'], /--prm-max-steps: expected a whole number of steps, at least 1, got "-3"/],
      [['--format', 'prm', '--prm-max-steps', '2.5'], /--prm-max-steps: expected a whole number of steps, at least 1, got "2.5"/],
      [['--format', 'dpo', '--prm-max-steps', '8'], /--prm-max-steps applies to --format prm, not dpo/],
      [['--format', 'prm', '--prm-max-chars', '0'], /--prm-max-chars: expected a whole number of characters, at least 1, got "0"/],
      [['--format', 'rewards', '--prm-max-chars', '4096'], /--prm-max-chars applies to --format prm, not rewards/],
      [['--format', 'kto', '--prm-until-first-error'], /--prm-until-first-error applies to --format prm, not kto/],
      [['--agent', 'planner'], /--agent applies to --format dpo, kto, prm, rewards, not signals/],
      [['--split-by-agent', join(dir, 'x')], /--split-by-agent applies to --format dpo, kto, prm, rewards, not signals/],
      [['--format', 'dpo', '--split-by-agent', join(dir, 'y'), '-o', join(dir, 'y.jsonl')], /--split-by-agent writes one file per agent; it cannot be combined with -o/],
      // One agent's split run would remove every other agent's file as stale.
      [['--format', 'kto', '--agent', 'planner', '--split-by-agent', join(dir, 'z')], /--agent and --split-by-agent: choose one/],
      [['--format', 'dpo', '--system-turn', 'merge'], /--system-turn: expected one of system, fold, got "merge"/],
      [['--format', 'prm', '--system-turn', 'fold'], /--system-turn applies to --format dpo, kto, rewards, not prm/],
      [['--format', 'dpo', '--agent', ''], /--agent: expected an agent name/],
    ];
    for (const [flags, message] of cases) {
      const { code, stdout, stderr } = await cli('attribute', 'examples/episodes', ...flags);
      expect(code, flags.join(' ')).toBe(1);
      expect(stdout, flags.join(' ')).toBe('');
      expect(stderr, flags.join(' ')).toMatch(message);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(existsSync(join(dir, 'z'))).toBe(false);
  });

  it('an unwritable --split-by-agent directory, a file in its place, or one that holds the inputs', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    // Permissions do not stop root: there, a directory of the proc file system, where no file can be made.
    const unwritable = process.getuid?.() === 0 ? '/proc/self' : locked;
    const run = await cli('attribute', 'examples/episodes', '--format', 'dpo', '--split-by-agent', unwritable);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`--split-by-agent ${unwritable}: cannot write there: (permission denied|no such file or directory)`));
    expect(run.stdout).toBe('');
    const missingParent = await cli('attribute', 'examples/episodes', '--format', 'dpo', '--split-by-agent', join(dir, 'no', 'such'));
    expect(missingParent.stderr).toMatch(/cannot write there: no such file or directory/);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const onFile = await cli('attribute', 'examples/episodes', '--format', 'dpo', '--split-by-agent', join(file, 'sub'));
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toMatch(/--split-by-agent .*a-file\/sub: cannot write there: (not a directory|file already exists)/);
    const inputs = await cli('attribute', 'examples/episodes', '--format', 'dpo', '--split-by-agent', 'examples');
    expect(inputs.code).toBe(1);
    expect(inputs.stderr).toMatch(/--split-by-agent examples holds an input \(examples\/episodes\/01-fix-flaky-test\.json\); choose a directory outside the inputs/);
  });
});

describe('the README’s Python examples', () => {
  /** The columns a Python block reads: row['x'], select_columns([...]), and the dataset columns a GRPO reward function takes by name. */
  function columnsRead(code: string): string[] {
    const names = new Set<string>();
    for (const [, name] of code.matchAll(/\brow\[['"](\w+)['"]\]/g)) names.add(name);
    for (const [, list] of code.matchAll(/select_columns\(\[([^\]]*)\]\)/g)) for (const [, name] of list.matchAll(/['"](\w+)['"]/g)) names.add(name);
    for (const [, params] of code.matchAll(/^def \w+\(([^)]*)\)/gm)) {
      for (const param of params.split(',').map((p) => p.trim())) if (param && !param.startsWith('*') && !['prompts', 'completions'].includes(param)) names.add(param);
    }
    return [...names];
  }

  it('read only columns that the rows of their file’s format have', async () => {
    const blocks = readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8')).filter((block) => block.lang === 'python');
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const keys = new Map<string, Set<string>>();
    let checked = 0;
    for (const block of blocks) {
      const format = /data_files='[^']*\.(dpo|kto|prm|rewards)\.jsonl'/.exec(block.code)?.[1];
      expect(format, `README line ${block.line}: a load_dataset('json', data_files='...<format>.jsonl')`).toBeDefined();
      expect(block.code).toMatch(/load_dataset\('json', data_files=/);
      if (!keys.has(format!)) {
        const written = rows((await cli('attribute', 'examples/episodes', '--format', format!)).stdout);
        written.push(...rows((await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', format!)).stdout));
        expect(written.length).toBeGreaterThan(0);
        keys.set(format!, new Set(written.flatMap((row) => Object.keys(row))));
      }
      for (const column of columnsRead(block.code)) {
        expect(keys.get(format!)!.has(column), `README line ${block.line} reads ${column}, which ${format} rows do not have`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});
