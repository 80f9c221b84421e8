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
const warnings: string[] = [];
beforeAll(async () => {
  [app, browser] = await Promise.all([installFixture('web-app'), launchChromium()]);
  const logger = createLogger('warn');
  logger.warn = (message) => warnings.push(message);
  logger.warnOnce = (message) => warnings.push(message);
  await build({ root: app.dir, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: 'dist' } });
});
afterAll(async () => {
  await browser?.close();
  app?.remove();
});

/** A strict Content-Security-Policy with what the README says the library needs ('wasm-unsafe-eval', worker-src 'self'). */
const STRICT_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

describe('Vite consumer', () => {
  it('builds without warnings and computes Shapley in a worker in Chromium', async () => {
    expect(warnings).toEqual([]);
    expectCorrectReport(await reportOfBuiltApp(browser, join(app.dir, 'dist')));
  });

  it('works under the strict Content-Security-Policy of the README', async () => {
    expectCorrectReport(await reportOfBuiltApp(browser, join(app.dir, 'dist'), { 'content-security-policy': STRICT_CSP }));
  });

  it("needs 'wasm-unsafe-eval': without it the page reports the CSP error", async () => {
    const withoutWasm = STRICT_CSP.replace(" 'wasm-unsafe-eval'", '');
    const report = await reportOfBuiltApp(browser, join(app.dir, 'dist'), { 'content-security-policy': withoutWasm });
    expect(report.result).toBeNull();
    expect(report.error).toMatch(/CompileError: WebAssembly\.compile\(\).*Content Security/);
  });
});
