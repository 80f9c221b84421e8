// Drives any CoalitionSampler against a source of coalition values that may
// be slow and asynchronous (an evaluator behind a cache): ask, evaluate,
// tell, until the budget, the tolerance or an AbortSignal stops it.
import type { CoalitionSampler, MaskBatch, SamplerEstimate } from '../estimators/ask-tell.js';

/** Supplies v(S) for batches of coalition masks, paying for the ones it has not seen. */
export interface CoalitionSource {
  /**
   * Values of the coalitions in `masks` (in order). `onValue` is called after
   * each value that had to be paid for, so progress can be shown mid-batch.
   */
  values(masks: MaskBatch, onValue?: () => void): Promise<Float64Array>;
  /** Distinct coalitions paid for so far; cached ones are free. */
  readonly evaluations: number;
  /** Stops issuing calls: a batch in progress starts no new one. */
  stop(): void;
}

/** What `onProgress` receives while an evaluator run goes on. */
export interface Progress {
  /** Distinct coalitions paid for so far in this run. */
  evaluations: number;
  budget: number;
  /** Largest standard error of the current estimate; null while unknown or for exact methods. */
  maxStderr: number | null;
  elapsedMs: number;
}

export interface DriveLimits {
  /** Distinct coalitions the run may pay for; never exceeded. */
  budget: number;
  /** Stop once every standard error is below this. */
  tolerance?: number;
  signal?: AbortSignal;
  /** Called at most every PROGRESS_INTERVAL_MS, and once at the end. */
  onProgress?: (progress: Progress) => void;
}

/** Why a run stopped: its budget (or the sampler's plan) is spent, or the tolerance was reached. */
export type StopReason = 'budget' | 'tolerance';

export interface DriveOutcome {
  estimate: SamplerEstimate;
  stopReason: StopReason;
}

export const PROGRESS_INTERVAL_MS = 100;
/** Longest stretch of work between returns to the event loop, so abort events and timers run. */
const SLICE_MS = 15;

/**
 * Runs `sampler` to completion against `source`:
 *
 * 1. `sampler.ask(budget - source.evaluations)`: the sampler hands out whole
 *    sampling units that fit in what is left, so even if no coalition were
 *    cached the budget could not be exceeded. An empty batch ends the run
 *    (`stopReason: 'budget'`).
 * 2. `source.values(masks)`: cached coalitions are free, the others are
 *    evaluated (concurrently, by the source).
 * 3. `sampler.tell(values)`; then, with a `tolerance`, `sampler.estimate()`:
 *    when every standard error is finite and below it, the run ends
 *    (`'tolerance'`). Without one, estimates (which may cost a fit: msr,
 *    kernel) are made only for a progress report that is due, and once at
 *    the end.
 *
 * An aborted `signal` rejects with a DOMException named AbortError at once
 * (even mid-batch) and tells the source to start no more calls. The sampler is
 * not disposed here: the caller owns it. Any sampler implementing the
 * CoalitionSampler contract (src/estimators/ask-tell.ts) can be driven this way.
 *
 * @example
 * const sampler = createPermutationSampler(core, n, { pairs, seed, pairsPerAsk: 4 });
 * try {
 *   const { estimate, stopReason } = await driveSampler(sampler, source, { budget, tolerance, signal });
 * } finally {
 *   sampler.dispose();
 * }
 */
export async function driveSampler(sampler: CoalitionSampler, source: CoalitionSource, limits: DriveLimits): Promise<DriveOutcome> {
  const { budget, tolerance, signal, onProgress } = limits;
  const startedAt = now();
  let lastReport = startedAt;
  let maxStderr: number | null = null;
  /** The last estimate made, unless values were told since. */
  let latest: SamplerEstimate | undefined;
  const estimate = (): SamplerEstimate => {
    latest ??= sampler.estimate();
    maxStderr = largest(latest.stderr);
    return latest;
  };
  const report = (force: boolean) => {
    if (!onProgress) return;
    const time = now();
    if (!force && time - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = time;
    // An estimate can cost a fit (msr, kernel): made for a report only when one is due.
    estimate();
    onProgress({ evaluations: source.evaluations, budget, maxStderr, elapsedMs: time - startedAt });
  };
  // Called per coalition evaluated: without a progress callback there is nothing to do, not even read the clock.
  const onValue = onProgress ? () => report(false) : undefined;
  const abort = abortTrap(signal, () => source.stop());
  try {
    let sliceStart = now();
    for (;;) {
      abort.check();
      const remaining = budget - source.evaluations;
      const masks = remaining > 0 ? sampler.ask(remaining) : new Uint32Array(0);
      if (masks.length === 0) return finish('budget');
      const values = await abort.race(source.values(masks, onValue));
      abort.check();
      sampler.tell(values);
      latest = undefined;
      if (tolerance !== undefined) {
        const stderr = largest(estimate().stderr);
        if (stderr !== null && stderr < tolerance) return finish('tolerance');
      }
      report(false);
      if (now() - sliceStart > SLICE_MS) {
        await abort.race(yieldToEventLoop());
        sliceStart = now();
      }
    }
  } finally {
    abort.dispose();
  }

  function finish(stopReason: StopReason): DriveOutcome {
    const final = estimate();
    report(true);
    return { estimate: final, stopReason };
  }
}

/** The largest standard error, or null when there are none or any is not yet defined. */
function largest(stderr: Float64Array | null): number | null {
  if (!stderr) return null;
  let max = 0;
  for (const e of stderr) {
    if (!Number.isFinite(e)) return null;
    if (e > max) max = e;
  }
  return max;
}

function now(): number {
  return performance.now();
}

/** The AbortError a run rejects with; its cause is the signal's reason. */
function abortErrorOf(signal: AbortSignal): DOMException {
  const error = new DOMException('agent-credit: the run was aborted', 'AbortError');
  Object.defineProperty(error, 'cause', { value: signal.reason, enumerable: false, configurable: true });
  return error;
}

interface AbortTrap {
  check(): void;
  race<T>(promise: Promise<T>): Promise<T>;
  dispose(): void;
}

function abortTrap(signal: AbortSignal | undefined, onAbort: () => void): AbortTrap {
  if (!signal) return { check() {}, race: (promise) => promise, dispose() {} };
  let rejectAll: (error: unknown) => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    rejectAll = reject;
  });
  aborted.catch(() => {});
  const listener = () => {
    onAbort();
    rejectAll(abortErrorOf(signal));
  };
  if (signal.aborted) listener();
  else signal.addEventListener('abort', listener, { once: true });
  return {
    check() {
      if (signal.aborted) {
        onAbort();
        throw abortErrorOf(signal);
      }
    },
    // The abort first: a synchronous evaluator's batch may already have rejected (stopped by the same abort) when the race starts.
    race: (promise) => Promise.race([aborted, promise]),
    dispose: () => signal.removeEventListener('abort', listener),
  };
}

/** Lets timers and events (an abort, a progress paint) run between batches of synchronous work. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
