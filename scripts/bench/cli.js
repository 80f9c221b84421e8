// CLI throughput target: `agent-credit attribute` on a 100,000-episode JSONL file of
// 5-agent episodes with full coalition tables, >= 20,000 episodes/s, with the
// peak memory of the run (constant memory: it should not grow with the file),
// and the CPU time, which tells the cost per episode on a loaded machine; then
// the peak memory on 100,000 and 5,000,000 small episodes, which must stay flat.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixed, seededRandom, table, verdict } from './lib/measure.js';

/** Runs of each size in the peak-memory table; the median counts. */
const MEMORY_RUNS = 3;

const AGENTS = ['planner', 'researcher', 'coder', 'tester', 'reviewer'];
const LABELS = ['helpful', 'helpful', 'neutral', 'redundant', 'harmful', undefined, undefined];
const SENTENCES = [
  'Split the task into retrieval, implementation and review steps.',
  'Found two candidate sources; the second one has the 2024 figures.',
  'Implemented the parser and added a test for empty input.',
  'The test fails on inputs with a trailing newline; fixing.',
  'Reviewed the change: the error handling path is not covered yet.',
];

/** One realistic episode: 5 agents, 8 messages, 32 coalitions from a random SOUM-like game. */
function episode(k, random) {
  const success = random() < 0.8;
  const dividends = new Float64Array(32);
  for (let mask = 1; mask < 32; mask++) dividends[mask] = random() < 0.4 ? random() * 0.3 - 0.05 : 0;
  const coalitions = [];
  for (let mask = 0; mask < 32; mask++) {
    let value = 0;
    for (let sub = mask; sub > 0; sub = (sub - 1) & mask) value += dividends[sub];
    coalitions.push({ agents: AGENTS.filter((_, i) => mask & (1 << i)), value: Math.round(value * 1e4) / 1e4 });
  }
  const score = coalitions[31].value;
  const messages = [];
  for (let m = 0; m < 8; m++) {
    const label = LABELS[Math.floor(random() * LABELS.length)];
    const message = { id: `m${m}`, agent: AGENTS[m % 5], content: SENTENCES[Math.floor(random() * SENTENCES.length)] };
    if (label && (success ? label !== 'harmful' || m > 4 : true)) message.label = success && label === 'harmful' ? 'neutral' : label;
    if (random() < 0.5) message.score = Math.round((random() * 2 - 1) * 100) / 100;
    messages.push(message);
  }
  return { id: `ep-${k}`, task: 'Fix the failing date parser and ship a release.', agents: AGENTS, messages, outcome: { score, success }, coalitions };
}

/** The smallest realistic episode: 2 agents, 2 messages, its 4 coalitions (about 300 bytes); a million of them per 300 MB. */
function smallEpisode(k) {
  return `{"id":"ep-${k}","task":"t","agents":["a","b"],"messages":[{"id":"m0","agent":"a","content":"x"},{"id":"m1","agent":"b","content":"y"}],` +
    `"outcome":{"score":1,"success":true},"coalitions":[{"agents":[],"value":0},{"agents":["a"],"value":0.5},{"agents":["b"],"value":0.25},{"agents":["a","b"],"value":1}]}`;
}

