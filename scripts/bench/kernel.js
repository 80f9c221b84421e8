// Kernel speed targets: exact Shapley within 2x of one SIMD read of the table for
// n >= 20 and >= 50x faster than plain JS at n = 22; permutation sampling
// >= 2x a plain-JS loop; batch exact throughput.
import { exactShapleyBatch } from '../../dist/core/exact.js';
import { randomSoumGame } from '../../dist/core/games.js';
import { kernelExports } from '../../dist/core/wasm/module.js';
import { withWindow } from '../../dist/core/wasm/window.js';
import { runPermutationBlocks, planPermutation } from '../../dist/estimators/permutation.js';
import { GAME_KIND_ID } from '../../dist/core/games.js';
import { textbookShapley, textbookPermutationSampling } from '../../test/support/textbook.js';
import { bestTime, fixed, seededRandom, table, verdict } from './lib/measure.js';

function randomValues(n, random) {
  const values = new Float64Array(2 ** n);
  for (let i = 0; i < values.length; i++) values[i] = random();
  return values;
}

async function exactRows(core) {
  const rows = [];
  const checks = [];
  for (const n of [16, 20, 22, 24]) {
    const values = randomValues(n, seededRandom(n));
    const { floor, exact } = withWindow(core, (window) => {
      const input = window.add(values.length);
      const output = window.add(n);
      window.f64(input, values.length).set(values);
      const pointer = window.pointer(input);
      const repeat = n >= 22 ? 5 : 20;
      return {
        floor: bestTimeSync(() => core.tableSum(pointer, values.length), repeat),
        exact: bestTimeSync(() => core.shapleyExact(pointer, n, window.pointer(output)), repeat),
      };
    });
    const plain = n <= 22 ? await bestTime(() => textbookShapley(values, n), n === 22 ? 1 : 3) : NaN;
    const overFloor = exact / floor;
    const speedup = plain / exact;
    rows.push([n, fixed(floor, 2), fixed(exact, 2), fixed(plain, 0), fixed(overFloor, 2), fixed(speedup, 0)]);
    if (n >= 20) checks.push([`exact within 2x of the floor at n = ${n}`, overFloor <= 2]);
    if (n === 22) checks.push(['exact >= 50x plain JS at n = 22', speedup >= 50]);
  }
  return { rows, checks };
}

function bestTimeSync(fn, repeat) {
  fn();
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function permutationRows(core) {
  const n = 20;
  const budget = 400_000;
  const plan = planPermutation(n, budget);
  const marginals = plan.pairs * 2 * n;
  const values = randomValues(n, seededRandom(1));
  const soum = randomSoumGame(n, 30, 1, 5, seededRandom(2));
  const terms = soum.params[0];
  const masks = Array.from(new BigUint64Array(soum.params.buffer, 8 * (1 + terms), terms), Number);
  const coefficients = Array.from(soum.params.subarray(1, 1 + terms));
  const soumValue = (mask) => {
    let v = 0;
    for (let t = 0; t < terms; t++) if ((mask & masks[t]) === masks[t]) v += coefficients[t];
    return v;
  };
  const rows = [];
  const checks = [];
  for (const [name, kind, params, value] of [
    ['table', GAME_KIND_ID.table, values, (mask) => values[mask]],
    ['SOUM (30 terms)', GAME_KIND_ID.soum, soum.params, soumValue],
  ]) {
    const wasm = await bestTime(() => runPermutationBlocks(core, kind, params, n, 1, 0, plan.blocks, plan.pairs), 3);
    const random = seededRandom(3);
    const plain = await bestTime(() => textbookPermutationSampling(value, n, plan.pairs, random), 3);
    const ratio = plain / wasm;
    rows.push([name, fixed(marginals / wasm / 1e3, 1), fixed(marginals / plain / 1e3, 1), fixed(ratio, 1)]);
    checks.push([`permutation on ${name} >= 2x plain JS`, ratio >= 2]);
  }
  return { rows, checks };
}

async function batchRow() {
  const random = seededRandom(4);
  const tables = Array.from({ length: 10_000 }, () => randomValues(6, random));
  const time = await bestTime(() => exactShapleyBatch(tables), 5);
  return [['10,000 tables of 6 players', fixed(time, 1), fixed(10_000 / (time / 1000), 0)]];
}

export async function run() {
  const core = await kernelExports();
  const exact = await exactRows(core);
  const permutation = await permutationRows(core);
  const batch = await batchRow();
  console.log('### Exact Shapley from a value table (ms, best of several runs)\n');
  console.log(table(['n', 'floor: SIMD read', 'exact (Wasm)', 'plain JS textbook', 'exact / floor', 'speedup vs JS'], exact.rows));
  console.log('\n### Permutation sampling at n = 20 (million marginal contributions per second)\n');
  console.log(table(['game', 'Wasm', 'plain JS', 'ratio'], permutation.rows));
  console.log('\n### Batch exact\n');
  console.log(table(['workload', 'ms', 'episodes/s'], batch));
  console.log('\n### Exact kernel and permutation sampling targets\n');
  console.log(table(['target', 'status'], [...exact.checks, ...permutation.checks].map(([name, ok]) => [name, verdict(ok)])));
}
