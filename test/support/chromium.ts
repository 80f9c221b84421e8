// The system's headless Chromium driven by playwright-core (never a downloaded browser),
// found as `npm test` finds it: $CHROMIUM_PATH, else chromium, chromium-browser or google-chrome on $PATH.
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium, MISSING_CHROMIUM } from '../../scripts/find-chromium.mjs';

// Looked up when a browser test file loads: without a browser the file fails with the line saying what
// to install, instead of its tests being reported as skipped (as a failing beforeAll would leave them).
const executablePath = findChromium();
if (!executablePath) throw new Error(MISSING_CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught errors, failed requests and requests that left the local origin. */
  problems: string[];
}

/**
 * Opens `url` in a fresh context and records everything that went wrong on
 * the way; requests may go to the page's origin and to `otherOrigins`.
 */
export async function openWatched(browser: Browser, url: string, otherOrigins: string[] = []): Promise<WatchedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  const origin = new URL(url).origin;
  const allowed = [origin, ...otherOrigins];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  context.on('request', (request) => {
    const target = request.url();
    if (!allowed.some((prefix) => target.startsWith(prefix)) && !target.startsWith('blob:') && !target.startsWith('data:')) problems.push(`request left ${allowed.join(' and ')}: ${target}`);
  });
  await page.goto(url);
  return { page, problems };
}
