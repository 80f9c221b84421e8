// End-to-end tests of the demo page: build it with Vite, serve demo/dist from
// a local static server, and drive Debian's Chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeEpisode, detectFormat, episodeFrom, FORMAT_LABELS, toDpo, type EpisodeError, type Signals } from '../src/episodes.js';
import { interactions, shapley } from '../src/index.js';
import { axeViolations } from './support/axe.js';
import { startJudgeServer } from './support/judge-server.js';
import { createJudge } from '../src/judge.js';
import { launchChromium } from './support/chromium.js';
import { serveDirectory, type StaticServer } from './support/static-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const screenshotDir = join(root, 'test-results');

let browser: Browser;
let server: StaticServer;
let origin: string;

beforeAll(async () => {
  await build({ configFile: join(root, 'demo', 'vite.config.ts'), logLevel: 'warn' });
  // Served one level up, so the page lives under a sub-path (/dist/): any
  // absolute asset URL would 404 and count as a problem.
  server = await serveDirectory(join(root, 'demo'));
  origin = server.origin;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Watched {
  page: Page;
  /** Console errors, uncaught page errors, failed responses, dialogs and requests that left the local server. */
  problems: string[];
}

async function openDemo(viewport = { width: 1280, height: 900 }, allowed: string[] = []): Promise<Watched> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:') || allowed.some((other) => url.startsWith(other))) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto(`${origin}/dist/index.html`);
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

interface ExampleFile {
  /** The picker's option value: the path inside the repository. */
  path: string;
  records: Record<string, unknown>[];
}

/** Every bundled example, parsed: a .jsonl file's lines, a .json file's record (or array of records). */
function bundledExamples(directory = join(root, 'examples'), prefix = 'examples'): ExampleFile[] {
  const files: ExampleFile[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...bundledExamples(join(directory, entry.name), path));
    else if (entry.name.endsWith('.jsonl')) {
      const text = readFileSync(join(directory, entry.name), 'utf8');
      files.push({ path, records: text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)) });
    } else if (entry.name.endsWith('.json')) {
      const value = JSON.parse(readFileSync(join(directory, entry.name), 'utf8'));
      files.push({ path, records: Array.isArray(value) && value.every((item) => Array.isArray(item?.messages)) ? value : [value] });
    }
  }
  return files;
}

const examples = bundledExamples();
const isEpisode = (record: Record<string, unknown>) => Array.isArray(record.messages) && Array.isArray(record.agents);
const episodeExamples = examples.filter((file) => file.records.every(isEpisode));
const whoWhenExamples = examples.filter((file) => file.records.length === 1 && 'mistake_step' in file.records[0]);

async function signalsOf(record: Record<string, unknown>): Promise<Signals> {
  return attributeEpisode(episodeFrom('episode', record));
}

/** A failed episode with a repair, a corrective attempt, coalitions, and hostile content. */
function hostileEpisode(): Record<string, unknown> {
  const agents = ['planner', 'coder', 'critic'];
  const values = [0, 0.1, 0.2, 0.6, 0, 0.15, 0.3, 0.4];
  return {
    id: 'hostile-1',
    task: 'Return the median of a list. <b>bold?</b>',
    agents,
    messages: [
      { id: 'm1', agent: 'planner', content: 'Sort, then take the middle.', label: 'helpful' },
      { id: 'm2', agent: 'coder', content: 'return sorted(xs)[len(xs)//2] <img src=x onerror=alert(1)>', label: 'error' },
      { id: 'm3', agent: 'critic', content: 'Fine. <script>alert(2)</script>', label: 'redundant' },
      { id: 'm4', agent: 'planner', content: 'Even lengths need the mean of the two middle values.', label: 'corrective' },
    ],
    outcome: { score: 0.4, success: false },
    coalitions: values.map((value, mask) => ({ agents: agents.filter((_, i) => (mask >> i) & 1), value })),
    repairs: [{ message: 'm2', content: 'xs = sorted(xs); n = len(xs); return (xs[(n-1)//2] + xs[n//2]) / 2' }],
  };
}

