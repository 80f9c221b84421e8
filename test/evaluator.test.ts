import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoalitionCache } from '../src/evaluator/coalition-cache.js';
import { EvaluatorError } from '../src/evaluator/evaluator-error.js';
import { CachedEvaluator } from '../src/evaluator/calls.js';
import { deferredEvaluator, nextMacrotask } from './support/evaluators.js';

const players = ['a', 'b', 'c', 'd'];
const settings = { concurrency: 3, retries: 0 };

function sizeEvaluator() {
  const calls: string[][] = [];
  return { calls, evaluate: (coalition: string[]) => (calls.push(coalition), coalition.length) };
}

describe('CachedEvaluator', () => {
  it('calls evaluate once per distinct coalition, within and across batches', async () => {
    const { calls, evaluate } = sizeEvaluator();
    const source = new CachedEvaluator(players, evaluate, new CoalitionCache(players), settings);
    expect(Array.from(await source.values(Uint32Array.of(3, 5, 3, 0, 5)))).toEqual([2, 2, 2, 0, 2]);
    expect(Array.from(await source.values(Uint32Array.of(5, 15, 3)))).toEqual([2, 4, 2]);
    expect(calls.map((c) => c.join(''))).toEqual(['ab', 'ac', '', 'abcd']);
    expect([source.evaluations, source.calls, source.cacheHits]).toEqual([4, 4, 4]);
  });

  it('a coalition repeated within a batch is called once and its repeats get its value, with an asynchronous evaluate too', async () => {
    const deferred = deferredEvaluator();
    const source = new CachedEvaluator(players, deferred.evaluate, new CoalitionCache(players), settings);
    const batch = source.values(Uint32Array.of(3, 5, 3, 3, 5, 0));
    await nextMacrotask();
    expect(deferred.calls.length).toBe(3);
    deferred.calls[0].resolve(30);
    deferred.calls[1].resolve(50);
    deferred.calls[2].resolve(-1);
    expect(Array.from(await batch)).toEqual([30, 50, 30, 30, 50, -1]);
    expect([source.evaluations, source.calls, source.cacheHits]).toEqual([3, 3, 3]);
  });

  it('an evaluator that turns asynchronous mid-batch: synchronous answers at once, then every lane filled, each coalition called once', async () => {
    // Synchronous for its first two calls (a local check), then a deferred promise per call (a remote judge).
    const deferred = deferredEvaluator();
    let sync = 2;
    const evaluate = (c: string[]) => (sync-- > 0 ? c.length * 10 : deferred.evaluate(c));
    const source = new CachedEvaluator(players, evaluate, new CoalitionCache(players), settings);
    // Masks 1 and 2 answered synchronously; 3 starts the asynchronous calls; 3 and 1 repeat.
    const batch = source.values(Uint32Array.of(1, 2, 3, 4, 5, 3, 1, 6, 7));
    await nextMacrotask();
    expect(deferred.calls.map((call) => call.coalition.join(''))).toEqual(['ab', 'c', 'ac']);
    for (let settled = 0; settled < 5; settled++) {
      deferred.calls[settled].resolve(100 + settled);
      await nextMacrotask();
    }
    expect(Array.from(await batch)).toEqual([10, 10, 100, 101, 102, 100, 10, 103, 104]);
    expect(deferred.maxInFlight()).toBe(3);
    expect([source.evaluations, source.calls, source.cacheHits]).toEqual([7, 7, 2]);
  });

  it('keeps at most `concurrency` calls in flight and fills every lane', async () => {
    const deferred = deferredEvaluator();
    const source = new CachedEvaluator(players, deferred.evaluate, new CoalitionCache(players), settings);
    const batch = source.values(Uint32Array.from({ length: 16 }, (_, i) => i));
    for (let settled = 0; settled < 16; settled++) {
      await nextMacrotask();
      expect(deferred.calls.length).toBe(Math.min(16, settled + 3));
      deferred.calls[settled].resolve(settled);
    }
    expect(Array.from(await batch)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(deferred.maxInFlight()).toBe(3);
  });

  it('a throw, a rejection, a non-finite value or a timeout fails with EvaluatorError naming the coalition', async () => {
    const cases: [(c: string[]) => unknown, RegExp][] = [
      [() => { throw new Error('judge down'); }, /judge down/],
      [() => Promise.reject(new Error('HTTP 500')), /HTTP 500/],
      [() => Number.NaN, /expected a finite number, got NaN/],
      [() => '0.5', /expected a finite number, got "0.5"/],
      [() => new Promise(() => {}), /no value within timeoutMs = 5 ms/],
    ];
    for (const [bad, message] of cases) {
      const cache = new CoalitionCache(players);
      const evaluate = (c: string[]) => (c.join('') === 'bd' ? bad(c) : c.length) as number;
      const source = new CachedEvaluator(players, evaluate, cache, { ...settings, timeoutMs: 5 });
      const error = await source.values(Uint32Array.of(1, 2, 10, 4)).catch((e) => e);
      expect(error).toBeInstanceOf(EvaluatorError);
      expect(error.coalition).toEqual(['b', 'd']);
      expect(error.message).toMatch(/coalition \{b, d\}/);
      expect(error.message).toMatch(message);
      expect(error.cache).toBe(cache);
      expect(cache.get(['a'])).toBe(1);
      expect(cache.get(['b'])).toBe(1);
    }
  });

  it('retries a failed call up to `retries` times', async () => {
    let failures = 2;
    const evaluate = (c: string[]) => {
      if (c.length === 1 && failures-- > 0) throw new Error('flaky');
      return c.length;
    };
    const source = new CachedEvaluator(players, evaluate, new CoalitionCache(players), { ...settings, retries: 2 });
    expect(Array.from(await source.values(Uint32Array.of(1, 3)))).toEqual([1, 2]);
    expect([source.evaluations, source.calls]).toEqual([2, 4]);
    failures = 3;
    const strict = new CachedEvaluator(players, evaluate, new CoalitionCache(players), { ...settings, retries: 2 });
    const error = await strict.values(Uint32Array.of(2)).catch((e) => e);
    expect(error.message).toMatch(/coalition \{b\} \(3 attempts\): flaky/);
  });

  it('stopping the run clears the timeouts of calls in flight', async () => {
    vi.useFakeTimers();
    try {
      const deferred = deferredEvaluator();
      const source = new CachedEvaluator(players, deferred.evaluate, new CoalitionCache(players), { ...settings, timeoutMs: 30_000 });
      void source.values(Uint32Array.of(1, 2, 3)).catch(() => {});
      expect(vi.getTimerCount()).toBe(3);
      source.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  describe('retryDelayMs: exponential backoff between attempts', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('waits retryDelayMs before the first retry and doubles the wait before each further one', async () => {
      vi.useFakeTimers({ now: 0 });
      const attempts: number[] = [];
      const evaluate = (c: string[]) => {
        if (c.length !== 1) return c.length;
        attempts.push(Date.now());
        return attempts.length <= 3 ? Promise.reject(new Error('429 rate limited')) : Promise.resolve(1);
      };
      const source = new CachedEvaluator(players, evaluate, new CoalitionCache(players), { ...settings, retries: 3, retryDelayMs: 100 });
      const values = source.values(Uint32Array.of(1, 3));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(Array.from(await values)).toEqual([1, 2]);
      expect(attempts).toEqual([0, 100, 300, 700]);
      expect(source.calls).toBe(5);
    });

    it('a run stopped during a backoff starts no further attempt', async () => {
      vi.useFakeTimers({ now: 0 });
      let calls = 0;
      const evaluate = () => (++calls, Promise.reject(new Error('503')));
      const source = new CachedEvaluator(players, evaluate, new CoalitionCache(players), { ...settings, retries: 5, retryDelayMs: 1_000 });
      const outcome = source.values(Uint32Array.of(1)).catch((e) => e);
      await vi.advanceTimersByTimeAsync(500);
      expect(calls).toBe(1);
      expect(vi.getTimerCount()).toBe(1);
      source.stop();
      // No timer is left behind to keep a Node process alive.
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(calls).toBe(1);
      const error = await outcome;
      expect(error).toBeInstanceOf(EvaluatorError);
      expect(error.message).toBe('evaluate failed for coalition {a}: 503');
      expect(error.attempts).toBe(1);
    });
  });

  it('after stop() no new call starts; values that arrive late still land in the cache', async () => {
    const deferred = deferredEvaluator();
    const cache = new CoalitionCache(players);
    const source = new CachedEvaluator(players, deferred.evaluate, cache, settings);
    const batch = source.values(Uint32Array.from({ length: 8 }, (_, i) => i)).catch((e) => e);
    await nextMacrotask();
    expect(deferred.calls.length).toBe(3);
    source.stop();
    deferred.calls.forEach((call, i) => call.resolve(i));
    await batch;
    await nextMacrotask();
    expect(deferred.calls.length).toBe(3);
    expect(cache.size).toBe(3);
  });

  it('a call that times out but resolves later was paid for: its value lands in the cache', async () => {
    const deferred = deferredEvaluator();
    const cache = new CoalitionCache(players);
    const source = new CachedEvaluator(players, deferred.evaluate, cache, { ...settings, timeoutMs: 5 });
    const error = await source.values(Uint32Array.of(3)).catch((e) => e);
    expect(error).toBeInstanceOf(EvaluatorError);
    expect(error.message).toBe('evaluate failed for coalition {a, b}: no value within timeoutMs = 5 ms');
    deferred.calls[0].resolve(0.75);
    await nextMacrotask();
    expect(cache.get(['a', 'b'])).toBe(0.75);
  });

  it('an evaluator that edits its coalition array changes neither the retry nor the error', async () => {
    const seen: string[] = [];
    const evaluate = (coalition: string[]) => {
      seen.push(coalition.join(''));
      coalition.reverse().push('zzz');
      throw new Error('busy');
    };
    const error = await new CachedEvaluator(players, evaluate, new CoalitionCache(players), { ...settings, retries: 2 }).values(Uint32Array.of(11)).catch((e) => e);
    expect(seen).toEqual(['abd', 'abd', 'abd']);
    expect(error.coalition).toEqual(['a', 'b', 'd']);
    expect(error.message).toBe('evaluate failed for coalition {a, b, d} (3 attempts): busy');
  });

  it('an error whose toString or message throws still gives an EvaluatorError naming the coalition', async () => {
    const hostile = { toString: () => { throw new Error('no text'); } };
    const withMessage = Object.defineProperty(new Error(), 'message', { get: () => { throw new Error('no text'); } });
    for (const cause of [hostile, withMessage]) {
      const evaluate = () => { throw cause; };
      const error = await new CachedEvaluator(players, evaluate, new CoalitionCache(players), settings).values(Uint32Array.of(1)).catch((e) => e);
      expect(error).toBeInstanceOf(EvaluatorError);
      expect(error.message).toBe('evaluate failed for coalition {a}: the error thrown cannot be shown as text (its message or toString threw)');
      expect(error.cause).toBe(cause);
    }
  });
});
