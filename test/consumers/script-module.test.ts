// The installed package without a bundler: a page that loads it with
// <script type="module"> and an import map, served straight from the app's
// directory (node_modules included), in headless Chromium.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
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

describe('plain <script type=module> consumer', () => {
  it('computes Shapley on the main thread and on the worker pool with only an import map', async () => {
    expectCorrectReport(await reportOfBuiltApp(browser, app.dir, {}, 'plain.html'), { ownWorker: false });
  });
});
