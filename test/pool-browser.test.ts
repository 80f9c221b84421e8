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

interface SharedTableResults {
  canShare: boolean;
  sharedBuffer: boolean;
  single: Plain;
  singleBanzhaf: Plain;
  copiedPooled: Plain;
  pooled: Plain[];
  banzhafPooled: Plain[];
  nanError: string;
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
  fallback: SharedTableResults;
}

let served: ServedPage;
let browser: Browser;
let results: PoolResults;
let isolated: { crossOriginIsolated: boolean; shared: SharedTableResults };

/** Opens the test page at `url` and returns what it published on window.poolResults. */
async function pageResults<T>(url: string): Promise<T> {
  const { page, problems } = await openWatched(browser, url);
  const log: string[] = [];
  page.on('console', (message) => log.push(message.text()));
  await page.waitForFunction(() => 'poolResults' in window || 'poolFailure' in window, undefined, { timeout: 120_000 });
  const failure = await page.evaluate(() => (window as unknown as { poolFailure?: string }).poolFailure);
  if (failure) throw new Error(`the test page failed: ${failure}\nconsole:\n${log.join('\n')}`);
  const published = await page.evaluate(() => (window as unknown as { poolResults: T }).poolResults);
  expect(problems).toEqual([]);
  await page.close();
  return published;
}

beforeAll(async () => {
  served = await serveTestPage();
  browser = await launchChromium();
  results = await pageResults<PoolResults>(served.url);
  isolated = await pageResults(served.isolatedUrl);
});

/** The shared-table scenario's checks: in place or copied, the values are those of the copied table. */
function checkSharedTable(r: SharedTableResults): void {
  for (const pooled of r.pooled) {
    expect(pooled.values).toEqual(r.copiedPooled.values);
    pooled.values.forEach((v, i) => expect(Math.abs(v - r.single.values[i])).toBeLessThan(1e-12));
  }
  for (const pooled of r.banzhafPooled) {
    expect(pooled.values).toEqual(r.banzhafPooled[0].values);
    pooled.values.forEach((v, i) => expect(Math.abs(v - r.singleBanzhaf.values[i])).toBeLessThan(1e-12));
  }
  expect(r.nanError).toMatch(/^InputError: .*values\[77\] \(mask 77 = \{.*\}\): expected a finite number, got NaN/);
}

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

  it('createSharedTable on a page that is not cross-origin isolated: an ordinary table that works the same', () => {
    expect(results.fallback.canShare).toBe(false);
    expect(results.fallback.sharedBuffer).toBe(false);
    checkSharedTable(results.fallback);
  });

  it('createSharedTable on a cross-origin isolated page: workers read the table in place, same values, NaN named', () => {
    expect(isolated.crossOriginIsolated).toBe(true);
    expect(isolated.shared.canShare).toBe(true);
    expect(isolated.shared.sharedBuffer).toBe(true);
    checkSharedTable(isolated.shared);
  });
});
