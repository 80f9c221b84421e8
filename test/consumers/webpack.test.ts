// The installed package in a webpack 5 app: production build, served
// statically, opened in headless Chromium; Shapley values computed in a worker.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpack, { type Stats } from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCorrectReport, openWebApp, reportOfBuiltApp, type WebAppSession } from './support/web-app.js';

let session: WebAppSession;
beforeAll(async () => {
  session = await openWebApp();
});
afterAll(() => session?.close());

/** A plain webpack 5 production build with no loaders or plugins: what the README promises works. */
function bundle(dir: string): Promise<Stats> {
  const compiler = webpack({
    mode: 'production',
    context: dir,
    entry: './src/main.js',
    output: { path: join(dir, 'dist'), filename: 'main.js' },
    performance: { hints: false },
    devtool: false,
  });
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => (error || !stats ? reject(error) : resolve(stats)));
    });
  });
}

describe('webpack 5 consumer', () => {
  it('builds without warnings and computes Shapley in a worker in Chromium', async () => {
    const stats = await bundle(session.app.dir);
    const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
    expect(errors?.map((entry) => entry.message)).toEqual([]);
    expect(warnings?.map((entry) => entry.message)).toEqual([]);
    const html = readFileSync(join(session.app.dir, 'index.html'), 'utf8').replace('./src/main.js', './main.js');
    writeFileSync(join(session.app.dir, 'dist/index.html'), html);
    expectCorrectReport(await reportOfBuiltApp(session.browser, join(session.app.dir, 'dist')));
  });
});
