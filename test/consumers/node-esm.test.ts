// The installed package in a Node ESM app: exact and sampled Shapley on the
// calling thread and on the worker_threads pool of 'agent-credit/node', an
// episode through 'agent-credit/episodes', and the CLI bin with its readable report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textbookShapley } from '../support/textbook.js';
import { installFixture, run, type Fixture } from './support/fixture.js';

let app: Fixture;
/** What fixtures/node-esm/main.js printed; the script must also exit by itself (pool terminated). */
let out: {
  table: number[];
  exact: number[];
  sampled: { values: number[]; stderr: number[]; method: string; evaluations: number };
  pool: { size: number; exact: number[]; sampled: number[]; stderr: number[] };
  soum: { values: number[]; stderr: number[]; closedForm: number[] };
  episode: { episode: string; message: string; agent: string; reward: number }[];
};
beforeAll(async () => {
  app = await installFixture('node-esm');
  const { stdout } = await run(process.execPath, ['main.js'], { cwd: app.dir, timeout: 60_000 });
  out = JSON.parse(stdout);
});
afterAll(() => app?.remove());

describe('Node ESM consumer', () => {
  it('computes exact Shapley from the installed tarball', () => {
    const truth = textbookShapley(out.table, 12);
    expect(out.exact).toHaveLength(12);
    out.exact.forEach((value, i) => expect(value).toBeCloseTo(truth[i], 9));
  });

  it('samples permutations within the budget, near the exact values', () => {
    expect(out.sampled.method).toBe('permutation');
    expect(out.sampled.evaluations).toBeLessThanOrEqual(4000);
    out.sampled.values.forEach((value, i) => {
      expect(out.sampled.stderr[i]).toBeGreaterThan(0);
      expect(Math.abs(value - out.exact[i])).toBeLessThan(4 * out.sampled.stderr[i]);
    });
    expect(out.soum.closedForm).toEqual(new Array(10).fill(1));
    expect(Math.max(...out.soum.stderr)).toBeGreaterThan(0);
    out.soum.values.forEach((value, i) => expect(Math.abs(value - 1)).toBeLessThanOrEqual(4 * out.soum.stderr[i] + 1e-12));
  });

  it('runs the worker_threads pool: exact agrees, sampling is bit-identical to one thread', () => {
    expect(out.pool.size).toBe(2);
    out.pool.exact.forEach((value, i) => expect(value).toBeCloseTo(out.exact[i], 9));
    expect(out.pool.sampled).toEqual(out.sampled.values);
    expect(out.pool.stderr).toEqual(out.sampled.stderr);
  });

  it('attributes an episode through agent-credit/episodes', () => {
    // Shapley of v(planner) = 0.2, v(coder) = 0.4, v(both) = 1: planner 0.4, coder 0.6, one message each.
    expect(out.episode.map(({ agent }) => agent)).toEqual(['planner', 'coder']);
    expect(out.episode[0].reward).toBeCloseTo(0.4, 12);
    expect(out.episode[1].reward).toBeCloseTo(0.6, 12);
  });

  it('installs the agent-credit command', async () => {
    const game = join(app.dir, 'game.json');
    writeFileSync(game, JSON.stringify({ players: ['a', 'b'], values: [0, 1, 1, 3] }));
    const { stdout } = await run(join(app.dir, 'node_modules/.bin/agent-credit'), ['shapley', game], { cwd: app.dir });
    expect(JSON.parse(stdout)).toMatchObject({ players: ['a', 'b'], values: [1.5, 1.5], method: 'exact' });
  });

  it('has the readable report: npx agent-credit attribute --format summary, and summary on its signals rows, print the same', async () => {
    writeFileSync(join(app.dir, 'episode.json'), JSON.stringify({
      id: 'pair',
      agents: ['planner', 'coder'],
      messages: [{ id: 'p1', agent: 'planner', content: 'plan' }, { id: 'c1', agent: 'coder', content: 'code' }],
      outcome: { score: 1, success: true },
      coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.2 }, { agents: ['coder'], value: 0.4 }],
    }));
    // --no: the installed package's bin, never one fetched from the registry.
    const npx = (...args: string[]) => run('npx', ['--no', 'agent-credit', ...args], { cwd: app.dir });
    const direct = await npx('attribute', 'episode.json', '--format', 'summary');
    expect(direct.stdout).toMatch(/^credit: each agent's Shapley share/);
    expect(direct.stdout).toMatch(/^pair {2}SUCCESS\n {2}credit {7}coder \+0\.60 {3}planner \+0\.40\n/m);
    expect(direct.stdout).toMatch(/^ {2}rewards {6}p1: planner \+0\.40 \| c1: coder \+0\.60$/m);
    await npx('attribute', 'episode.json', '-o', 'signals.jsonl');
    expect((await npx('summary', 'signals.jsonl')).stdout).toBe(direct.stdout);
  });
});
