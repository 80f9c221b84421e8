import { describe, expect, it } from 'vitest';
import { shapley } from '../src/attribution/shapley.js';
import { CoalitionCache } from '../src/evaluator/coalition-cache.js';
import { InputError } from '../src/core/errors.js';
import { EvaluatorError } from '../src/evaluator/evaluator-error.js';
import { planPermutation } from '../src/estimators/permutation.js';
import type { Progress } from '../src/evaluator/driver.js';
import { quadraticGame, closedFormShapley, randomSoumGame } from '../src/core/games.js';
import { deferredEvaluator, flushMicrotasks, nextMacrotask, tableEvaluator } from './support/evaluators.js';
import { names, randomTable, seededRandom } from './support/random.js';
import { textbookShapley } from './support/textbook.js';

describe('shapley() on evaluator games', () => {
  it('exact: equals exact on the table (1e-12) and calls evaluate exactly 2^n times', async () => {
    for (const n of [1, 2, 5, 9, 12]) {
      const values = randomTable(n, seededRandom(100 + n));
      const players = names(n);
      const { evaluate, seen } = tableEvaluator(players, values);
      const viaTable = await shapley({ players, values }, { method: 'exact' });
      const r = await shapley({ players, evaluate }, { method: 'exact', concurrency: 3 });
      expect(seen.length).toBe(2 ** n);
      expect(new Set(seen).size).toBe(2 ** n);
      expect(r.evaluations).toBe(2 ** n);
      expect(r.stopReason).toBe('complete');
      expect(r.stderr).toBeNull();
      r.values.forEach((v, i) => expect(Math.abs(v - viaTable.values[i])).toBeLessThan(1e-12));
      if (n <= 9) textbookShapley(values, n).forEach((v: number, i: number) => expect(r.values[i]).toBeCloseTo(v, 12));
    }
  });

  it('permutation: never exceeds the budget, never repeats a coalition, equals the table sampler bit for bit', async () => {
    const n = 9;
    const values = randomTable(n, seededRandom(7));
    const players = names(n);
    // All below 2^9 = 512: at 512 and above the run enumerates every coalition instead.
    for (const budget of [40, 333, 2 ** n - 1]) {
      const { evaluate, seen } = tableEvaluator(players, values);
      const r = await shapley({ players, evaluate }, { method: 'permutation', budget, seed: 5 });
      const viaTable = await shapley({ players, values }, { method: 'permutation', budget, seed: 5 });
      expect(seen.length).toBeLessThanOrEqual(budget);
      expect(new Set(seen).size).toBe(seen.length);
      expect(r.evaluations).toBe(seen.length);
      expect(r.stopReason).toBe('budget');
      expect(Array.from(r.values)).toEqual(Array.from(viaTable.values));
      expect(Array.from(r.stderr!)).toEqual(Array.from(viaTable.stderr!));
      expect(r.evaluations + r.cacheHits).toBe(planPermutation(n, budget).evaluations);
    }
  });

  it('permutation with a budget covering all 2^n coalitions: exact, zero stderr, evaluate called once per coalition', async () => {
    for (const n of [2, 5, 9]) {
      const values = randomTable(n, seededRandom(60 + n));
      const players = names(n);
      const viaTable = await shapley({ players, values }, { method: 'exact' });
      for (const budget of [2 ** n, 2 ** n + 100]) {
        const { evaluate, seen } = tableEvaluator(players, values);
        const r = await shapley({ players, evaluate }, { method: 'permutation', budget, seed: 5, concurrency: 3 });
        expect(r.method).toBe('permutation');
        expect(r.stopReason).toBe('complete');
        expect(seen.length).toBe(2 ** n);
        expect(new Set(seen).size).toBe(2 ** n);
        expect(r.evaluations).toBe(2 ** n);
        expect(r.calls).toBe(2 ** n);
        expect(Array.from(r.stderr!)).toEqual(new Array(n).fill(0));
        r.values.forEach((v, i) => expect(Math.abs(v - viaTable.values[i])).toBeLessThan(1e-12));
      }
    }
    // From a partial cache only the missing coalitions are paid for, and the budget is never exceeded.
    const n = 6;
    const values = randomTable(n, seededRandom(66));
    const players = names(n);
    const first = tableEvaluator(players, values);
    const partial = await shapley({ players, evaluate: first.evaluate }, { method: 'permutation', budget: 30, seed: 1 });
    expect(partial.stopReason).toBe('budget');
    const second = tableEvaluator(players, values);
    const r = await shapley({ players, evaluate: second.evaluate }, { method: 'permutation', budget: 2 ** n, cache: partial.cache });
    expect(r.stopReason).toBe('complete');
    expect(second.seen.length).toBe(2 ** n - partial.evaluations);
    expect(r.evaluations + r.cacheHits).toBe(2 ** n);
    const truth = await shapley({ players, values }, { method: 'exact' });
    r.values.forEach((v, i) => expect(Math.abs(v - truth.values[i])).toBeLessThan(1e-12));
  });

  it('permutation one coalition short of 2^n, or with a tolerance, samples', async () => {
    const n = 9;
    const values = randomTable(n, seededRandom(70));
    const players = names(n);
    const { evaluate, seen } = tableEvaluator(players, values);
    const r = await shapley({ players, evaluate }, { method: 'permutation', budget: 2 ** n - 1, seed: 2 });
    expect(r.stopReason).toBe('budget');
    expect(seen.length).toBeLessThan(2 ** n);
    expect(r.evaluations).toBe(seen.length);
    expect(Math.max(...r.stderr!)).toBeGreaterThan(0);
    // A tolerance asks to stop once the estimate is good enough, so even a budget
    // covering 2^n samples (like the other estimators) and may stop early.
    let calls = 0;
    const additive = (c: string[]) => (calls++, c.length);
    const early = await shapley({ players, evaluate: additive }, { method: 'permutation', budget: 2 ** n, tolerance: 1e-9, seed: 2 });
    expect(early.stopReason).toBe('tolerance');
    expect(calls).toBeLessThan(2 ** n);
    expect(early.evaluations).toBe(calls);
    early.values.forEach((v) => expect(v).toBeCloseTo(1, 12));
  });

  it('permutation beyond 64 players (multi-word masks) matches closed-form values; integer games match the Wasm built-in bit for bit', async () => {
    const n = 40;
    const random = seededRandom(3);
    const linear = Array.from({ length: n }, () => Math.round(10 * random()));
    const pairwise = Array.from({ length: n * n }, () => Math.round(6 * random() - 3));
    const players = names(n);
    const evaluate = (coalition: string[]) => {
      const members = coalition.map((name) => players.indexOf(name)).sort((a, b) => a - b);
      let v = 0;
      members.forEach((i, k) => {
        v += linear[i];
        for (const j of members.slice(k + 1)) v += pairwise[i * n + j];
      });
      return v;
    };
    const builtin = await shapley(quadraticGame(linear, pairwise, players), { method: 'permutation', budget: 20_000, seed: 2 });
    const r = await shapley({ players, evaluate }, { method: 'permutation', budget: 20_000, seed: 2 });
    expect(Array.from(r.values)).toEqual(Array.from(builtin.values));
    expect(Array.from(r.stderr!)).toEqual(Array.from(builtin.stderr!));

    const wide = 70;
    const weights = Array.from({ length: wide }, (_, i) => (i % 7) - 3);
    const widePlayers = names(wide);
    const additive = (coalition: string[]) => coalition.reduce((v, name) => v + weights[widePlayers.indexOf(name)], 0);
    const w = await shapley({ players: widePlayers, evaluate: additive }, { budget: 2_000 });
    expect(w.method).toBe('permutation');
    w.values.forEach((v, i) => expect(v).toBeCloseTo(weights[i], 9));
    expect(closedFormShapley(quadraticGame(linear, pairwise, players)).length).toBe(n);
  });

  it('tolerance: stops as soon as every standard error is below it, and says so', async () => {
    const n = 8;
    const values = randomTable(n, seededRandom(9));
    const players = names(n);
    const { evaluate } = tableEvaluator(players, values);
    const r = await shapley({ players, evaluate }, { method: 'permutation', budget: 200_000, tolerance: 0.05 });
    expect(r.stopReason).toBe('tolerance');
    expect(Math.max(...r.stderr!)).toBeLessThan(0.05);
    expect(r.evaluations + r.cacheHits).toBeLessThan(planPermutation(n, 200_000).evaluations / 10);
    const additive = await shapley({ players, evaluate: (c: string[]) => c.length }, { method: 'permutation', budget: 10_000, tolerance: 1e-9 });
    expect(additive.stopReason).toBe('tolerance');
    additive.values.forEach((v) => expect(v).toBeCloseTo(1, 12));
  });

  it('abort during a slow evaluator: rejects with AbortError before any timer runs, and no further call starts', async () => {
    const deferred = deferredEvaluator();
    const controller = new AbortController();
    const players = names(6);
    const run = shapley({ players, evaluate: deferred.evaluate }, { method: 'exact', concurrency: 4, signal: controller.signal });
    let outcome: unknown;
    run.then((r) => (outcome = r), (e) => (outcome = e));
    await nextMacrotask();
    deferred.calls[0].resolve(1);
    await nextMacrotask();
    expect(deferred.calls.length).toBe(5);
    controller.abort();
    // Settled within the same turn of the event loop: sooner than any 200 ms deadline could measure.
    await flushMicrotasks();
    expect(outcome).toBeInstanceOf(DOMException);
    expect((outcome as DOMException).name).toBe('AbortError');
    const cache = (outcome as { cache: CoalitionCache }).cache;
    expect(cache.size).toBe(1);
    for (const call of deferred.calls) call.resolve(2);
    await nextMacrotask();
    await nextMacrotask();
    expect(deferred.calls.length).toBe(5);
    expect(cache.size).toBe(5);
  });

  it('a synchronous evaluator whose call aborts the run: the AbortError of the run, with the reason as its cause', async () => {
    const controller = new AbortController();
    let calls = 0;
    const evaluate = (coalition: string[]) => {
      if (++calls === 5) controller.abort(new Error('user stop'));
      return coalition.length;
    };
    const error = await shapley({ players: names(10), evaluate }, { method: 'kernel', budget: 300, signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect(error.message).toBe('agent-credit: the run was aborted');
    expect((error.cause as Error).message).toBe('user stop');
    expect(calls).toBe(5);
  });

  it('an evaluator failing on one coalition: EvaluatorError names it; a re-run with error.cache pays only for the rest', async () => {
    const n = 7;
    const values = randomTable(n, seededRandom(12));
    const players = names(n);
    const { evaluate } = tableEvaluator(players, values);
    const failing = (coalition: string[]) => {
      if (coalition.join() === 'agent1,agent4') throw new Error('rate limited');
      return evaluate(coalition);
    };
    const error = await shapley({ players, evaluate: failing }, { method: 'exact', concurrency: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(EvaluatorError);
    expect(error.coalition).toEqual(['agent1', 'agent4']);
    expect(error.message).toBe('evaluate failed for coalition {agent1, agent4}: rate limited');
    expect(error.cache.size).toBe(18);
    const retry = tableEvaluator(players, values);
    const r = await shapley({ players, evaluate: retry.evaluate }, { method: 'exact', cache: error.cache });
    expect(retry.seen.length).toBe(2 ** n - 18);
    expect(retry.seen.every((mask) => mask >= 18)).toBe(true);
    expect(r.evaluations).toBe(2 ** n - 18);
    expect(r.cacheHits).toBe(18);
    const truth = await shapley({ players, values }, { method: 'exact' });
    r.values.forEach((v, i) => expect(v).toBeCloseTo(truth.values[i], 12));
  });

  it('resumes an interrupted permutation run from the JSON cache: same result, no coalition paid twice', async () => {
    const n = 12;
    const values = randomTable(n, seededRandom(21));
    const players = names(n);
    const options = { method: 'permutation' as const, budget: 3_000, seed: 8, concurrency: 2 };
    let count = 0;
    const { evaluate } = tableEvaluator(players, values);
    const flaky = (coalition: string[]) => {
      if (++count === 400) return Promise.reject(new Error('network'));
      return Promise.resolve(evaluate(coalition));
    };
    const error = await shapley({ players, evaluate: flaky }, options).catch((e) => e);
    expect(error).toBeInstanceOf(EvaluatorError);
    const saved = JSON.stringify(error.cache);
    const second = tableEvaluator(players, values);
    const resumed = await shapley({ players, evaluate: second.evaluate }, { ...options, cache: saved });
    const fresh = tableEvaluator(players, values);
    const whole = await shapley({ players, evaluate: fresh.evaluate }, options);
    expect(Array.from(resumed.values)).toEqual(Array.from(whole.values));
    expect(second.seen.length + Object.keys(JSON.parse(saved).coalitions).length).toBe(fresh.seen.length);
    const paidBefore = new Set(Object.keys(JSON.parse(saved).coalitions).map((hex) => parseInt(hex, 16)));
    expect(second.seen.some((mask) => paidBefore.has(mask))).toBe(false);
  });

  it('retries, timeouts and progress reports', async () => {
    const players = names(5);
    const failuresLeft = new Map<string, number>();
    const flaky = (c: string[]) => {
      const left = failuresLeft.get(c.join()) ?? (c.length === 2 ? 2 : 0);
      failuresLeft.set(c.join(), left - 1);
      return left > 0 ? Promise.reject(new Error('503')) : Promise.resolve(c.length);
    };
    const r = await shapley({ players, evaluate: flaky }, { method: 'exact', retries: 2 });
    expect(r.calls).toBe(32 + 2 * 10);
    expect(r.evaluations).toBe(32);
    r.values.forEach((v) => expect(v).toBeCloseTo(1, 12));

    const hanging = (c: string[]) => (c.length === 3 ? new Promise<number>(() => {}) : c.length);
    const timedOut = await shapley({ players, evaluate: hanging }, { method: 'exact', timeoutMs: 10 }).catch((e) => e);
    expect(timedOut).toBeInstanceOf(EvaluatorError);
    expect(timedOut.coalition.length).toBe(3);
    expect(timedOut.message).toMatch(/no value within timeoutMs = 10 ms/);

    const reports: Progress[] = [];
    const p = await shapley({ players: names(13), evaluate: (c: string[]) => c.length ** 2 }, {
      method: 'permutation', budget: 5_000, onProgress: (report) => reports.push(report),
    });
    const last = reports.at(-1)!;
    expect(last.evaluations).toBe(p.evaluations);
    expect(last.budget).toBe(5_000);
    expect(last.maxStderr).toBe(Math.max(...p.stderr!));
    expect(last.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('a throwing onProgress rejects the run with its error: no unhandled rejection, no hang', async () => {
    const players = names(6);
    const failure = new Error('progress display crashed');
    const onProgress = () => {
      throw failure;
    };
    // Values arriving after the 100 ms progress interval make the report fire mid-batch, inside the evaluator's promise callbacks.
    const slow = (c: string[]) => new Promise<number>((resolve) => setTimeout(() => resolve(c.length), 150));
    for (const evaluate of [(c: string[]) => c.length, (c: string[]) => Promise.resolve(c.length), slow]) {
      for (const method of ['exact', 'permutation', 'msr'] as const) {
        await expect(shapley({ players, evaluate }, { method, budget: method === 'exact' ? undefined : 40, onProgress })).rejects.toBe(failure);
      }
    }
  });

  it('evaluate values whose sums overflow are an InputError, never non-finite credit with stopReason complete', async () => {
    const players = names(4);
    const evaluate = (c: string[]) => (c.length % 2 ? 1.7e308 : -1.7e308);
    const overflow = /^values: the sums overflow float64/;
    await expect(shapley({ players, evaluate }, { method: 'exact' })).rejects.toThrow(overflow);
    for (const method of ['permutation', 'msr', 'svarm', 'kernel', 'stratified'] as const) {
      const outcome = await shapley({ players, evaluate }, { method, budget: 12 }).catch((e: Error) => e);
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(InputError);
      else expect(Array.from(outcome.values).every(Number.isFinite)).toBe(true);
    }
  });

  it('validates the game and options before any call, naming the field', async () => {
    let calls = 0;
    const evaluate = () => ++calls;
    const players = ['a', 'b', 'c'];
    const bad: [unknown, unknown, RegExp][] = [
      [{ players: ['a', 'a'], evaluate }, {}, /duplicate player name "a"/],
      [{ players, evaluate: 3 }, {}, /evaluate: expected a function/],
      [{ players, evaluate }, { concurrency: 0 }, /concurrency: expected concurrency .* integer >= 1, got 0/],
      [{ players, evaluate }, { tolerance: -1 }, /tolerance: expected the tolerance .* > 0, got -1/],
      [{ players, evaluate }, { timeoutMs: Number.NaN }, /timeoutMs/],
      [{ players, evaluate }, { retryDelayMs: -5 }, /retryDelayMs: expected retryDelayMs .* finite number >= 0, got -5/],
      [{ players, evaluate }, { signal: {} }, /signal: expected an AbortSignal/],
      [{ players, evaluate }, { onProgress: 'x' }, /onProgress: expected a function/],
      [{ players, evaluate }, { method: 'exact', budget: 5 }, /method 'exact' needs 8 more evaluate calls.*Raise the budget or use method 'permutation'\.$/],
      [{ players: ['a'], evaluate }, { method: 'permutation', budget: 1 }, /method 'permutation' needs 2 more evaluate calls \(2\^1 coalitions, 0 cached\), got a budget of 1\. Raise the budget\.$/],
      [{ players, evaluate }, { method: 'permutation', budget: 5 }, /budget: permutation sampling of 3 players needs at least 10/],
      [{ players: names(21), evaluate }, { method: 'exact' }, /up to 20 players. Use method 'permutation'/],
      [{ players, evaluate }, { cache: new CoalitionCache(['x']) }, /recorded for players \[x\]/],
      // Run on evaluate alone, the table was ignored in silence.
      [{ players, evaluate, values: [0, 1, 1, 2, 1, 2, 2, 3] }, {}, /^game: values: a game holds either evaluate or values \(a value table\), not both; expected one of \{ players, evaluate \} and \{ players, values \}$/],
      [{ players, evaluate, builtin: 'soum', params: [0] }, {}, /^game: builtin: a game holds either evaluate or builtin \(a built-in game\), not both/],
    ];
    for (const [game, options, message] of bad) {
      const error = await shapley(game as never, options as never).catch((e) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
    }
    expect(calls).toBe(0);
  });
});

describe('tolerance on sampled evaluator runs: no early stop on unknown standard errors', () => {
  /** evaluate() for a random SOUM game, players by name. */
  function soumEvaluator(game: ReturnType<typeof randomSoumGame>) {
    const count = game.params[0];
    const masks = new BigUint64Array(game.params.buffer, game.params.byteOffset + 8 * (1 + count), count);
    const index = new Map(game.players.map((p, i) => [p, BigInt(i)]));
    return (coalition: string[]) => {
      let mask = 0n;
      for (const p of coalition) mask |= 1n << index.get(p)!;
      let value = 0;
      for (let t = 0; t < count; t++) if ((masks[t] & mask) === masks[t]) value += game.params[1 + t];
      return value;
    };
  }

  it.each(['auto', 'msr', 'svarm', 'stratified'] as const)(
    '%s, n = 30 SOUM, tolerance 0.01: a "tolerance" stop is within 4 tolerances of the closed form',
    async (method) => {
      const game = randomSoumGame(30, 30, 1, 5, seededRandom(3));
      const truth = closedFormShapley(game);
      const tolerance = 0.01;
      const r = await shapley({ players: game.players, evaluate: soumEvaluator(game) }, { method, budget: 20_000, tolerance, seed: 1 });
      // Stopping after a few dozen evaluations (every sampled size seen once or not at all) was the bug.
      expect(r.evaluations).toBeGreaterThan(1000);
      const maxError = Math.max(...Array.from(r.values, (v, i) => Math.abs(v - truth[i])));
      if (r.stopReason === 'tolerance') {
        expect(Math.max(...r.stderr!)).toBeLessThan(tolerance);
        expect(maxError).toBeLessThanOrEqual(4 * tolerance);
      } else {
        expect(r.stopReason).toBe('budget');
        expect(r.evaluations).toBe(20_000);
      }
    },
  );

  it('stratified does not stop after the exact sizes 0 and n-1 when they carry nothing', async () => {
    const n = 8;
    const players = names(n);
    const table = new Float64Array(2 ** n);
    for (let m = 0; m < table.length; m++) {
      let c = 0;
      for (let x = m; x; x &= x - 1) c++;
      table[m] = m & 1 && c >= 3 && c <= 5 ? 1 : 0;
    }
    const { evaluate } = tableEvaluator(players, table);
    const r = await shapley({ players, evaluate }, { method: 'stratified', budget: 200, tolerance: 0.01, seed: 1 });
    expect(r.evaluations).toBeGreaterThan(2 * n + 2);
    expect(r.values.some((v) => v !== 0)).toBe(true);
    expect(r.stderr!.every((e) => e > 0)).toBe(true);
  });
});
