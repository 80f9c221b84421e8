// The worker pool in real headless Chromium: module Web Workers, the Wasm
// Module sent to them, a worker killed mid-call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openWatched } from './support/chromium.js';
import { serveTestPage, type ServedPage } from './support/vite-page.js';

interface Plain {
  values: number[];
  stderr: number[] | null;
}

interface PoolResults {
  exactSingle: Plain;
  exactPooled: Plain[];
  permutationSingle: Plain[];
  permutationPooled: Plain[][];
  crash: { isWorkerError: boolean; message: string; spawned: number };
  afterCrash: Plain;
  afterCrashSingle: Plain;
  terminated: string;
}

let served: ServedPage;
let browser: Browser;
let results: PoolResults;

beforeAll(async () => {
  served = await serveTestPage();
  browser = await launchChromium();
  const { page, problems } = await openWatched(browser, served.url);
  const log: string[] = [];
  page.on('console', (message) => log.push(message.text()));
  await page.waitForFunction(() => 'poolResults' in window || 'poolFailure' in window, undefined, { timeout: 120_000 });
  const failure = await page.evaluate(() => (window as unknown as { poolFailure?: string }).poolFailure);
  if (failure) throw new Error(`the test page failed: ${failure}\nconsole:\n${log.join('\n')}`);
  results = await page.evaluate(() => (window as unknown as { poolResults: PoolResults }).poolResults);
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('worker pool (headless Chromium, Web Workers)', () => {
  it('exact: 1, 2 and 4 workers give identical values, equal to the main thread (1e-12)', () => {
    for (const pooled of results.exactPooled) {
      expect(pooled.values).toEqual(results.exactPooled[0].values);
      pooled.values.forEach((v, i) => expect(Math.abs(v - results.exactSingle.values[i])).toBeLessThan(1e-12));
    }
  });

  it('same seed, 1 vs 2 vs 4 workers: identical values and standard errors, equal to the main thread', () => {
    results.permutationPooled.forEach((pooled, g) => {
      for (const r of pooled) {
        expect(r.values).toEqual(results.permutationSingle[g].values);
        expect(r.stderr).toEqual(results.permutationSingle[g].stderr);
      }
    });
  });

  it('a worker killed mid-call rejects that call with WorkerError; the pool replaces it and the next call works', () => {
    expect(results.crash.message).toMatch(/pool worker 0 stopped \(it is gone\) during a call; the pool has replaced it/);
    expect(results.crash.isWorkerError).toBe(true);
    expect(results.crash.spawned).toBe(2);
    expect(results.afterCrash).toEqual(results.afterCrashSingle);
  });

  it('terminate() rejects the call in flight', () => {
    expect(results.terminated).toBe('WorkerError: agent-credit: the pool was terminated during a call');
  });
});
