// Exact indices where users call them: shapley(), banzhaf() and
// interactions() on a table given as a Float64Array, as a plain array and
// from createTable, beside the kernel alone (a table already in Wasm
// memory), the copy into Wasm memory plus the kernel, and the floor (one SIMD
// read of the table). Targets are ratios within this run: the API on a
// Float64Array within 1.3x of copy + kernel (n >= 20), on a table from
// createTable within 1.3x of the floor (n >= 22), interactions within 3x of
// the floor (n >= 20, createTable), exact Shapley end to end >= 150x the
// plain-JS textbook formula at n = 22. Also: permutation sampling >= 2x a
// plain-JS loop; batch exact throughput.
import { banzhaf, createTable, interactions, shapley } from '../../dist/index.js';
import { exactShapleyBatch } from '../../dist/core/exact.js';
import { randomSoumGame } from '../../dist/core/games.js';
import { kernelExports } from '../../dist/core/wasm/module.js';
import { keptBlock } from '../../dist/core/wasm/kept-blocks.js';
import { instantiateSharedExact, sharedExactModule } from '../../dist/core/wasm/shared-module.js';
import { createSharedTable } from '../../dist/node.js';
import { sharedTableOf } from '../../dist/pool/shared-memory.js';
import { runPermutationBlocks, planPermutation } from '../../dist/estimators/permutation.js';
import { GAME_KIND_ID } from '../../dist/core/games.js';
import { textbookShapley, textbookPermutationSampling } from '../../test/support/textbook.js';
import { bestTime, fixed, seededRandom, table, verdict } from './lib/measure.js';

const API_TARGET = 1.3;
const TABLE_TARGET = 1.3;
const INTERACTIONS_TARGET = 3;
const SPEEDUP_TARGET = 150;

function randomValues(n, random) {
  const values = new Float64Array(2 ** n);
  for (let i = 0; i < values.length; i++) values[i] = random();
  return values;
}

/** Times of one table size, every variant timed in turn within each round so load changes hit them alike. */
async function exactTimes(core, n) {
  const values = randomValues(n, seededRandom(n));
  const players = Array.from({ length: n }, (_, i) => `p${i}`);
  const plain = n <= 22 ? Array.from(values) : null;
  const wasmTable = await createTable(n);
  wasmTable.set(values);
  const inWasm = keptBlock(core, 'table', values.length * 8);
  const out = keptBlock(core, 'results', n * n * 8);
  const copy = () => new Float64Array(core.memory.buffer, inWasm, values.length).set(values);
  // The floor: one SIMD sum over the table (the pool's shared-memory kernel, the same loop), nothing else.
  const shared = createSharedTable(n);
  shared.set(values);
  const { memory, tableOffset } = sharedTableOf(shared);
  const reader = await instantiateSharedExact(await sharedExactModule(), memory);
  const variants = {
    floor: () => reader.sumShared(tableOffset, values.length),
    kernel: () => core.shapleyExact(inWasm, n, out),
    interactionsKernel: () => core.interactionsExact(inWasm, n, out),
    copyKernel: () => (copy(), core.shapleyExact(inWasm, n, out)),
    shapley: () => shapley({ players, values }),
    shapleyPlain: plain && (() => shapley({ players, values: plain })),
    shapleyTable: () => shapley({ players, values: wasmTable }),
    banzhaf: () => banzhaf({ players, values }),
    banzhafTable: () => banzhaf({ players, values: wasmTable }),
    interactions: () => interactions({ players, values }),
    interactionsTable: () => interactions({ players, values: wasmTable }),
  };
  // A variant this size has not (plain arrays past n = 22) stays Infinity, printed as a dash.
  const times = Object.fromEntries(Object.keys(variants).map((name) => [name, Infinity]));
  const present = Object.fromEntries(Object.entries(variants).filter(([, run]) => run));
  Object.assign(times, await alternatedBest(present, n >= 22 ? 7 : 15));
  // Best of 3 at every size: one timing at n = 22 moved between 335 and 640 ms across runs.
  times.textbook = n <= 22 ? await bestTime(() => textbookShapley(values, n), 3) : NaN;
  wasmTable.free();
  return times;
}

