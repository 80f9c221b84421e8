// The installed package without a bundler: a page that loads it with
// <script type="module"> and an import map, served straight from the app's
// directory (node_modules included), in headless Chromium.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectCorrectReport, openWebApp, reportOfBuiltApp, type WebAppSession } from './support/web-app.js';

let session: WebAppSession;
beforeAll(async () => {
  session = await openWebApp();
});
afterAll(() => session?.close());

describe('plain <script type=module> consumer', () => {
  it('computes Shapley on the main thread and on the worker pool with only an import map', async () => {
    expectCorrectReport(await reportOfBuiltApp(session.browser, session.app.dir, {}, 'plain.html'), { ownWorker: false });
  });
});
