import { describe, expect, it } from 'vitest';
import type { CoalitionSampler, MaskBatch } from '../src/estimators/ask-tell.js';
import { driveSampler, type CoalitionSource, type Progress } from '../src/evaluator/driver.js';
import { flushMicrotasks, nextMacrotask } from './support/evaluators.js';

/** A sampler of `units` units of `unitSize` coalitions each, coalition k of the run having mask k. */
function countingSampler(units: number, unitSize: number, stderrAfter: (told: number) => number): CoalitionSampler & { told: number } {
  let next = 0;
  return {
    players: 20,
    told: 0,
    ask(max: number): MaskBatch {
      if (next >= units * unitSize || max < unitSize) return new Uint32Array(0);
      const masks = Uint32Array.from({ length: unitSize }, (_, i) => next + i);
      next += unitSize;
      return masks;
    },
    tell(values: Float64Array) {
      this.told += values.length;
    },
    estimate() {
      return { values: Float64Array.of(this.told), stderr: Float64Array.of(stderrAfter(this.told)) };
    },
    dispose() {},
  };
}

function countingSource(pending?: { resolve: () => void }[]): CoalitionSource & { stopped: boolean } {
  return {
    evaluations: 0,
    stopped: false,
    async values(masks: MaskBatch, onValue?: () => void) {
      if (pending) await new Promise<void>((resolve) => pending.push({ resolve }));
      this.evaluations += masks.length;
      onValue?.();
      return new Float64Array(masks.length);
    },
    stop() {
      this.stopped = true;
    },
  };
}

/** Counts the sampler's estimates (each may cost a fit: msr, kernel). */
function countEstimates(sampler: CoalitionSampler): { count: number } {
  const counter = { count: 0 };
  const estimate = sampler.estimate.bind(sampler);
  sampler.estimate = () => (counter.count++, estimate());
  return counter;
}

describe('driveSampler', () => {
  it('estimates once, at the end, when no tolerance or progress report reads one; once per batch with a tolerance', async () => {
    const quiet = countingSampler(20, 10, () => 5);
    const quietCount = countEstimates(quiet);
    const outcome = await driveSampler(quiet, countingSource(), { budget: 10_000 });
    expect(quietCount.count).toBe(1);
    expect(outcome.estimate.values[0]).toBe(200);
    const watched = countingSampler(20, 10, () => 5);
    const watchedCount = countEstimates(watched);
    const watchedOutcome = await driveSampler(watched, countingSource(), { budget: 10_000, tolerance: 1 });
    expect(watchedCount.count).toBe(20);
    expect(Array.from(watchedOutcome.estimate.values)).toEqual(Array.from(outcome.estimate.values));
  });

  it('never lets the sampler ask beyond the budget; stops with "budget"', async () => {
    const sampler = countingSampler(100, 7, () => 1);
    const source = countingSource();
    const outcome = await driveSampler(sampler, source, { budget: 50 });
    expect(outcome.stopReason).toBe('budget');
    expect(source.evaluations).toBe(49);
    expect(sampler.told).toBe(49);
  });

  it('stops with "tolerance" once every standard error is below it', async () => {
    const sampler = countingSampler(100, 10, (told) => 100 / told);
    const outcome = await driveSampler(sampler, countingSource(), { budget: 10_000, tolerance: 2 });
    expect(outcome.stopReason).toBe('tolerance');
    expect(sampler.told).toBe(60);
    expect(outcome.estimate.values[0]).toBe(60);
  });

  it('ignores undefined (NaN) standard errors for the tolerance', async () => {
    const sampler = countingSampler(5, 10, () => Number.NaN);
    const outcome = await driveSampler(sampler, countingSource(), { budget: 10_000, tolerance: 2 });
    expect(outcome.stopReason).toBe('budget');
  });

  it('rejects with AbortError mid-batch, before the batch settles, and stops the source', async () => {
    const pending: { resolve: () => void }[] = [];
    const source = countingSource(pending);
    const controller = new AbortController();
    const run = driveSampler(countingSampler(100, 5, () => 1), source, { budget: 1000, signal: controller.signal });
    let outcome: unknown;
    run.then((value) => (outcome = value), (error) => (outcome = error));
    pending.shift()!.resolve();
    await nextMacrotask();
    expect(pending.length).toBe(1);
    controller.abort(new Error('user left'));
    await flushMicrotasks();
    expect(outcome).toBeInstanceOf(DOMException);
    expect((outcome as DOMException).name).toBe('AbortError');
    expect(((outcome as Error).cause as Error).message).toBe('user left');
    expect(source.stopped).toBe(true);
  });

  it('rejects at once with an already aborted signal', async () => {
    const sampler = countingSampler(10, 5, () => 1);
    const error = await driveSampler(sampler, countingSource(), { budget: 100, signal: AbortSignal.abort() }).catch((e) => e);
    expect(error.name).toBe('AbortError');
    expect(sampler.told).toBe(0);
  });

  it('reports progress with a final report that matches the outcome', async () => {
    const reports: Progress[] = [];
    const source = countingSource();
    await driveSampler(countingSampler(30, 10, (told) => 1 / told), source, { budget: 1000, onProgress: (p) => reports.push(p) });
    expect(reports.length).toBeGreaterThanOrEqual(1);
    const last = reports.at(-1)!;
    expect(last.evaluations).toBe(300);
    expect(last.budget).toBe(1000);
    expect(last.maxStderr).toBeCloseTo(1 / 300, 12);
    for (let i = 1; i < reports.length; i++) expect(reports[i].evaluations).toBeGreaterThanOrEqual(reports[i - 1].evaluations);
  });
});

describe('driveSampler and unknown standard errors', () => {
  it('does not stop on the tolerance while any standard error is +Infinity', async () => {
    const sampler = countingSampler(5, 10, () => Number.POSITIVE_INFINITY);
    const outcome = await driveSampler(sampler, countingSource(), { budget: 10_000, tolerance: 2 });
    expect(outcome.stopReason).toBe('budget');
  });
});
