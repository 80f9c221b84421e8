// The demo under a 10,000-episode file, in Debian's Chromium (CPU throttling
// off): the longest main-thread task PerformanceObserver records from load
// to done, beside the same page loading one episode (the baseline, measured
// in the same run). Target: no long task over 50 ms. Also the sizes of
// agent-credit/ui and of the script every --report file inlines.
import { readFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { bundledSize } from './lib/size.js';
import { fixed, table, verdict } from './lib/measure.js';

const root = new URL('../../', import.meta.url).pathname;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

function serve(directory) {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
    try {
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(await readFile(join(directory, path)));
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/index.html`, close: () => new Promise((done) => server.close(done)) })));
}

/** Loads `file` in the demo and returns the long tasks (ms) recorded until the run is done. */
async function longTasks(browser, url, file) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  const started = Date.now();
  await page.getByTestId('file-input').setInputFiles(file);
  await page.waitForFunction(() => document.getElementById('run-status').dataset.runs !== '0', null, { timeout: 600_000 });
  const seconds = (Date.now() - started) / 1000;
  const status = await page.getByTestId('run-status').textContent();
  const tasks = await page.evaluate(() => window.longTasks);
  await page.close();
  return { status, seconds, tasks };
}

export async function run() {
  await build({ configFile: join(root, 'demo', 'vite.config.ts'), logLevel: 'warn' });
  const server = await serve(join(root, 'demo', 'dist'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'agent-credit-ui-bench-'));
  try {
    const base = JSON.parse(readFileSync(join(root, 'examples', 'episodes', '03-book-flights.json'), 'utf8'));
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify(base));
    const many = join(dir, 'ten-thousand.jsonl');
    writeFileSync(many, Array.from({ length: 10_000 }, (_, k) => JSON.stringify({ ...base, id: `run-${k}` })).join('\n'));
    // Hostile size: the same episode with one message of 1 MB (drawn folded, unfolded in bounded chunks).
    const huge = join(dir, 'one-megabyte-message.json');
    writeFileSync(huge, JSON.stringify({ ...base, messages: base.messages.map((message, k) => (k === 0 ? { ...message, content: 'a'.repeat(1_000_000) } : message)) }));
    const baseline = await longTasks(browser, server.url, one);
    const dataset = await longTasks(browser, server.url, many);
    const megabyte = await longTasks(browser, server.url, huge);
    const largest = (tasks) => Math.max(0, ...tasks);
    console.log('#### Demo responsiveness: 10,000 episodes, a 1 MB message (Chromium, CPU throttling off)\n');
    console.log(table(
      ['input', 'status', 'load to done (s)', 'long tasks', 'largest long task (ms)', 'load to done vs one episode'],
      [
        ['1 episode (baseline)', baseline.status, fixed(baseline.seconds, 2), String(baseline.tasks.length), fixed(largest(baseline.tasks), 0), '1.0x'],
        ['10,000 episodes', dataset.status, fixed(dataset.seconds, 2), String(dataset.tasks.length), fixed(largest(dataset.tasks), 0), `${fixed(dataset.seconds / baseline.seconds, 1)}x`],
        ['1 episode, one message of 1 MB', megabyte.status, fixed(megabyte.seconds, 2), String(megabyte.tasks.length), fixed(largest(megabyte.tasks), 0), `${fixed(megabyte.seconds / baseline.seconds, 1)}x`],
      ],
    ));
    console.log(`\nNo long task over 50 ms from load to done (10,000 episodes): ${verdict(largest(dataset.tasks) <= 50)}`);
    console.log(`No long task over 50 ms from load to done (a 1 MB message): ${verdict(largest(megabyte.tasks) <= 50)}\n`);
    const ui = await bundledSize({ file: './dist/ui.js', platform: 'browser' });
    const report = readFileSync(join(root, 'dist', 'ui', 'report-page.js'));
    console.log('#### agent-credit/ui sizes (kB = 1000 bytes)\n');
    console.log(table(['what', 'minified', 'minified + gzip'], [
      ['agent-credit/ui (six elements)', fixed(ui.minified / 1000), fixed(ui.gzip / 1000)],
      ['--report page script (inlined in every report)', fixed(report.length / 1000), fixed(gzipSync(report).length / 1000)],
    ]));
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
