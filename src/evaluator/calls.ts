// Calls a user's evaluator for coalitions the cache does not hold: at most
// once per distinct coalition, with bounded concurrency, a timeout, retries,
// and a clear error naming the coalition that failed.
import { membersOf, type CoalitionCache } from './coalition-cache.js';
import { EvaluatorError } from './evaluator-error.js';
import type { MaskBatch } from '../estimators/ask-tell.js';
import type { CoalitionSource } from './driver.js';
import { describe } from '../core/validate.js';

/** What an evaluator receives besides the coalition. */
export interface EvaluateContext {
  /** Aborted when the run stops (aborted, failed elsewhere, or timed out): cancel your request then. */
  signal: AbortSignal;
}

/** v(S) for the coalition S given by its players' names; may be asynchronous. */
export type Evaluate = (coalition: string[], context: EvaluateContext) => number | PromiseLike<number>;

export interface EvaluatorSettings {
  /** Calls in flight at most. */
  concurrency: number;
  /** A call that has not settled after this many ms counts as failed. */
  timeoutMs?: number;
  /** Further attempts after a failed call before the run fails. */
  retries: number;
  /** Wait before the first retry of a call, doubled before each further one (0: retry at once). */
  retryDelayMs?: number;
}

type Key = ReturnType<CoalitionCache['keyOf']>;

/** The longest delay setTimeout takes (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** A call of evaluate that has started and not settled. */
interface InFlight {
  key: Key;
  index: number;
  result: Promise<number>;
}

/** A CoalitionSource over a user's evaluate function and a cache. */
export class CachedEvaluator implements CoalitionSource {
  /** Distinct coalitions evaluate has been called for. */
  evaluations = 0;
  /** Calls of evaluate, retries included. */
  calls = 0;
  /** Coalitions answered from the cache (repeats within a batch included). */
  cacheHits = 0;
  private readonly controller = new AbortController();
  /** What every call gets besides its coalition: one object for the run, not one per call. */
  private readonly context: EvaluateContext = { signal: this.controller.signal };
  /** Timers still pending (timeouts, backoffs), each with what to do if the run stops first. */
  private readonly pending = new Set<() => void>();
  /** Whether stop() was called: read per coalition, where a field is cheaper than signal.aborted's getter. */
  private stopped = false;

  constructor(
    private readonly players: readonly string[],
    private readonly evaluate: Evaluate,
    readonly cache: CoalitionCache,
    private readonly settings: EvaluatorSettings,
  ) {}

  stop(): void {
    this.stopped = true;
    this.controller.abort();
    for (const onStop of [...this.pending]) onStop();
  }

  async values(masks: MaskBatch, onValue?: () => void): Promise<Float64Array> {
    const count = masks.length / this.cache.words;
    const out = new Float64Array(count);
    let start = 0;
    // While the evaluator answers synchronously, each missing coalition is
    // evaluated where the loop meets it: its repeats later in the batch find
    // it in the cache, and there is nothing to schedule. The first promise
    // (an asynchronous evaluator, or a retry after a delay) goes on, in
    // flight, to the concurrent path below, which takes the rest of the
    // batch; the next batch starts here again.
    let started: InFlight | undefined;
    while (start < count) {
      const index = start++;
      const key = this.cache.keyOf(masks, index);
      const cached = this.cache.lookup(key);
      if (cached !== undefined) {
        out[index] = cached;
        this.cacheHits++;
        continue;
      }
      try {
        if (this.stopped) throw this.controller.signal.reason;
        this.evaluations++;
        const result = this.attempt(key, masks, index, 1);
        if (typeof result !== 'number') {
          started = { key, index, result };
          break;
        }
        this.cache.store(key, result);
        out[index] = result;
        onValue?.();
      } catch (error) {
        this.stop();
        throw error;
      }
    }
    if (start === count && started === undefined) return out;
    // A coalition missing from the cache is evaluated once, at its first index;
    // its repeats in the batch (rare) read the cache once it is filled. Numbers
    // only, no array per coalition: this loop runs for every coalition asked.
    const first = new Map<Key, number>();
    if (started) first.set(started.key, started.index);
    const jobs: number[] = [];
    const repeats: number[] = [];
    for (let i = start; i < count; i++) {
      const key = this.cache.keyOf(masks, i);
      const value = this.cache.lookup(key);
      if (value !== undefined) {
        out[i] = value;
        this.cacheHits++;
      } else if (first.has(key)) {
        repeats.push(i);
        this.cacheHits++;
      } else {
        first.set(key, i);
        jobs.push(i);
      }
    }
    if (jobs.length > 0 || started) await this.evaluateAll(jobs, masks, out, onValue, started);
    for (const i of repeats) out[i] = this.cache.lookup(this.cache.keyOf(masks, i))!;
    return out;
  }