describe('demo sources', () => {
  it('type-check (Vite strips types without checking them)', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', join(root, 'demo', 'tsconfig.json')], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('demo page (built with Vite, served statically, in headless Chromium)', () => {
  it('picking a bundled example shows the library’s credits and interactions for that episode', async () => {
    expect(episodeExamples.length).toBeGreaterThan(0);
    const { page, problems } = await openDemo();
    for (const example of episodeExamples) {
      expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path)), example.path).toBe('done');
      const signals = await signalsOf(example.records[0]);
      const expected = Object.fromEntries(signals.agents.filter((a) => a.credit !== null).map((a) => [a.agent, a.credit]));
      expect(await shownCredits(page), example.path).toEqual(expected);
      const rewards = await page.getByTestId('message-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-reward'))));
      expect(rewards, example.path).toEqual(signals.messages.map((m) => m.reward));
      const n = signals.agents.length;
      if (signals.interactions) {
        expect(await page.locator('.heatmap tbody td:not(.diagonal)').count(), example.path).toBe(n * (n - 1));
      }
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('marks the first error of each Who&When sample on its mistake_step', async () => {
    expect(whoWhenExamples.length).toBeGreaterThanOrEqual(3);
    const { page, problems } = await openDemo();
    for (const example of whoWhenExamples) {
      expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path)), example.path).toBe('done');
      const record = example.records[0];
      const episode = episodeFrom('whowhen', record, {}, { id: example.path });
      const step = Number(record.mistake_step);
      expect(await page.getByTestId('first-error').count(), example.path).toBe(1);
      const marked = page.locator('[data-testid=message-row]:has([data-testid=first-error])');
      expect(await marked.getAttribute('data-id'), example.path).toBe(episode.messages[step].id);
      const rows = await page.getByTestId('message-row').evaluateAll((all) => all.map((row) => row.getAttribute('data-id')));
      expect(rows.indexOf(episode.messages[step].id), example.path).toBe(step);
      expect(await marked.locator('.agent').textContent(), example.path).toBe(record.mistake_agent);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('exports DPO: the downloaded rows are the library’s toDpo rows; every download equals the CLI’s output', async () => {
    const example = episodeExamples.find((file) => file.records.some((record) => Array.isArray(record.repairs) && record.repairs.length));
    expect(example, 'an example with a repair').toBeDefined();
    const { page, problems } = await openDemo();
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example!.path))).toBe('done');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-dpo').click()]);
    expect(download.suggestedFilename()).toMatch(/\.dpo\.jsonl$/);
    const text = readFileSync(await download.path(), 'utf8');
    const rows = text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
    const expected = [];
    // Rows name their file in `source` as the CLI does for a file input: by its name.
    const source = example!.path.replace(/^.*\//, '');
    for (const record of example!.records) expected.push(...toDpo(await signalsOf(record), { source }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(JSON.parse(JSON.stringify(expected)));
    // The page lists the same pairs, loaded from the worker when asked for.
    await page.getByTestId('show-preferences').click();
    await expect.poll(() => page.locator('.preference.dpo').count()).toBe(expected.length);
    for (const row of rows) expect(Object.keys(row)).toEqual(['prompt', 'chosen', 'rejected', 'agent', 'episode', 'message', 'source']);

    // Every download holds, byte for byte, what the CLI writes for the same file.
    for (const kind of ['signals', 'dpo', 'kto', 'prm', 'rewards']) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${kind}`).click()]);
      const cli = execFileSync(process.execPath, [join(root, 'dist', 'bin.js'), 'attribute', join(root, example!.path), '--format', kind, '--workers', '0'], { encoding: 'utf8' });
      expect(readFileSync(await file.path(), 'utf8'), kind).toBe(cli);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a second click on an export while the first is on its way neither cancels it nor empties later downloads', async () => {
    const { page, problems } = await openDemo();
    const base = episodeExamples.find((file) => file.path.includes('book-flights'))!.records[0];
    const lines = Array.from({ length: 300 }, (_, k) => JSON.stringify({ ...base, id: `run-${k}` }));
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'many.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) }))).toBe('done');
    const downloads: string[] = [];
    page.on('download', (download) => void download.path().then((path) => downloads.push(readFileSync(path, 'utf8'))));
    // Two clicks in one task: the second comes while the first export is pending.
    await page.getByTestId('export-signals').evaluate((button: HTMLButtonElement) => {
      button.click();
      button.click();
    });
    await expect.poll(() => downloads.length).toBe(1);
    await page.getByTestId('export-signals').click();
    await expect.poll(() => downloads.length).toBe(2);
    await page.waitForTimeout(200);
    expect(downloads.length).toBe(2);
    expect(downloads[0].split('\n').filter(Boolean).length).toBe(300);
    expect(downloads[1]).toBe(downloads[0]);
    expect(await page.getByTestId('export-status').textContent()).toBe('');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('loads an episode through the file input and shows hostile content as text, with no dialog', async () => {
    const { page, problems } = await openDemo();
    const episode = hostileEpisode();
    const loaded = runAndWait(page, () =>
      page.getByTestId('file-input').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(episode, null, 2)) }),
    );
    expect(await loaded).toBe('done');
    const signals = await signalsOf(episode);
    const rows = page.getByTestId('message-row');
    expect(await rows.evaluateAll((all) => all.map((row) => [row.getAttribute('data-id'), Number(row.getAttribute('data-reward'))]))).toEqual(
      signals.messages.map((m) => [m.id, m.reward]),
    );
    expect(await shownCredits(page)).toEqual(Object.fromEntries(signals.agents.map((a) => [a.agent, a.credit])));
    expect(await page.locator('[data-testid=message-row]:has([data-testid=first-error])').getAttribute('data-id')).toBe('m2');
    expect(await page.locator('.message.corrective').getAttribute('data-id')).toBe('m4');
    expect(await page.locator('.message.first-error .repair').textContent()).toContain('(xs[(n-1)//2] + xs[n//2]) / 2');
    expect(await page.locator('#results img, #results script, #results b').count()).toBe(0);
    // The charts draw in shadow roots: their text is read through them.
    const text = await page.locator('#results').evaluate((root) => {
      const read = (node: Node): string =>
        [...node.childNodes].map((child) => (child.nodeType === Node.TEXT_NODE ? child.textContent : read(child))).join('') +
        ((node as Element).shadowRoot ? read((node as Element).shadowRoot!) : '');
      return read(root);
    });
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('<script>alert(2)</script>');
    expect(text).toContain('<b>bold?</b>');
    await page.waitForTimeout(100);
    expect(problems).toEqual([]);
    mkdirSync(screenshotDir, { recursive: true });
    await page.locator('#results').screenshot({ path: join(screenshotDir, 'demo.png') });
    await page.screenshot({ path: join(screenshotDir, 'demo-page.png'), fullPage: true });
    await page.context().close();
  });

  it('isolates right-to-left overrides in the file name and agent names wherever the page writes them', async () => {
    const { page, problems } = await openDemo();
    const text = JSON.stringify(hostileEpisode()).replaceAll('"planner"', '"\\u202Eplanner"');
    const name = 'evil\u202Egnp.json';
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) }))).toBe('done');
    await page.getByTestId('show-preferences').click();
    await expect.poll(() => page.locator('.preference').count()).toBeGreaterThan(0);
    const outside = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const found: string[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!;
        // A message's whole text is a paragraph of its own: the block ends any override in it.
        if (!node.textContent!.includes('\u202E') || parent.closest('textarea, option, pre') || (parent.matches('p.content') && parent.childNodes.length === 1)) continue;
        // Isolated: the text is the whole content of a <bdi>.
        if (parent.tagName !== 'BDI' || parent.childNodes.length !== 1) found.push(`${parent.className || parent.tagName}: ${node.textContent}`);
      }
      return found;
    });
    expect(outside).toEqual([]);
    expect(await page.locator('#run-detail bdi').textContent()).toBe(name);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('names downloads without the bidi controls of the input’s file name: no .exe.jsonl spoof in a save dialog or tooltip', async () => {
    const { page, problems } = await openDemo();
    const name = 'evil\u202Elnosj.exe\u2066.json';
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostileEpisode())) }))).toBe('done');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-signals').click()]);
    expect(download.suggestedFilename()).toBe('evillnosj.exe.signals.jsonl');
    expect(await page.getByTestId('export-signals').getAttribute('title')).toBe('evillnosj.exe.signals.jsonl: 1 row');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('runs a file dropped on the page', async () => {
    const { page, problems } = await openDemo();
    const episode = { ...hostileEpisode(), id: 'dropped' };
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      return transfer;
    }, JSON.stringify(episode));
    const dropped = runAndWait(page, async () => {
      await page.locator('#drop-zone').dispatchEvent('dragenter', { dataTransfer });
      expect(await page.locator('#drop-zone.dragging').count()).toBe(1);
      await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer });
    });
    expect(await dropped).toBe('done');
    expect(await page.locator('.episode-id').textContent()).toBe('dropped');
    expect(await page.locator('#drop-zone.dragging').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('reads every transcript format the CLI reads, detected automatically (the adapters’ real samples)', async () => {
    const fixtures = join(root, 'test', 'fixtures');
    const { page, problems } = await openDemo();
    for (const name of readdirSync(fixtures).filter((file) => file.endsWith('.json'))) {
      const text = readFileSync(join(fixtures, name), 'utf8');
      const status = await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) }));
      let episode;
      try {
        episode = episodeFrom('auto', JSON.parse(text), {}, { id: name });
      } catch (error) {
        // A transcript without its evaluation: the page reports the same field.
        expect(status, name).toBe('error');
        expect(await page.getByTestId('input-problem').first().getAttribute('data-field'), name).toBe((error as EpisodeError).issues[0].path);
        continue;
      }
      expect(status, name).toBe('done');
      expect(await page.locator('.result-toolbar p').textContent(), name).toContain(`format ${FORMAT_LABELS[detectFormat(JSON.parse(text))!]}`);
      const agents = await page.locator('[data-testid=message-row] .agent').allTextContents();
      expect(agents, name).toEqual(episode.messages.map((message) => message.agent));
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('reports invalid input inline with line and field: an episode field, a table value, broken JSON', async () => {
    const { page, problems } = await openDemo();
    const episode = hostileEpisode();
    (episode.messages as { agent: string }[])[2].agent = 'reviewer';
    const text = JSON.stringify(episode, null, 2);
    const loaded = runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'bad-episode.json', mimeType: 'application/json', buffer: Buffer.from(text) }));
    expect(await loaded).toBe('error');
    const problem = page.getByTestId('input-problem');
    expect(await problem.getAttribute('data-field')).toBe('messages[2].agent');
    expect(await problem.getAttribute('data-line')).toBe(String(text.split('\n').findIndex((line) => line.includes('"reviewer"')) + 1));
    expect(await problem.textContent()).toContain('reviewer');

    const table = JSON.stringify({ players: ['a', 'b'], values: [0, 1, 'two', 3] }, null, 2);
    const tableRun = runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(table) }));
    expect(await tableRun).toBe('error');
    expect(await problem.getAttribute('data-field')).toBe('values[2]');
    expect(await problem.getAttribute('data-line')).toBe(String(table.split('\n').findIndex((line) => line.includes('"two"')) + 1));

    const lines = [JSON.stringify(hostileEpisode()), '{"id": "cut-off", "agents": ["a"], "messages": [', JSON.stringify({ ...hostileEpisode(), id: 'third' })].join('\n');
    const jsonl = runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'three.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines) }));
    // A bad line is reported and the other lines are kept, as the CLI's --skip-invalid does.
    expect(await jsonl).toBe('done');
    expect(await problem.getAttribute('data-line')).toBe('2');
    expect(await problem.textContent()).toContain('not valid JSON');
    expect(await page.locator('[data-testid=episode-list] li').count()).toBe(2);

    await page.locator('.paste summary').click();
    await page.locator('#paste-input').fill('{\n  "players": ["a"],\n  "values": [0, 1,]\n}');
    expect(await runAndWait(page, () => page.getByRole('button', { name: 'Load pasted input' }).click())).toBe('error');
    expect(await problem.getAttribute('data-line')).toBe('3');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows sampled credits with whiskers for a value table when the method is sampled; an episode keeps its exact credit', async () => {
    const { page, problems } = await openDemo();
    const players = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    const values = Array.from({ length: 256 }, (_, mask) =>
      (mask & 1) * 0.4 + ((mask >> 1) & 1) * 0.3 + ((mask >> 2) & 1) * 0.1 + (mask === 255 ? 0.5 : 0) + ((mask * 7) % 5) * 0.05);
    await page.locator('#method-select').selectOption('permutation');
    // Below 2^8 coalitions, so the table is sampled (a budget of 2^n would give exact values).
    await page.locator('#budget-input').fill('255');
    await page.locator('#seed-input').fill('3');
    // Commit the field now, while nothing is loaded, so its change cannot start a second run later.
    await page.locator('#seed-input').blur();
    const loaded = runAndWait(page, () =>
      page.getByTestId('file-input').setInputFiles({ name: 'eight.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ players, values })) }),
    );
    expect(await loaded).toBe('done');
    const expected = await shapley({ players, values }, { method: 'permutation', budget: 255, seed: 3 });
    expect(Math.min(...expected.stderr!)).toBeGreaterThan(0);
    expect(await shownCredits(page)).toEqual(asRecord(players, expected.values));
    expect(await page.locator('#results .credit-chart .whisker').count()).toBe(players.length);
    const pairs = await interactions({ players, values });
    expect(await page.locator('.heatmap td[data-i="0"][data-j="1"]').getAttribute('data-value')).toBe(String(pairs.matrix[1]));

    // An episode's credit comes from its own coalition table: exact, whatever the method chosen for tables.
    const example = episodeExamples.find((file) => (file.records[0].agents as unknown[]).length >= 5)!;
    // A new budget reruns the loaded table once the field commits (on blur); wait for that
    // run, or its finish could be taken for the episode's. 20 evaluations are too few to
    // sample 8 players, so that run fails; the episode's credit below needs no budget.
    expect(await runAndWait(page, async () => {
      await page.locator('#budget-input').fill('20');
      await page.locator('#budget-input').blur();
    })).toBe('error');
    expect(await page.getByTestId('input-problem').first().textContent()).toContain('needs at least 30 evaluations');
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path))).toBe('done');
    const exact = await attributeEpisode(episodeFrom('episode', example.records[0]));
    expect(await shownCredits(page)).toEqual(Object.fromEntries(exact.agents.map((a) => [a.agent, a.credit])));
    expect(await page.locator('.episode-header .facts').first().textContent()).toContain('credit: exact');
    expect(await page.locator('#results .credit-chart .whisker').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows progress on a long multi-record run, and Cancel stops it', async () => {
    const { page, problems } = await openDemo();
    // Each record costs about as much as its table is large: a budget of 2^n or
    // more would enumerate the coalitions rather than sample, so the run is
    // long because the tables are (16 players, 120 records, about 18 MB).
    const players = Array.from({ length: 16 }, (_, i) => `agent${i}`);
    const line = JSON.stringify({ players, values: Array.from({ length: 2 ** 16 }, (_, mask) => mask.toString(2).split('1').length - 1) });
    await page.locator('#method-select').selectOption('permutation');
    await page.locator('#budget-input').fill(String(2 ** 16 - 1));
    await page.locator('#budget-input').blur();
    await page.getByTestId('file-input').setInputFiles({ name: 'long.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(Array(120).fill(line).join('\n')) });
    const progress = page.locator('#run-progress');
    // Cancel is pressed in the page the moment progress shows, so the run cannot finish in between.
    const seen = await page.evaluate(
      () =>
        new Promise<{ status: string; detail: string }>((resolve) => {
          const check = () => {
            if ((document.getElementById('run-progress') as HTMLProgressElement).value < 1) return requestAnimationFrame(check);
            const seenNow = { status: document.getElementById('run-status')!.textContent!, detail: document.getElementById('run-detail')!.textContent! };
            (document.getElementById('cancel-run') as HTMLButtonElement).click();
            resolve(seenNow);
          };
          check();
        }),
    );
    expect(seen.status).toBe('running');
    expect(seen.detail).toMatch(/of 120 records/);
    expect(await page.getByTestId('run-status').textContent()).toBe('cancelled');
    expect(await progress.isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('after Cancel, the episodes attributed so far still show their preference rows', async () => {
    const { page, problems } = await openDemo();
    const lines = Array.from({ length: 20_000 }, (_, k) => JSON.stringify({ ...hostileEpisode(), id: `run-${k}` }));
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, 'cancelled.jsonl');
    writeFileSync(file, lines.join('\n'));
    await page.getByTestId('file-input').setInputFiles(file);
    // Cancel as soon as the first episode is drawn, while the run goes on.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (!document.querySelector('[data-testid=show-preferences]')) return requestAnimationFrame(check);
            (document.getElementById('cancel-run') as HTMLButtonElement).click();
            resolve();
          };
          check();
        }),
    );
    expect(await page.getByTestId('run-status').textContent()).toBe('cancelled');
    await page.getByTestId('show-preferences').click();
    const expected = toDpo(await signalsOf({ ...hostileEpisode(), id: 'run-0' }), { source: 'cancelled.jsonl' }).length;
    expect(expected).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.preference.dpo').count()).toBe(expected);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('preference rows fold a long message and the raw row: what is drawn stays bounded until asked for', async () => {
    const { page, problems } = await openDemo();
    const long = 'x'.repeat(200_000);
    const episode = hostileEpisode();
    (episode.messages as Array<{ content: string }>)[1].content = `${long} end of the coder's message`;
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(episode)) }))).toBe('done');
    await page.getByTestId('show-preferences').click();
    await expect.poll(() => page.locator('.preference').count()).toBeGreaterThan(0);
    const drawn = await page.evaluate(() => [...document.querySelectorAll('.preference')].reduce((sum, card) => sum + (card.textContent ?? '').length, 0));
    // Each long text shows its first 1,000 characters: far below the 200,000 of the message in every card.
    expect(drawn).toBeLessThan(50_000);
    const more = page.locator('.preference .show-more').first();
    await more.click();
    expect(await more.textContent()).toMatch(/^Show 10,000 more characters \([\d,]+ hidden\)$/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('says it is reading a new input, with Cancel enabled, from the moment it is loaded', async () => {
    const { page, problems } = await openDemo();
    const example = episodeExamples[0];
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path))).toBe('done');
    const seen = await page.evaluate((text) => {
      const input = document.querySelector<HTMLInputElement>('[data-testid=file-input]')!;
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'next.json', { type: 'application/json' }));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change'));
      const seenNow = { status: document.getElementById('run-status')!.textContent, detail: document.getElementById('run-detail')!.textContent, cancel: (document.getElementById('cancel-run') as HTMLButtonElement).disabled };
      (document.getElementById('cancel-run') as HTMLButtonElement).click();
      return seenNow;
    }, JSON.stringify(hostileEpisode()));
    expect(seen).toEqual({ status: 'running', detail: 'Reading next.json…', cancel: false });
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('cancelled');
    expect(await page.locator('#cancel-run').isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('speed playground: exact and sampled timings for a built-in game, and Cancel stops a long run', async () => {
    const { page, problems } = await openDemo();
    const status = page.locator('#playground-status');
    // The playground has its own view and runs only when asked.
    expect(await page.locator('#playground').isHidden()).toBe(true);
    await page.locator('#view-playground').click();
    expect(await status.textContent()).toBe('idle');
    await page.locator('#playground-run').click();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^done/);
    await page.locator('#playground-game').selectOption('airport');
    await expect.poll(() => page.locator('.timings caption').textContent(), { timeout: 60_000 }).toContain('airport game, n = 16');
    expect(await page.getByTestId('playground-exact-ms').textContent()).toMatch(/\d/);
    expect(await page.locator('#playground-results .credit-row').count()).toBe(16);

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
    // Arrow keys only move through the closed picker; Enter loads the example.
    await page.getByTestId('example-picker').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('run-status').getAttribute('data-runs')).toBe('0');
    expect(await runAndWait(page, () => page.keyboard.press('Enter'))).toBe('done');
    const example = episodeExamples.find((file) => file.records.some((record) => Array.isArray(record.repairs) && record.repairs.length));
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example!.path))).toBe('done');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')].filter((control) => !(control as HTMLInputElement).labels?.length).map((c) => c.id),
    );
    expect(unlabelled).toEqual([]);
    await page.getByTestId('export-dpo').focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/\.dpo\.jsonl$/);
    expect(problems).toEqual([]);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'demo-375.png'), fullPage: true });
    await page.context().close();
  });

  it('on a narrow screen a changed field keeps the focus: ArrowUp on the seed reruns and steps it again', async () => {
    const { page, problems } = await openDemo({ width: 375, height: 800 });
    const example = episodeExamples[0];
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path))).toBe('done');
    const seed = page.locator('#seed-input');
    await seed.focus();
    expect(await runAndWait(page, async () => {
      await page.keyboard.press('ArrowUp');
      await seed.dispatchEvent('change');
    })).toBe('done');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('seed-input');
    await page.keyboard.press('ArrowUp');
    expect(await seed.inputValue()).toBe('2');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('"Use the judge" without a model: the run stops and says what is missing, in the settings, not the input', async () => {
    const { page, problems } = await openDemo();
    await page.locator('#judge-panel summary').click();
    await page.locator('#judge-url').fill('http://127.0.0.1:9/v1');
    await page.locator('#judge-use').check();
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(episodeExamples[0].path))).toBe('error');
    expect(await page.getByTestId('input-problem').first().textContent()).toContain('"Use the judge" is ticked but the model is empty');
    expect(await page.locator('.problems h3').textContent()).toBe('The settings have a problem');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('demo page: setup step, datasets, accessibility', () => {
  const plain = () => JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'openai-plain.json'), 'utf8'));

  it('sets up a transcript without its outcome: says what is missing, then runs with the outcome and the first error the user marks', async () => {
    const { page, problems } = await openDemo();
    const record = plain();
    const text = JSON.stringify(record);
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'plain.json', mimeType: 'application/json', buffer: Buffer.from(text) }))).toBe('error');
    expect(await page.getByTestId('input-problem').first().getAttribute('data-field')).toBe('outcome');
    await page.getByTestId('setup-outcome').selectOption('failure');
    // A failure without a first error: nothing to reward, and the page says so instead of offering zeros.
    expect(await runAndWait(page, () => page.getByTestId('run-button').click())).toBe('done');
    expect(await page.getByTestId('missing').isVisible()).toBe(true);
    expect(await page.getByTestId('export-signals').count()).toBe(0);
    // Mark a player's message as the first error.
    const episode = episodeFrom('auto', record, { file: 'plain.json' }, { id: 'plain.json', outcome: { success: false, score: 0 } });
    const marked = episode.messages.find((message) => episode.agents.includes(message.agent))!;
    await page.locator('.first-error-picker summary').click();
    await page.locator(`.mark-message[data-id="${marked.id}"]`).click();
    expect(await runAndWait(page, () => page.getByTestId('run-button').click())).toBe('done');
    marked.label = 'error';
    const signals = await attributeEpisode(episode);
    expect(await page.locator('[data-testid=message-row]:has([data-testid=first-error])').getAttribute('data-id')).toBe(marked.id);
    const rewards = await page.getByTestId('message-row').evaluateAll((rows) => rows.filter((row) => row.getAttribute('data-reward') !== '').map((row) => [row.getAttribute('data-id'), Number(row.getAttribute('data-reward'))]));
    expect(rewards).toEqual(signals.messages.map((m) => [m.id, m.reward]));
    expect(await page.getByTestId('export-rewards').isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('opens a plain text log (speaker lines in a .txt file) as a transcript to set up', async () => {
    const { page, problems } = await openDemo();
    const log = 'Task: Find the capital of France.\nplanner: Ask the researcher.\nresearcher: The capital is Lyon.\nwriter: Final answer: Lyon.\n';
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'run.txt', mimeType: 'text/plain', buffer: Buffer.from(log) }))).toBe('error');
    expect(await page.getByTestId('setup-format').textContent()).toBe('Read as plain text transcript.');
    expect(await page.getByTestId('input-problem').first().getAttribute('data-field')).toBe('outcome');
    await page.getByTestId('setup-outcome').selectOption('failure');
    const episode = episodeFrom('text', log, { file: 'run.txt' }, { id: 'run.txt', outcome: { success: false, score: 0 } });
    const marked = episode.messages.find((message) => message.agent === 'researcher')!;
    await page.locator('.first-error-picker summary').click();
    await page.locator(`.mark-message[data-id="${marked.id}"]`).click();
    expect(await runAndWait(page, () => page.getByTestId('run-button').click())).toBe('done');
    expect(await page.locator('[data-testid=message-row]:has([data-testid=first-error])').getAttribute('data-id')).toBe(marked.id);
    expect(await page.getByTestId('export-rewards').isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('connects a judge (URL, model, key in memory only) that finds the first error of a transcript without labels', async () => {
    const server = await startJudgeServer();
    try {
      const { page, problems } = await openDemo(undefined, [server.origin]);
      const record = {
        messages: [
          { role: 'user', content: 'Name the capital of France. Facts: Paris' },
          { role: 'assistant', name: 'researcher', content: 'Looking it up.' },
          { role: 'assistant', name: 'writer', content: 'WRONG: it is Lyon.' },
          { role: 'assistant', name: 'researcher', content: 'Sending the answer.' },
        ],
      };
      expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'judged.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(record)) }))).toBe('error');
      await page.getByTestId('setup-outcome').selectOption('failure');
      await page.locator('#judge-panel summary').click();
      await page.locator('#judge-url').fill(server.baseURL);
      await page.locator('#judge-model').fill('rules');
      await page.locator('#judge-key').fill('sk-test-in-memory');
      await page.locator('#judge-use').check();
      expect(await runAndWait(page, () => page.getByTestId('run-button').click())).toBe('done');
      expect(server.calls).toBeGreaterThan(0);
      expect(server.requests.every((request) => request.headers.authorization === 'Bearer sk-test-in-memory')).toBe(true);
      const episode = episodeFrom('auto', record, { file: 'judged.json' }, { id: 'judged.json', outcome: { success: false, score: 0 } });
      const signals = await attributeEpisode(episode, { judge: createJudge({ baseURL: server.baseURL, model: 'rules' }) });
      expect(signals.firstError).not.toBeNull();
      expect(await page.locator('[data-testid=message-row]:has([data-testid=first-error])').getAttribute('data-id')).toBe(signals.firstError!.id);
      const rewards = await page.getByTestId('message-row').evaluateAll((rows) => rows.filter((row) => row.getAttribute('data-reward') !== '').map((row) => [row.getAttribute('data-id'), Number(row.getAttribute('data-reward'))]));
      expect(rewards).toEqual(signals.messages.map((m) => [m.id, m.reward]));
      // The key is in no storage of the page.
      expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain('sk-test');
      expect(problems).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });

  it('a judge that refuses the key stops the run at the first record, said once under the settings', async () => {
    const server = await startJudgeServer();
    try {
      server.inject('unauthorized', { times: 1000 });
      const { page, problems } = await openDemo(undefined, [server.origin]);
      await page.locator('#judge-panel summary').click();
      await page.locator('#judge-url').fill(server.baseURL);
      await page.locator('#judge-model').fill('rules');
      await page.locator('#judge-key').fill('sk-wrong');
      await page.locator('#judge-use').check();
      const record = (k: number) => JSON.stringify({ id: `run-${k}`, messages: [{ role: 'user', content: 'Name the capital. Facts: Paris' }, { role: 'assistant', name: 'writer', content: `Lyon (${k}).` }], outcome: { score: 0, success: false } });
      const text = [0, 1, 2, 3].map(record).join('\n');
      expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'runs.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(text) }))).toBe('error');
      expect(await page.locator('#problems h3').textContent()).toBe('The settings have a problem');
      expect(await page.getByTestId('input-problem').getAttribute('data-field')).toBe('judge');
      expect(await page.getByTestId('input-problem').textContent()).toMatch(/^judgethe judge failed at line 1, so the run stopped there: .*401/);
      expect(server.requests.every((request) => JSON.stringify(request.body).includes('Lyon (0).'))).toBe(true);
      expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });

  it('a judged run replaced by a new input while its judge answers leaves the new input’s downloads and pairs alone', async () => {
    const server = await startJudgeServer({ delayMs: 700 });
    try {
      const { page, problems } = await openDemo(undefined, [server.origin]);
      await page.locator('#judge-panel summary').click();
      await page.locator('#judge-url').fill(server.baseURL);
      await page.locator('#judge-model').fill('rules');
      await page.locator('#judge-use').check();
      const judged = { id: 'judged-run', messages: [{ role: 'user', content: 'Name the capital. Facts: Paris' }, { role: 'assistant', name: 'writer', content: 'WRONG: Lyon.' }], outcome: { score: 0, success: false } };
      await page.getByTestId('file-input').setInputFiles({ name: 'judged.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(judged)) });
      await expect.poll(() => server.inFlight, { timeout: 10_000 }).toBeGreaterThan(0);
      // The judge still answers the first run: the next input goes without it.
      await page.locator('#judge-use').uncheck();
      const example = episodeExamples.find((file) => file.path.includes('book-flights'))!;
      expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path))).toBe('done');
      // The replaced run gets its answer and would finish now.
      await expect.poll(() => server.inFlight, { timeout: 10_000 }).toBe(0);
      await page.waitForTimeout(300);
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-signals').click()]);
      const cli = execFileSync(process.execPath, [join(root, 'dist', 'bin.js'), 'attribute', join(root, example.path), '--format', 'signals', '--workers', '0'], { encoding: 'utf8' });
      expect(readFileSync(await file.path(), 'utf8')).toBe(cli);
      await page.getByTestId('show-preferences').click();
      await expect.poll(() => page.locator('.preference.dpo').count()).toBe(toDpo(await signalsOf(example.records[0])).length);
      expect(problems).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });

  it('reconciles credit and blame per agent with the library’s numbers', async () => {
    const { page, problems } = await openDemo();
    const example = episodeExamples.find((file) => file.path.includes('book-flights'))!;
    expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path))).toBe('done');
    const signals = await signalsOf(example.records[0]);
    for (const agent of signals.agents) {
      const row = page.locator(`[data-testid=blame-row][data-agent="${agent.agent}"]`);
      const sum = signals.messages.filter((m) => m.agent === agent.agent).reduce((s, m) => s + m.reward, 0);
      expect(await row.getByTestId('blame-rewards').textContent()).toBe(formatSigned(sum));
      expect(await row.getByTestId('blame-first-error').textContent()).toBe(signals.firstError?.agent === agent.agent ? `message #${signals.firstError.index}` : '—');
    }
    expect(await page.getByTestId('blame-rule').textContent()).toContain('rewards come from the first error, not from credit');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a dataset: overview, search and filter, with a bad line reported and the others kept', async () => {
    const { page, problems } = await openDemo();
    const lines = episodeExamples.map((file) => JSON.stringify(file.records[0]));
    lines.splice(2, 0, '{"id": "broken",');
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'set.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) }))).toBe('done');
    expect(await page.getByTestId('input-problem').getAttribute('data-line')).toBe('3');
    expect(await page.getByTestId('dataset-episodes').textContent()).toBe(String(episodeExamples.length));
    await page.getByTestId('episode-outcome').selectOption('failure');
    const failures = (await Promise.all(episodeExamples.map((file) => signalsOf(file.records[0])))).filter((s) => !s.success);
    expect(await page.locator('[data-testid=episode-list] li').count()).toBe(failures.length);
    await page.getByTestId('episode-search').fill(failures[0].id);
    await page.locator(`[data-testid=episode-list] button[data-id="${failures[0].id}"]`).click();
    expect(await page.locator('.episode-slot .episode').getAttribute('data-id')).toBe(failures[0].id);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  for (const width of [1280, 375]) {
    it(`axe-core finds no violation in the first view, an episode, an error and a dataset (${width} px); screenshots of each`, async () => {
      const { page, problems } = await openDemo({ width, height: 900 });
      mkdirSync(screenshotDir, { recursive: true });
      const check = async (state: string) => {
        expect(await axeViolations(page), state).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), state).toBe(0);
        await page.screenshot({ path: join(screenshotDir, `demo-${state}-${width}.png`), fullPage: true });
      };
      await check('first-view');
      const example = episodeExamples.find((file) => file.path.includes('book-flights'))!;
      expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(example.path))).toBe('done');
      await check('episode');
      const table = examples.find((file) => file.path.endsWith('three-agents.json'))!;
      expect(await runAndWait(page, () => page.getByTestId('example-picker').selectOption(table.path))).toBe('done');
      await check('value-table');
      expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"agents": [') }))).toBe('error');
      await check('error');
      const lines = episodeExamples.map((file) => JSON.stringify(file.records[0])).join('\n');
      expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles({ name: 'set.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines) }))).toBe('done');
      await check('dataset');
      await page.locator('#view-playground').click();
      await check('playground');
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it('attributes 10,000 episodes with the page responsive: the longest main-thread task is recorded (test-results/demo-long-tasks.json)', async () => {
    const { page, problems } = await openDemo();
    await page.evaluate(() => {
      (window as unknown as { longTasks: number[] }).longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (window as unknown as { longTasks: number[] }).longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const base = episodeExamples.find((file) => file.path.includes('book-flights'))!.records[0];
    const lines = Array.from({ length: 10_000 }, (_, k) => JSON.stringify({ ...base, id: `run-${k}`, outcome: { ...(base.outcome as object) } }));
    // From a file on disk: a buffer would be decoded by script in the page, a long task of the test's own.
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, 'ten-thousand.jsonl');
    writeFileSync(file, lines.join('\n'));
    expect(await runAndWait(page, () => page.getByTestId('file-input').setInputFiles(file))).toBe('done');
    expect(await page.getByTestId('dataset-episodes').textContent()).toBe('10,000');
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    writeFileSync(join(screenshotDir, 'demo-long-tasks.json'), JSON.stringify({ episodes: 10_000, longTasks: tasks.length, longestMs: Math.max(0, ...tasks) }) + '\n');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

function formatSigned(value: number): string {
  const rounded = value.toFixed(4);
  return Number(rounded) === 0 ? (0).toFixed(4) : (value > 0 ? '+' : '') + rounded;
}
