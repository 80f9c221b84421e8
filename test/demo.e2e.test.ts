// End-to-end tests of the demo page: build it with Vite, serve demo/dist from
// a local static server, and drive Debian's Chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactions, shapley } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'demo', 'dist');
const screenshotDir = join(root, 'test-results');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A plain static file server over demo/dist, as any user's would be. */
function serve(directory: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(directory, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(directory)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

let browser: Browser;
let server: Server;
let origin: string;

beforeAll(async () => {
  await build({ configFile: join(root, 'demo', 'vite.config.ts'), logLevel: 'warn' });
  ({ server, origin } = await serve(dist));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface Watched {
  page: Page;
  /** Console errors, uncaught page errors, dialogs and requests that left the local server. */
  problems: string[];
}

async function openDemo(viewport = { width: 1280, height: 900 }): Promise<Watched> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto(`${origin}/index.html`);
  return { page, problems };
}

/** Does `action`, then waits for the run it starts to finish; returns the final status text. */
async function runAndWait(page: Page, action: () => Promise<unknown>): Promise<string> {
  const status = page.getByTestId('run-status');
  const before = Number(await status.getAttribute('data-runs'));
  await action();
  await expect.poll(async () => Number(await status.getAttribute('data-runs')), { timeout: 60_000 }).toBeGreaterThan(before);
  return (await status.textContent()) ?? '';
}

async function shownCredits(page: Page): Promise<Record<string, number>> {
  const rows = page.getByTestId('agent-credit-row');
  const credits: Record<string, number> = {};
  for (const row of await rows.all()) {
    credits[(await row.getAttribute('data-agent'))!] = Number(await row.getAttribute('data-value'));
  }
  return credits;
}

function asRecord(players: string[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(players.map((player, i) => [player, values[i]]));
}

describe('demo sources', () => {
  it('type-check (Vite strips types without checking them)', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', join(root, 'demo', 'tsconfig.json')], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('demo page (built with Vite, served statically, in headless Chromium)', () => {
  it('picking a bundled example shows the library’s credits for it', async () => {
    const { page, problems } = await openDemo();
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption('examples/three-agents.json'))).toBe('done');
    const game = JSON.parse(readFileSync(join(root, 'examples', 'three-agents.json'), 'utf8'));
    const expected = await shapley(game);
    expect(await shownCredits(page)).toEqual(asRecord(expected.players, expected.values));
    const pairs = await interactions(game);
    await expect.poll(() => page.locator('.heatmap tbody td:not(.diagonal)').count()).toBe(pairs.players.length * (pairs.players.length - 1));
    expect(problems).toEqual([]);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'demo.png'), fullPage: true });
    await page.context().close();
  });

  it('loads a file through the file input and shows sampled credits with whiskers', async () => {
    const { page, problems } = await openDemo();
    const players = ['alpha', 'beta', 'gamma', 'delta'];
    const values = Array.from({ length: 16 }, (_, mask) => (mask & 1) * 0.4 + ((mask >> 1) & 1) * 0.3 + (mask === 15 ? 0.5 : 0) + ((mask >> 2) & 1) * 0.1);
    await page.locator('#method-select').selectOption('permutation');
    await page.locator('#budget-input').fill('5000');
    await page.locator('#seed-input').fill('3');
    const loaded = runAndWait(page, () =>
      page.getByTestId('file-input').setInputFiles({
        name: 'four.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ players, values }, null, 2)),
      }),
    );
    expect(await loaded).toBe('done');
    const expected = await shapley({ players, values }, { method: 'permutation', budget: 5000, seed: 3 });
    expect(await shownCredits(page)).toEqual(asRecord(players, expected.values));
    expect(await page.locator('#results .credit-chart .whisker').count()).toBe(players.length);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('reports a bad value inline with its line and field, and bad JSON with its line', async () => {
    const { page, problems } = await openDemo();
    const text = JSON.stringify({ players: ['a', 'b'], values: [0, 1, 'two', 3] }, null, 2);
    const loaded = runAndWait(page, () =>
      page.getByTestId('file-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) }),
    );
    expect(await loaded).toBe('error');
    const problem = page.getByTestId('input-problem');
    expect(await problem.getAttribute('data-field')).toBe('values[2]');
    expect(await problem.getAttribute('data-line')).toBe(String(text.split('\n').findIndex((line) => line.includes('"two"')) + 1));

    await page.locator('.paste summary').click();
    await page.locator('#paste-input').fill('{\n  "players": ["a"],\n  "values": [0, 1,]\n}');
    expect(await runAndWait(page, () => page.getByRole('button', { name: 'Run pasted input' }).click())).toBe('error');
    expect(await problem.getAttribute('data-line')).toBe('3');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('renders hostile names as text: no element is injected and no dialog fires', async () => {
    const { page, problems } = await openDemo();
    const hostile = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>'];
    const loaded = runAndWait(page, () =>
      page.getByTestId('file-input').setInputFiles({
        name: 'hostile.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ players: hostile, values: [0, 1, 2, 4] })),
      }),
    );
    expect(await loaded).toBe('done');
    expect(await page.locator('#results img, #results script').count()).toBe(0);
    expect(await page.locator('#results').textContent()).toContain(hostile[0]);
    expect(await page.locator('#results').textContent()).toContain(hostile[1]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('speed playground: exact and sampled timings for a built-in game, and Cancel stops a long run', async () => {
    const { page, problems } = await openDemo();
    const status = page.locator('#playground-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^done/);
    await page.locator('#playground-game').selectOption('airport');
    await expect.poll(() => page.locator('.timings caption').textContent(), { timeout: 60_000 }).toContain('airport game, n = 16');
    expect(await page.getByTestId('playground-exact-ms').textContent()).toMatch(/\d/);

    await page.locator('#playground-budget').selectOption('2000000');
    await page.locator('#playground-n').fill('24');
    await page.locator('#playground-n').dispatchEvent('change');
    await expect.poll(() => status.textContent()).toMatch(/^running/);
    await page.locator('#playground-cancel').click();
    expect(await status.textContent()).toBe('cancelled');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('is usable by keyboard and fits a 375 px wide screen', async () => {
    const { page, problems } = await openDemo({ width: 375, height: 800 });
    await page.getByTestId('example-picker').focus();
    expect(await runAndWait(page, () => page.keyboard.press('ArrowDown'))).toBe('done');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')].filter((control) => !(control as HTMLInputElement).labels?.length).map((c) => c.id),
    );
    expect(unlabelled).toEqual([]);
    expect(problems).toEqual([]);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'demo-375.png'), fullPage: true });
    await page.context().close();
  });
});