  /**
   * Evaluates the missing coalitions, `concurrency` at a time (counting a
   * call already `started`); rejects on the first failure.
   */
  private evaluateAll(jobs: number[], masks: MaskBatch, out: Float64Array, onValue?: () => void, started?: InFlight): Promise<void> {
    const { signal } = this.controller;
    return new Promise((resolve, reject) => {
      let next = 0;
      let active = 0;
      let finished = false;
      const fail = (error: unknown) => {
        if (finished) return;
        finished = true;
        this.stop();
        reject(error);
      };
      const record = (key: Key, index: number, value: number) => {
        this.cache.store(key, value);
        out[index] = value;
        if (finished) return;
        // A throwing progress callback fails the run with its error (inside a `.then` it would go unhandled).
        try {
          onValue?.();
        } catch (error) {
          fail(error);
        }
      };
      const watch = (key: Key, index: number, result: Promise<number>) => {
        active++;
        result.then(
          (value) => {
            active--;
            record(key, index, value);
            launch();
          },
          (error) => {
            active--;
            fail(error);
          },
        );
      };
      const launch = () => {
        while (!finished && active < this.settings.concurrency && next < jobs.length) {
          if (this.stopped) return fail(signal.reason);
          const index = jobs[next++];
          const key = this.cache.keyOf(masks, index);
          this.evaluations++;
          let result: number | Promise<number>;
          try {
            result = this.attempt(key, masks, index, 1);
          } catch (error) {
            return fail(error);
          }
          if (typeof result === 'number') {
            record(key, index, result);
            continue;
          }
          watch(key, index, result);
        }
        if (!finished && active === 0 && next === jobs.length) {
          finished = true;
          resolve();
        }
      };
      if (started) watch(started.key, started.index, started.result);
      launch();
    });
  }

  /** One call of evaluate on coalition `index` of `masks`, checked; retried on failure. Synchronous evaluators stay synchronous. */
  private attempt(key: Key, masks: MaskBatch, index: number, attempt: number): number | Promise<number> {
    this.calls++;
    let result: number | PromiseLike<number>;
    try {
      // Names made afresh for each call (and for an error): an evaluator that sorts or edits its argument changes nothing else.
      result = this.evaluate(membersOf(masks, index, this.players), this.context);
    } catch (error) {
      return this.retryOrFail(key, masks, index, attempt, error);
    }
    // A finite number, what synchronous evaluators return, first: this runs for every coalition paid for.
    if (typeof result === 'number' && Number.isFinite(result)) return result;
    if (!isThenable(result)) return this.check(key, masks, index, attempt, result);
    return this.settle(key, result).then(
      (value) => this.check(key, masks, index, attempt, value),
      (error) => this.retryOrFail(key, masks, index, attempt, error),
    );
  }

  /**
   * The call's value, or a rejection once `timeoutMs` passes. A value that
   * arrives after its timeout was still paid for: it goes into the cache
   * (unless another attempt filled it), so a resumed run does not pay again.
   */
  private settle(key: Key, result: PromiseLike<number>): Promise<number> {
    const { timeoutMs } = this.settings;
    if (timeoutMs === undefined) return Promise.resolve(result);
    return new Promise((resolve, reject) => {
      let late = false;
      const done = this.timer(timeoutMs, () => {
        late = true;
        reject(new Error(`no value within timeoutMs = ${timeoutMs} ms`));
      });
      Promise.resolve(result).then(
        (value) => {
          done();
          if (!late) resolve(value);
          else if (typeof value === 'number' && Number.isFinite(value) && this.cache.lookup(key) === undefined) this.cache.store(key, value);
        },
        (error) => {
          done();
          reject(error);
        },
      );
    });
  }

  /**
   * Calls `fire` after `ms` (at most 2^31 - 1, what timers take) unless the
   * run stops first, in which case it calls `stopped` instead: a stopped run
   * leaves no timer behind to keep a Node process alive. Returns a function
   * that cancels it.
   */
  private timer(ms: number, fire: () => void, stopped: () => void = () => {}): () => void {
    const onStop = () => {
      cancel();
      stopped();
    };
    const cancel = () => {
      clearTimeout(id);
      this.pending.delete(onStop);
    };
    const id = setTimeout(() => {
      cancel();
      fire();
    }, Math.min(ms, MAX_TIMER_MS));
    this.pending.add(onStop);
    return cancel;
  }

  private check(key: Key, masks: MaskBatch, index: number, attempt: number, value: unknown): number | Promise<number> {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return this.retryOrFail(key, masks, index, attempt, new TypeError(`expected a finite number, got ${describe(value)}`));
  }

  private retryOrFail(key: Key, masks: MaskBatch, index: number, attempt: number, cause: unknown): number | Promise<number> {
    if (attempt > this.settings.retries || this.stopped) throw new EvaluatorError(membersOf(masks, index, this.players), cause, this.cache, attempt);
    const delay = (this.settings.retryDelayMs ?? 0) * 2 ** (attempt - 1);
    if (delay === 0) return this.attempt(key, masks, index, attempt + 1);
    // Back off (a rate-limited judge recovers); a run stopped meanwhile ends the wait and starts nothing.
    return new Promise<number>((resolve, reject) => {
      this.timer(
        delay,
        () => {
          try {
            resolve(this.attempt(key, masks, index, attempt + 1));
          } catch (error) {
            reject(error);
          }
        },
        () => reject(new EvaluatorError(membersOf(masks, index, this.players), cause, this.cache, attempt)),
      );
    });
  }
}
