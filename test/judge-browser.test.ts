// The judge in real headless Chromium: a page on one 127.0.0.1 origin calls
// the judge server on another through fetch (CORS preflight for the API key
// and custom header), retries a 429 whose Retry-After it can read, and keeps
// its replies in IndexedDB, so a reload makes no request at all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openWatched } from './support/chromium.js';
import { serveDirectory, type StaticServer } from './support/static-server.js';
import { startJudgeServer, type JudgeServer, type RecordedRequest } from './support/judge-server.js';

interface PageResults {
  secureContext: boolean;
  value: number;
  coalitions: number[];
  labels: Array<{ message: string; label: string; score: number; reason: string }>;
  prefixValues: number[];
  recoverable: boolean[];
  refused: string;
  usage: { calls: number; cacheHits: number; promptTokens: number; completionTokens: number; wallMs: number };
}

let server: JudgeServer;
let site: StaticServer;
let browser: Browser;
let folder: string;
let first: PageResults;
let second: PageResults;
let problems: string[];
let firstRequests: RecordedRequest[];
let firstPreflights: number;
let callsSecond: number;

async function results(page: Page): Promise<PageResults> {
  await page.waitForFunction(() => 'judgeResults' in window || 'judgeFailure' in window, undefined, { timeout: 60_000 });
  const failure = await page.evaluate(() => (window as unknown as { judgeFailure?: string }).judgeFailure);
  if (failure) throw new Error(`the judge page failed: ${failure}`);
  return page.evaluate(() => (window as unknown as { judgeResults: PageResults }).judgeResults);
}

beforeAll(async () => {
  server = await startJudgeServer();
  folder = mkdtempSync(join(tmpdir(), 'agent-credit-judge-page-'));
  await build({
    entryPoints: [fileURLToPath(new URL('./browser/judge-page.js', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(folder, 'judge-page.js'),
    logLevel: 'silent',
  });
  writeFileSync(join(folder, 'index.html'), '<!doctype html><meta charset="utf-8"><title>agent-credit judge</title><script type="module" src="./judge-page.js"></script>');
  site = await serveDirectory(folder);
  browser = await launchChromium();
  const url = (phase: number) => `${site.origin}/index.html?phase=${phase}&server=${encodeURIComponent(server.baseURL)}`;
  server.inject({ kind: 'rate-limit', retryAfter: 0 });
  const watched = await openWatched(browser, url(1), [server.origin]);
  problems = watched.problems;
  first = await results(watched.page);
  firstRequests = [...server.requests];
  firstPreflights = server.preflights;
  server.reset();
  await watched.page.goto(url(2));
  second = await results(watched.page);
  callsSecond = server.calls;
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('judge in headless Chromium', () => {
  it('judges through fetch across origins: the values, labels, prefix values and recoverability of the rules', () => {
    expect(first.secureContext).toBe(true);
    expect(first.value).toBe(1);
    expect(first.coalitions).toEqual([0.5, 0, 0.5]);
    expect(first.labels.map((entry) => [entry.message, entry.label, entry.score])).toEqual([
      ['u', 'neutral', 0], ['m0', 'helpful', 1], ['m1', 'error', -1], ['m2', 'corrective', 0.5],
    ]);
    expect(first.prefixValues).toEqual([0.5, 0.75, 0, 1]);
    expect(first.recoverable).toEqual([true, false]);
  });

  it('sends the API key and custom header after a CORS preflight, and retries the 429 it was given', () => {
    expect(firstPreflights).toBeGreaterThan(0);
    // 8 judgements, the first asked twice (429 with Retry-After: 0, then answered).
    expect(firstRequests.map((request) => request.status)).toEqual([429, ...Array(8).fill(200)]);
    for (const request of firstRequests) expect(request.headers).toMatchObject({ authorization: 'Bearer sk-browser', 'x-run': '1', origin: site.origin });
    expect(first.usage).toMatchObject({ calls: 9, cacheHits: 0 });
    expect(first.usage.promptTokens).toBeGreaterThan(0);
  });

  it('a failing judgement in the page is a JudgeError naming the episode and judgement', () => {
    expect(first.refused).toMatch(/^true: judge: value of episode "browser": HTTP 404: Unknown request URL: POST \/nowhere\/chat\/completions \(POST http:\/\/127\.0\.0\.1:\d+\/nowhere\/chat\/completions: is http:\/\/127\.0\.0\.1:\d+\/nowhere the API root, usually ending in \/v1\?\)$/);
  });

  it('after a reload, every reply comes from IndexedDB: no request reaches the server', () => {
    expect(second.value).toBe(first.value);
    expect(second.coalitions).toEqual(first.coalitions);
    expect(second.labels).toEqual(first.labels);
    expect(second.prefixValues).toEqual(first.prefixValues);
    expect(second.recoverable).toEqual(first.recoverable);
    expect(second.usage).toMatchObject({ calls: 0, cacheHits: 8 });
    expect(callsSecond).toBe(0);
  });

  it('meets no other problem on the way: only the 429 and the 404s the test asked for', () => {
    // Chromium logs each failed response as a console error too (and the page's missing favicon).
    const responses = problems.filter((problem) => !problem.startsWith('console error: Failed to load resource: the server responded with a status of'));
    expect(responses).toEqual([`HTTP 429: ${server.baseURL}/chat/completions`, ...Array(2).fill(`HTTP 404: ${server.origin}/nowhere/chat/completions`)]);
  });
});
