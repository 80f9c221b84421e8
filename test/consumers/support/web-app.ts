// Serves a built copy of fixtures/web-app and reads what its page reports:
// the JSON in [data-testid=result], or the text of [data-testid=error].
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, openWatched } from '../../support/chromium.js';
import { serveDirectory } from '../../support/static-server.js';
import { textbookShapley } from '../../support/textbook.js';
import { installFixture, type Fixture } from './fixture.js';

/** A fresh install of fixtures/web-app and a Chromium, shared by the tests of one file. */
export interface WebAppSession {
  app: Fixture;
  browser: Browser;
  close(): Promise<void>;
}

export async function openWebApp(): Promise<WebAppSession> {
  const [app, browser] = await Promise.all([installFixture('web-app'), launchChromium()]);
  return {
    app,
    browser,
    async close() {
      await browser.close();
      app.remove();
    },
  };
}

/** What a page of fixtures/web-app shows: `worker` and `sampled` come from the library's pool, `ownWorker` from the app's own worker. */
export interface PageReport {
  result: {
    table: number[];
    mainThread: number[];
    sampledHere: number[];
    worker: number[];
    sampled: number[];
    ownWorker?: number[];
  } | null;
  error: string;
  problems: string[];
}

/** Opens `url` and waits until the page shows its result or its error. */
export async function reportOfPage(browser: Browser, url: string): Promise<PageReport> {
  const { page, problems } = await openWatched(browser, url);
  try {
    const done = page.locator('[data-testid=result]:not(:empty), [data-testid=error]:not(:empty)');
    await done.first().waitFor({ timeout: 30_000 });
    const result = await page.getByTestId('result').textContent();
    const error = (await page.getByTestId('error').textContent()) ?? '';
    return { result: result ? JSON.parse(result) : null, error, problems };
  } finally {
    await page.context().close();
  }
}

/** Serves `directory` statically and reports its page `pagePath` (index.html by default). */
export async function reportOfBuiltApp(browser: Browser, directory: string, headers: Record<string, string> = {}, pagePath = ''): Promise<PageReport> {
  const server = await serveDirectory(directory, headers);
  try {
    return await reportOfPage(browser, `${server.origin}/${pagePath}`);
  } finally {
    await server.close();
  }
}

/**
 * The page's numbers are the textbook Shapley values of its table; the
 * pool's exact values agree, the pool's sampling is bit-identical to the main
 * thread's for the same seed, and the app's own worker (where the page has
 * one) gets exactly the main thread's values.
 */
export function expectCorrectReport(report: PageReport, { ownWorker: hasOwnWorker = true } = {}): void {
  expect(report.error).toBe('');
  expect(report.problems).toEqual([]);
  const { table, mainThread, sampledHere, worker, sampled, ownWorker } = report.result!;
  const truth = textbookShapley(table, 12);
  truth.forEach((value, i) => {
    expect(mainThread[i]).toBeCloseTo(value, 9);
    expect(worker[i]).toBeCloseTo(value, 9);
    expect(Math.abs(sampledHere[i] - value) / value).toBeLessThan(0.1);
  });
  expect(sampled).toEqual(sampledHere);
  expect(ownWorker).toEqual(hasOwnWorker ? mainThread : undefined);
}