async function writeSmallEpisodes(path, count) {
  const out = createWriteStream(path);
  for (let k = 0; k < count; k++) {
    if (!out.write(smallEpisode(k) + '\n')) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

/**
 * Peak RSS of `attribute` on 100,000 and on 5,000,000 small episodes (rows to
 * /dev/null): what grows with the episode count (the set of ids seen, for
 * duplicates) must stay small against what does not (workers, buffers). Each
 * size runs MEMORY_RUNS times and the median peak counts: a one-second run's
 * peak moves by 10% with when its collections happen.
 */
async function memoryByEpisodeCount(dir) {
  const rows = [];
  const medians = [];
  for (const count of [100_000, 5_000_000]) {
    const input = join(dir, `small-${count}.jsonl`);
    await writeSmallEpisodes(input, count);
    const runs = [];
    for (let k = 0; k < MEMORY_RUNS; k++) runs.push(await runCli(dir, ['attribute', input, '-o', '/dev/null']));
    rmSync(input);
    const peaks = runs.map((run) => run.maxRssKb).sort((a, b) => a - b);
    const times = runs.map((run) => run.ms).sort((a, b) => a - b);
    const median = peaks[Math.floor(MEMORY_RUNS / 2)];
    medians.push(median);
    rows.push([
      count.toLocaleString('en-US'),
      fixed(times[Math.floor(MEMORY_RUNS / 2)] / 1000, 1),
      fixed(median / 1024, 0),
      `${fixed(peaks[0] / 1024, 0)}-${fixed(peaks[peaks.length - 1] / 1024, 0)}`,
      fixed(median / medians[0], 2),
    ]);
  }
  return { rows, ratio: medians[1] / medians[0] };
}

async function writeEpisodes(path, count) {
  const out = createWriteStream(path);
  const random = seededRandom(4);
  for (let k = 0; k < count; k++) {
    if (!out.write(JSON.stringify(episode(k, random)) + '\n')) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

/** Runs the built CLI in a child process (through a small script that reports its peak RSS); returns wall time and peak RSS. */
function runCli(dir, args) {
  const cli = new URL('../../dist/cli/main.js', import.meta.url).href;
  const script = join(dir, 'run-cli.mjs');
  writeFileSync(script, `import { main } from ${JSON.stringify(cli)};
const code = await main(${JSON.stringify(args)});
const usage = process.resourceUsage();
process.stderr.write('\\nmaxrss ' + usage.maxRSS + ' cpu ' + (usage.userCPUTime + usage.systemCPUTime) + '\\n');
process.exitCode = code;
`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) return reject(new Error(`attribute failed (${code}): ${stderr}`));
      const [, rss, cpu] = /maxrss (\d+) cpu (\d+)/.exec(stderr);
      resolve({ ms, maxRssKb: Number(rss), cpuSeconds: Number(cpu) / 1e6 });
    });
  });
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'agent-credit-bench-'));
  try {
    const rows = [];
    const checks = [];
    const runs = [
      [10_000, 'signals', []],
      [100_000, 'signals', []],
      [100_000, 'signals', ['--workers', '0']],
      [100_000, 'rewards', []],
    ];
    const inputs = new Map();
    for (const [count, format, extra] of runs) {
      if (!inputs.has(count)) {
        const input = join(dir, `episodes-${count}.jsonl`);
        await writeEpisodes(input, count);
        inputs.set(count, input);
      }
      const input = inputs.get(count);
      const output = join(dir, `out-${count}-${format}.jsonl`);
      const { ms, maxRssKb, cpuSeconds } = await runCli(dir, ['attribute', input, '-o', output, '--format', format, ...extra]);
      const rate = count / (ms / 1000);
      const cores = availableParallelism();
      const workers = extra.length ? extra[1] : `default (${cores > 1 ? Math.min(4, cores) : 0})`;
      rows.push([count.toLocaleString('en-US'), fixed(statSync(input).size / 2 ** 20, 0), format, workers, fixed(ms / 1000, 2), fixed(rate, 0), fixed(cpuSeconds, 2), fixed(count / cpuSeconds, 0), fixed(maxRssKb / 1024, 0)]);
      if (count === 100_000 && format === 'signals' && !extra.length) checks.push(['attribute >= 20,000 episodes/s (100,000 5-agent episodes, full tables)', rate >= 20_000]);
    }
    console.log('#### CLI throughput: agent-credit attribute (whole process: start-up, read, parse, validate, attribute, write)\n');
    console.log(table(['episodes', 'input MB', 'format', 'workers', 'wall s', 'episodes/s', 'CPU s', 'episodes per CPU-s', 'peak RSS MB'], rows));
    console.log('\nCPU s: user + system time of the whole process (all threads). On a shared machine wall time depends on the load; episodes per CPU-second does not.');
    const memory = await memoryByEpisodeCount(dir);
    console.log('\n#### CLI peak memory by episode count: small episodes (2 agents, 300 bytes), rows to /dev/null\n');
    console.log(table(['episodes', 'wall s (median)', `peak RSS MB (median of ${MEMORY_RUNS})`, 'range', 'x the 100,000 run'], memory.rows));
    checks.push([`peak RSS on 5,000,000 small episodes <= 1.3x the peak on 100,000 (medians of ${MEMORY_RUNS} runs: ${fixed(memory.ratio, 2)}x)`, memory.ratio <= 1.3]);
    console.log('\n#### CLI targets\n');
    console.log(table(['target', 'status'], checks.map(([name, ok]) => [name, verdict(ok)])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
