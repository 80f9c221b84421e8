// The installed package in a Vite app: `vite build` served statically, and
// the dev server (Vite 8 as is; Vite 6 with the README's optimizeDeps line),
// opened in headless Chromium; Shapley values computed in a worker.
import { join } from 'node:path';
import { build, createLogger, createServer } from 'vite';
import { createServer as createServerVite6 } from 'vite-6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCorrectReport, openWebApp, reportOfBuiltApp, reportOfPage, type WebAppSession } from './support/web-app.js';

let session: WebAppSession;
const warnings: string[] = [];
beforeAll(async () => {
  session = await openWebApp();
  const logger = createLogger('warn');
  logger.warn = (message) => warnings.push(message);
  logger.warnOnce = (message) => warnings.push(message);
  await build({ root: session.app.dir, configFile: false, logLevel: 'warn', customLogger: logger, build: { outDir: 'dist' } });
});
afterAll(() => session?.close());

/** A strict Content-Security-Policy with what the README says the library needs ('wasm-unsafe-eval', worker-src 'self'). */
const STRICT_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

/** Serves the app with a dev server on 127.0.0.1 and reports its page. */
async function reportOfDevServer(start: typeof createServer, config: object = {}) {
  const server = await start({ root: session.app.dir, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0 }, ...config });
  try {
    await server.listen();
    return await reportOfPage(session.browser, server.resolvedUrls!.local[0]);
  } finally {
    await server.close();
  }
}

describe('Vite consumer', () => {
  it('builds without warnings and computes Shapley in a worker in Chromium', async () => {
    expect(warnings).toEqual([]);
    expectCorrectReport(await reportOfBuiltApp(session.browser, join(session.app.dir, 'dist')));
  });

  it('works under the strict Content-Security-Policy of the README', async () => {
    expectCorrectReport(await reportOfBuiltApp(session.browser, join(session.app.dir, 'dist'), { 'content-security-policy': STRICT_CSP }));
  });

  it("needs 'wasm-unsafe-eval': without it the page reports the CSP error", async () => {
    const withoutWasm = STRICT_CSP.replace(" 'wasm-unsafe-eval'", '');
    const report = await reportOfBuiltApp(session.browser, join(session.app.dir, 'dist'), { 'content-security-policy': withoutWasm });
    expect(report.result).toBeNull();
    expect(report.error).toMatch(/CompileError: WebAssembly\.compile\(\).*Content Security/);
  });

  it('works on the Vite 8 dev server without configuration', async () => {
    expectCorrectReport(await reportOfDevServer(createServer));
  });

  it("works on the Vite 6 dev server with the README's optimizeDeps line", async () => {
    const config = { optimizeDeps: { exclude: ['agent-credit'] } };
    expectCorrectReport(await reportOfDevServer(createServerVite6 as unknown as typeof createServer, config));
  });
});
