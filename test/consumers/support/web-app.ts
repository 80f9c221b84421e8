// Serves a built copy of fixtures/web-app and reads what its page reports:
// the JSON in [data-testid=result], or the text of [data-testid=error].
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { openWatched } from '../../support/chromium.js';
import { serveDirectory } from '../../support/static-server.js';
import { textbookShapley } from '../../support/textbook.js';

export interface PageReport {
  result: { table: number[]; mainThread: number[]; worker?: number[]; sampled: number[] } | null;
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

/** The page's numbers are the textbook Shapley values of its table, on the main thread and in the worker when it used one. */
export function expectCorrectReport(report: PageReport, { worker: inWorker = true } = {}): void {
  expect(report.error).toBe('');
  expect(report.problems).toEqual([]);
  const { table, mainThread, worker, sampled } = report.result!;
  expect(worker !== undefined).toBe(inWorker);
  const truth = textbookShapley(table, 6);
  truth.forEach((value, i) => {
    expect(mainThread[i]).toBeCloseTo(value, 9);
    if (worker) expect(worker[i]).toBe(mainThread[i]);
    expect(Math.abs(sampled[i] - value) / value).toBeLessThan(0.1);
  });
}
