// `agent-credit attribute --report`: the HTML file opens from file:// in
// Debian's Chromium with no network request, no console error and no CSP
// violation, and shows the numbers of the signals file the same run wrote.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signals } from '../src/episodes.js';
import { axeViolations } from './support/axe.js';
import { launchChromium } from './support/chromium.js';
import { cli, root } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-credit-report-'));
const screenshots = join(root, 'test-results');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const signalsIn = (file: string): Signals[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

async function attributeWithReport(name: string, ...args: string[]): Promise<{ report: string; signals: Signals[]; stderr: string }> {
  const report = join(dir, `${name}.html`);
  const out = join(dir, `${name}.signals.jsonl`);
  const run = await cli('attribute', ...args, '-o', out, '--report', report, '--workers', '0');
  expect(run.code, run.stderr).toBe(0);
  return { report, signals: signalsIn(out), stderr: run.stderr };
}

/** Opens the report from disk; records every request that is not the file itself, console errors, page errors and CSP violations. */
async function openReport(file: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  context.on('request', (request) => {
    if (request.url() !== url) problems.push(`request: ${request.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(url);
  await page.waitForSelector('[data-testid=report-episode]');
  return { page, problems };
}

async function shownCredits(page: Page): Promise<Record<string, number>> {
  const rows = await page.locator('[data-testid=report-episode] ac-credit-bars [data-testid=agent-credit-row]').evaluateAll((all) =>
    all.map((row) => [row.getAttribute('data-agent')!, Number(row.getAttribute('data-value'))] as const),
  );
  return Object.fromEntries(rows);
}

describe('attribute --report', () => {
  it('writes a file that opens from disk with no request, and shows the signals file’s numbers for every episode', async () => {
    const { report, signals } = await attributeWithReport('episodes', join(root, 'examples', 'episodes'));
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval|\son[a-z]+=|<script[^>]+src=|<link /);
    const { page, problems } = await openReport(report);
    expect(await page.getByTestId('dataset-episodes').textContent()).toBe(String(signals.length));
    const successes = signals.filter((s) => s.success).length;
    expect(await page.getByTestId('dataset-successes').textContent()).toBe(`${successes} (${((successes / signals.length) * 100).toFixed(1)}%)`);
    // Mean credit per agent across the episodes, as the signals file gives it.
    const byAgent = new Map<string, number[]>();
    for (const s of signals) for (const a of s.agents) if (a.credit !== null) byAgent.set(a.agent, [...(byAgent.get(a.agent) ?? []), a.credit]);
    const means = await page.getByTestId('dataset-agent').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-agent')!, Number(row.getAttribute('data-mean'))] as const));
    expect(means.length).toBe(byAgent.size);
    for (const [agent, mean] of means) {
      const credits = byAgent.get(agent)!;
      expect(mean, agent).toBeCloseTo(credits.reduce((a, b) => a + b, 0) / credits.length, 12);
    }
    const firstErrors = await page.getByTestId('errors-by-agent').evaluateAll((rows) => rows.map((row) => [row.querySelector('th')!.textContent, Number(row.querySelector('td')!.textContent)]));
    const expectedErrors = new Map<string, number>();
    for (const s of signals) if (s.firstError) expectedErrors.set(s.firstError.agent, (expectedErrors.get(s.firstError.agent) ?? 0) + 1);
    expect(Object.fromEntries(firstErrors)).toEqual(Object.fromEntries(expectedErrors));

    for (const expected of signals) {
      await page.locator(`[data-testid=episode-list] button[data-id="${expected.id}"]`).click();
      await expect.poll(() => page.locator('[data-testid=report-episode]').getAttribute('data-id')).toBe(expected.id);
      await page.locator('[data-testid=report-episode] ac-transcript [data-testid=message-row]').first().waitFor();
      if (expected.agents.every((a) => a.credit !== null)) {
        expect(await shownCredits(page), expected.id).toEqual(Object.fromEntries(expected.agents.map((a) => [a.agent, a.credit])));
        const end = page.locator('[data-testid=report-episode] ac-credit-waterfall [data-testid=waterfall-end]');
        const team = expected.agents.reduce((sum, a) => sum + a.credit!, Number(await page.locator('[data-testid=report-episode] ac-credit-waterfall [data-testid=waterfall-start]').getAttribute('data-to')));
        expect(Number(await end.getAttribute('data-to'))).toBeCloseTo(team, 12);
      }
      const rewards = await page.locator('[data-testid=report-episode] ac-transcript [data-testid=message-row]').evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-id'), Number(row.getAttribute('data-reward'))]),
      );
      expect(rewards, expected.id).toEqual(expected.messages.map((m) => [m.id, m.reward]));
      const marked = await page.locator('[data-testid=report-episode] ac-transcript [data-testid=message-row]:has([data-testid=first-error])').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
      expect(marked, expected.id).toEqual(expected.firstError ? [expected.firstError.id] : []);
    }
    // Search and the outcome filter narrow the list.
    await page.locator('#episode-outcome').selectOption('failure');
    expect(await page.locator('[data-testid=episode-list] li').count()).toBe(signals.filter((s) => !s.success).length);
    await page.locator('#episode-outcome').selectOption('all');
    await page.locator('#episode-search').fill(signals[1].id);
    expect(await page.locator('[data-testid=episode-list] button').allTextContents()).toContain(signals[1].id);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('lists the records it skipped, keeps the rest, and carries hostile text as text', async () => {
    const good = JSON.parse(readFileSync(join(root, 'examples', 'episodes', '03-book-flights.json'), 'utf8'));
    const hostile = { ...good, id: '<img src=x onerror="document.title=1">', task: 'user\u202Egnp.exe <script>document.title=2</script>' };
    const input = join(dir, 'mixed.jsonl');
    writeFileSync(input, [JSON.stringify(good), '{"id": "broken", ', JSON.stringify(hostile)].join('\n') + '\n');
    const { report, signals } = await attributeWithReport('mixed', input, '--skip-invalid');
    expect(signals.length).toBe(2);
    const { page, problems } = await openReport(report);
    expect(await page.getByTestId('report-problem').allTextContents()).toEqual([expect.stringMatching(/line 2.*not valid JSON/)]);
    await page.locator(`[data-testid=episode-list] button[data-id="${hostile.id.replace(/"/g, '\\"')}"]`).click();
    await expect.poll(() => page.locator('[data-testid=report-episode]').getAttribute('data-id')).toBe(hostile.id);
    expect(await page.title()).toBe('agent-credit report: 2 episodes');
    expect(await page.locator('img, main script').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  for (const width of [1280, 375]) {
    it(`passes axe-core with no violation and fits ${width} px`, async () => {
      const { report } = await attributeWithReport(`whowhen-${width}`, join(root, 'examples', 'whowhen'), '--from', 'whowhen');
      const { page, problems } = await openReport(report, width);
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      await page.screenshot({ path: join(screenshots, `report-${width}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }
});
