// The installed package in a Node ESM app: exact and sampled Shapley, and the CLI bin.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textbookShapley } from '../support/textbook.js';
import { installFixture, run, type Fixture } from './support/fixture.js';

let app: Fixture;
beforeAll(async () => {
  app = await installFixture('node-esm');
});
afterAll(() => app?.remove());

describe('Node ESM consumer', () => {
  it('computes exact and permutation Shapley from the installed tarball', async () => {
    const { stdout } = await run(process.execPath, ['main.js'], { cwd: app.dir });
    const out = JSON.parse(stdout);
    const truth = textbookShapley(out.table, 6);
    expect(out.exact).toHaveLength(6);
    out.exact.forEach((value: number, i: number) => expect(value).toBeCloseTo(truth[i], 9));
    expect(out.sampled.method).toBe('permutation');
    expect(out.sampled.evaluations).toBeLessThanOrEqual(4000);
    out.sampled.values.forEach((value: number, i: number) => {
      expect(out.sampled.stderr[i]).toBeGreaterThan(0);
      expect(Math.abs(value - out.exact[i])).toBeLessThan(4 * out.sampled.stderr[i]);
    });
    expect(out.soum.closedForm).toEqual([1, 1, 1, 1, 1]);
    out.soum.values.forEach((value: number, i: number) => expect(Math.abs(value - 1)).toBeLessThanOrEqual(4 * out.soum.stderr[i] + 1e-12));
  });

  it('installs the agent-credit command', async () => {
    const game = join(app.dir, 'game.json');
    writeFileSync(game, JSON.stringify({ players: ['a', 'b'], values: [0, 1, 1, 3] }));
    const { stdout } = await run(join(app.dir, 'node_modules/.bin/agent-credit'), ['shapley', game], { cwd: app.dir });
    expect(JSON.parse(stdout)).toMatchObject({ players: ['a', 'b'], values: [1.5, 1.5], method: 'exact' });
  });
});
