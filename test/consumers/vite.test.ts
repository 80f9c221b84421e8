// The installed package in a Vite app: `vite build`, served statically,
// opened in headless Chromium; Shapley values computed in a worker.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build, createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { installFixture, type Fixture } from './support/fixture.js';
import { expectCorrectReport, reportOfBuiltApp } from './support/web-app.js';

let app: Fixture;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([installFixture('web-app'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  app?.remove();
});

describe('Vite consumer', () => {
  it('builds without warnings and computes Shapley in a worker in Chromium', async () => {
    const warnings: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (message) => warnings.push(message);
    logger.warnOnce = (message) => warnings.push(message);
    await build({ root: app.dir, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: 'dist' } });
    expect(warnings).toEqual([]);
    expectCorrectReport(await reportOfBuiltApp(browser, join(app.dir, 'dist')));
  });
});
