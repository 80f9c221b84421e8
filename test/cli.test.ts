import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('agent-credit-cli-');
function gameFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const game = gameFile('game.json', { players: ['planner', 'coder', 'critic'], values: [0, 0.2, 0.3, 0.7, 0.1, 0.4, 0.5, 1] });

describe('agent-credit CLI', () => {
  it('shapley prints one JSON object with the API fields', async () => {
    const { code, stdout } = await cli('shapley', game);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ index: 'shapley', players: ['planner', 'coder', 'critic'], stderr: null, method: 'exact', evaluations: 8 });
    expect(result.values.map((x: number) => +x.toFixed(12))).toEqual([0.35, 0.45, 0.2]);
  });

  it('shapley --method msr|kernel|svarm|stratified spends exactly the budget (or goes exact when it covers 2^n)', async () => {
    const names8 = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const five = gameFile('five.json', { players: ['a', 'b', 'c', 'd', 'e'], values: Array.from({ length: 32 }, (_, m) => (m * 7) % 11) });
    for (const method of ['msr', 'kernel', 'svarm']) {
      const result = JSON.parse((await cli('shapley', five, '--method', method, '--budget', '17', '--seed', '2')).stdout);
      expect(result).toMatchObject({ method, evaluations: 17 });
    }
    const wide = gameFile('eight.json', { players: names8, values: Array.from({ length: 256 }, (_, m) => (m * 13) % 17) });
    const stratified = JSON.parse((await cli('shapley', wide, '--method', 'stratified', '--budget', '200')).stdout);
    expect(stratified.method).toBe('stratified');
    expect(stratified.evaluations).toBeLessThanOrEqual(200);
    expect(stratified.evaluations).toBeGreaterThanOrEqual(197);
    const covered = JSON.parse((await cli('shapley', game, '--method', 'msr', '--budget', '8')).stdout);
    expect(covered).toMatchObject({ method: 'msr', evaluations: 8, stderr: [0, 0, 0] });
    expect(covered.values.map((x: number) => +x.toFixed(12))).toEqual([0.35, 0.45, 0.2]);
    const { code, stderr } = await cli('shapley', game, '--method', 'fast');
    expect(code).toBe(1);
    expect(stderr).toMatch(/expected one of exact, permutation, stratified, kernel, svarm, msr, auto; got "fast"/);
  });

  it('shapley and interactions given an episode, a transcript or JSON Lines point to attribute', async () => {
    const episode = join(root, 'examples/episodes/03-book-flights.json');
    const one = await cli('shapley', episode);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(`${episode}: holds an episode or a transcript, not a game table: shapley takes a game table {"players": [...], "values": [...]}; for the agents of an episode or a transcript, run: agent-credit attribute ${episode}`);
    const chat = gameFile('chat.json', [{ messages: [{ role: 'user', content: 'hi' }] }]);
    expect((await cli('interactions', chat)).stderr).toContain(`${chat}: holds a list of episodes or transcripts, not a game table: interactions takes a game table`);
    const lines = gameFile('runs.jsonl', '{"id":"a","messages":[]}\n{"id":"b","messages":[]}\n');
    const jsonl = await cli('shapley', lines);
    expect(jsonl.code).toBe(1);
    expect(jsonl.stderr).toContain(`${lines} looks like JSON Lines (episodes or a log, one record per line): shapley takes a game table`);
    // A game table with a stray field of the same name is still a game.
    const tagged = gameFile('tagged.json', { players: ['a', 'b'], values: [0, 1, 1, 2], outcome: 'kept' });
    expect((await cli('shapley', tagged)).code).toBe(0);
  });

  it('shapley writes a standard error that cannot be estimated (Infinity) as null', async () => {
    const twelve = gameFile('twelve.json', {
      players: Array.from({ length: 12 }, (_, i) => `p${i}`),
      values: Array.from({ length: 4096 }, (_, m) => (m * 13) % 17),
    });
    const { code, stdout } = await cli('shapley', twelve, '--method', 'svarm', '--budget', '12');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.evaluations).toBe(12);
    expect(result.stderr).toEqual(new Array(12).fill(null));
  });

  it('shapley --method permutation --budget --seed is reproducible and reports stderr (exact once the budget covers 2^n)', async () => {
    const wide = gameFile('eight-permutation.json', { players: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], values: Array.from({ length: 256 }, (_, m) => (m * 13) % 17) });
    const first = JSON.parse((await cli('shapley', wide, '--method', 'permutation', '--budget', '200', '--seed', '3')).stdout);
    const again = JSON.parse((await cli('shapley', wide, '--method', 'permutation', '--budget', '200', '--seed', '3')).stdout);
    expect(first).toEqual(again);
    expect(first.method).toBe('permutation');
    expect(first.stderr).toHaveLength(8);
    expect(Math.max(...first.stderr)).toBeGreaterThan(0);
    expect(first.evaluations).toBeLessThanOrEqual(200);
    const covered = JSON.parse((await cli('shapley', game, '--method', 'permutation', '--budget', '1000', '--seed', '3')).stdout);
    expect(covered).toMatchObject({ method: 'permutation', evaluations: 8, stderr: [0, 0, 0] });
    expect(covered.values.map((x: number) => +x.toFixed(12))).toEqual([0.35, 0.45, 0.2]);
  });

  it('shapley --index banzhaf', async () => {
    const result = JSON.parse((await cli('shapley', game, '--index', 'banzhaf')).stdout);
    expect(result.index).toBe('banzhaf');
    expect(result.values).toHaveLength(3);
  });

  it('interactions prints the n x n matrix', async () => {
    const result = JSON.parse((await cli('interactions', game)).stdout);
    expect(result.players).toHaveLength(3);
    expect(result.matrix).toHaveLength(9);
  });

  it('--help: the usage on stdout, exit code 0, for the CLI and for each command; no command: the usage on stderr, exit code 1', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await cli(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^Usage:\n {2}agent-credit shapley .*\n {2}agent-credit interactions .*\n {2}agent-credit attribute /);
    }
    for (const [command, flag] of [['shapley', '--help'], ['interactions', '-h'], ['attribute', '--help']]) {
      const { code, stdout, stderr } = await cli(command, flag);
      expect(code, command).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(new RegExp(`^Usage:\\n {2}agent-credit ${command} `));
    }
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
    const bare = await cli();
    expect(bare.code).toBe(1);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^Usage:/);
  });

  it('bad input: a clear message on stderr and exit code 1', async () => {
    const cases: [string[], RegExp][] = [
      [['shapley', gameFile('nan.json', '{"players":["a","b"],"values":[0,1,"x",2]}')], /values\[2\] \(mask 2 = \{b\}\): expected a finite number, got "x"/],
      [['shapley', gameFile('bad.json', '{"players":["a"],')], /bad\.json: not valid JSON/],
      [['shapley', join(dir, 'missing.json')], /cannot read .*missing\.json/],
      [['shapley', game, '--budget', 'lots'], /--budget: expected a non-negative integer, got "lots"/],
      [['shapley', game, '--index', 'owen'], /--index: expected shapley or banzhaf/],
      [['shapley', game, '--index', 'banzhaf', '--method', 'permutation'], /--index banzhaf: Banzhaf values are computed exactly; drop --method, --budget and --seed/],
      [['shapley', game, '--method', 'guess'], /method: expected one of/],
      [['frobnicate'], /unknown command "frobnicate"\n/],
      [['atribute', 'examples/episodes'], /^agent-credit: unknown command "atribute" \(did you mean attribute\?\)\nUsage:/],
      [['attribute', 'examples/episodes', '--from', 'opanai'], /--from: expected one of auto, episode, openai, .*, got "opanai" \(did you mean openai\?\)\n$/],
      [['attribute', 'examples/episodes', '--format', 'DPO'], /--format: expected one of signals, dpo, .*, got "DPO" \(did you mean dpo\?\)\n$/],
      [['shapley'], /expected exactly one <game\.json>/],
      [['shapley', gameFile('vals.json', { players: ['a', 'b'], vals: [0, 1, 1, 2] })], /game: expected \{ players, values \} .*got object \(it has "vals": did you mean "values"\?\)/],
      // A misspelled flag names the flag it is likely meant to be; a negative number is the flag's value, checked as such.
      [['shapley', game, '--budgte', '5'], /^agent-credit: unknown option --budgte \(did you mean --budget\?\); --help lists the options\n$/],
      [['shapley', game, '--budget', '-5'], /--budget: expected a non-negative integer, got "-5"/],
      [['interactions', game, '--index', 'banzhaf'], /^agent-credit: unknown option --index; --help lists the options\n$/],
      [['attribute', 'examples/episodes', '--fromat', 'kto'], /unknown option --fromat \(did you mean --format\?\)/],
      [['attribute', 'examples/episodes', '--workers', '-1'], /--workers: expected an integer from 0 \(no worker threads\) to 64, got "-1"/],
      [['attribute', 'examples/episodes', '--format'], /^agent-credit: Option '--format <value>' argument missing\n$/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli(...args);
      expect(code, args.join(' ')).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a game file is read as attribute reads records: a byte order mark is dropped, bytes that are not UTF-8 are named, an array root says so', async () => {
    const table = { players: ['a', 'b'], values: [0, 1, 1, 3] };
    const withBom = gameFile('bom.json', '\ufeff' + JSON.stringify(table));
    const bom = await cli('shapley', withBom);
    expect(bom.code, bom.stderr).toBe(0);
    expect(JSON.parse(bom.stdout).values).toEqual([1.5, 1.5]);
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from('{"players": ["caf'), Buffer.from([0xe9]), Buffer.from('"], "values": [0, 1]}')]));
    const bad = await cli('shapley', latin1);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`agent-credit: ${latin1}: not valid UTF-8: bytes e9 22 5d 2c at byte 17; save the file as UTF-8\n`);
    const array = await cli('shapley', gameFile('array.json', [table]));
    expect(array.code).toBe(1);
    expect(array.stderr).toMatch(/^agent-credit: game: expected .*, got an array of 1\n$/);
  });
});