async function exactRows(core) {
  const apiRows = [];
  const kernelRows = [];
  const checks = [];
  for (const n of [16, 20, 22, 24]) {
    const t = await exactTimes(core, n);
    apiRows.push([
      n, fixed(t.floor, 2), fixed(t.copyKernel, 2),
      fixed(t.shapley, 2), fixed(t.shapleyPlain, 1), fixed(t.shapleyTable, 2),
      fixed(t.banzhaf, 2), fixed(t.banzhafTable, 2), fixed(t.interactions, 2), fixed(t.interactionsTable, 2),
      fixed(t.textbook, 0), fixed(t.textbook / t.shapley, 0),
    ]);
    kernelRows.push([n, fixed(t.floor, 2), fixed(t.kernel, 2), fixed(t.interactionsKernel, 2), fixed(t.kernel / t.floor, 2), fixed(t.interactionsKernel / t.floor, 2)]);
    if (n >= 20) {
      for (const name of ['shapley', 'banzhaf']) {
        const ratio = t[name] / t.copyKernel;
        checks.push([`${name}() on a Float64Array within ${API_TARGET}x of copy + kernel at n = ${n} (${fixed(ratio, 2)}x)`, ratio <= API_TARGET]);
      }
      const ratio = t.interactionsTable / t.floor;
      checks.push([`interactions() on a table from createTable within ${INTERACTIONS_TARGET}x of the floor at n = ${n} (${fixed(ratio, 2)}x)`, ratio <= INTERACTIONS_TARGET]);
    }
    if (n >= 22) {
      for (const name of ['shapleyTable', 'banzhafTable']) {
        const ratio = t[name] / t.floor;
        const call = name === 'shapleyTable' ? 'shapley()' : 'banzhaf()';
        checks.push([`${call} on a table from createTable within ${TABLE_TARGET}x of the floor at n = ${n} (${fixed(ratio, 2)}x)`, ratio <= TABLE_TARGET]);
      }
    }
    if (n === 22) {
      const speedup = t.textbook / t.shapley;
      checks.push([`exact Shapley end to end (shapley() on a Float64Array) >= ${SPEEDUP_TARGET}x plain JS at n = 22 (${fixed(speedup, 0)}x)`, speedup >= SPEEDUP_TARGET]);
    }
  }
  return { apiRows, kernelRows, checks };
}

/** Rounds of the permutation rows: each times shapley(), the Wasm sampler alone and plain JS once (a few ms each at n = 20). */
const PERMUTATION_ROUNDS = 7;

/**
 * Best time of each variant over `rounds` rounds, the variants run in turn within each round so load changes hit
 * them alike; round 0 is untimed (it compiles, faults pages in, grows the kept blocks).
 */
async function alternatedBest(variants, rounds) {
  const best = Object.fromEntries(Object.keys(variants).map((name) => [name, Infinity]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, run] of Object.entries(variants)) {
      const start = performance.now();
      await run();
      if (round > 0) best[name] = Math.min(best[name], performance.now() - start);
    }
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
  const players = Array.from({ length: n }, (_, i) => `p${i}`);
  for (const [name, kind, params, value, game] of [
    ['table', GAME_KIND_ID.table, values, (mask) => values[mask], { players, values }],
    ['SOUM (30 terms)', GAME_KIND_ID.soum, soum.params, soumValue, soum],
  ]) {
    const random = seededRandom(3);
    // Alternated, best of PERMUTATION_ROUNDS each: a burst of load on this shared machine then hits both sides alike
    // (timed apart, best of 3, one side's figure moved by 40% between runs).
    const { api, wasm, plain } = await alternatedBest({
      api: () => shapley(game, { method: 'permutation', budget, seed: 1 }),
      wasm: () => runPermutationBlocks(core, kind, params, n, 1, 0, plan.blocks, plan.pairs),
      plain: () => textbookPermutationSampling(value, n, plan.pairs, random),
    }, PERMUTATION_ROUNDS);
    const ratio = plain / api;
    rows.push([name, fixed(marginals / api / 1e3, 1), fixed(marginals / wasm / 1e3, 1), fixed(marginals / plain / 1e3, 1), fixed(ratio, 1), fixed(plain / wasm, 1)]);
    checks.push([`permutation sampling through shapley() on ${name} >= 2x plain JS (${fixed(ratio, 1)}x)`, ratio >= 2]);
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
  console.log('### Exact indices at the API (ms, best of several rounds)\n');
  console.log('Float64Array: streamed through Wasm memory in 512 KiB chunks from 2^21 values, smaller tables copied into Wasm memory kept between calls; plain array: checked entry by entry, then copied straight into Wasm memory kept between calls; createTable: read in place. End-to-end speedup: the plain-JS textbook formula against shapley() on a Float64Array.\n');
  console.log(table([
    'n', 'floor: SIMD read', 'copy + kernel', 'shapley() Float64Array', 'shapley() plain array', 'shapley() createTable',
    'banzhaf() Float64Array', 'banzhaf() createTable', 'interactions() Float64Array', 'interactions() createTable',
    'plain JS textbook', 'end-to-end speedup',
  ], exact.apiRows));
  console.log('\n### Exact kernels alone, on a table already in Wasm memory (ms, best of several rounds)\n');
  console.log(table(['n', 'floor: SIMD read', 'Shapley kernel', 'interactions kernel', 'Shapley kernel / floor', 'interactions kernel / floor'], exact.kernelRows));
  console.log('\n### Permutation sampling at n = 20 (million marginal contributions per second)\n');
  console.log('shapley(): what users call, with its checks (a table is scanned once for NaN, infinities and its scale) and the copy of the table into Wasm memory; Wasm sampler: the sampling call alone (runPermutationBlocks, the copy included); plain JS: the textbook loop of test/support/textbook.js, reading the table where it lies. Alternated, best of 7 each. The target is shapley() against plain JS.\n');
  console.log(table(['game', 'shapley()', 'Wasm sampler', 'plain JS', 'shapley() / plain JS', 'Wasm sampler / plain JS'], permutation.rows));
  console.log('\n### Batch exact\n');
  console.log(table(['workload', 'ms', 'episodes/s'], batch));
  console.log('\n### Exact indices at the API and permutation sampling targets\n');
  console.log(table(['target', 'status'], [...exact.checks, ...permutation.checks].map(([name, ok]) => [name, verdict(ok)])));
}
