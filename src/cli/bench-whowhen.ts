// `agent-credit bench-whowhen <dir|file.json>`: the Who&When benchmark of first-error
// localizers. Each log's annotations (mistake_step, mistake_agent,
// mistake_reason) are removed before the judge sees anything; each strategy
// then locates the first error with the judge, and the table compares its
// finding with the annotation the way the Who&When paper does: agent-level
// accuracy, step-level accuracy (the same 0-based index into `history`),
// within +-1 and +-3 steps, and what the judge spent per log.
import { readFile } from 'node:fs/promises';
import { parseFlags } from './flags.js';
import { basename, dirname, relative } from 'node:path';
import { fromWhoWhen } from '../episodes/adapters/index.js';
import { parseEpisode, type Episode } from '../episodes/episode.js';
import { fillLabels, locateFirstError, usageSince } from '../episodes/fill.js';
import type { FirstErrorStrategy } from '../episodes/first-error.js';
import type { EpisodeJudge, JudgeUsage } from '../episodes/judge-contract.js';
import { InputError } from '../core/errors.js';
import { describe as describeValue, isRecord } from '../core/validate.js';
import { inputFiles } from './records.js';
import { judgeCache, judgeFromFlags, positiveInteger, readJudgeCache } from './judged-run.js';
import { counted } from './run-summary.js';
import { terminalText } from '../core/terminal-text.js';

export const BENCH_WHOWHEN_USAGE =
  '  agent-credit bench-whowhen <dir|file.json> --judge URL --model NAME [--judge-key-env VAR] [--judge-cache FILE]\n' +
  '                         [--concurrency N] [--strategy labels|prefix|binary|all] [--json]';

const HELP = `Usage:
${BENCH_WHOWHEN_USAGE}

Runs each first-error strategy with the judge on the Who&When logs (.json files) under <dir>, or on
the one log <file.json> (named by its file name, subset "."), with
mistake_step, mistake_agent and mistake_reason removed before the judge sees a log, and prints per
strategy and subset (the folder under <dir>):
  agent    share of logs whose first error is by the annotated mistake_agent (letter case ignored)
  step     share whose first error is the annotated mistake_step (the same index into history)
  +-1 +-3  share within 1 and 3 steps of it
  calls, tokens   the judge's requests and prompt + completion tokens per log (cache hits are free)
A log where a strategy finds no error counts as wrong. The Who&When paper's best: 53.5% agent, 14.2% step.
  --strategy S     labels (one call per log), prefix (one call per log), binary (binary search over
                   "still recoverable?", about log2(messages) calls per log) or all (default)
  --concurrency N  judge requests in flight at most (default 4); logs are judged in parallel
  --json           print the table as JSON
The judge flags are those of agent-credit attribute (--judge-key-env: default OPENAI_API_KEY).`;

const STRATEGIES: Record<string, FirstErrorStrategy> = { labels: 'label', prefix: 'prefixValue', binary: 'binarySearch' };
const NAMES: Record<FirstErrorStrategy, string> = { label: 'labels', prefixValue: 'prefix', binarySearch: 'binary' };

/** One log with its annotation set apart from what the judge sees. */
export interface BenchLog {
  /** The file, relative to the benchmark directory. */
  file: string;
  /** The folder under the benchmark directory (Hand-Crafted, Algorithm-Generated), or "." */
  subset: string;
  /** The transcript as the judge gets it: no mistake_* field, no label from one, a failure. */
  episode: Episode;
  mistakeStep: number;
  mistakeAgent: string;
}

const HIDDEN = ['mistake_step', 'mistake_agent', 'mistake_reason'];

/** A Who&When log read for the benchmark; an InputError names the file and the field at fault. */
export function benchLog(record: unknown, file: string): BenchLog {
  const fail = (path: string, message: string): never => {
    throw new InputError([{ path, message }], terminalText(file));
  };
  if (!isRecord(record)) return fail('', `expected a Who&When log object, got ${describeValue(record)}`);
  const stepText = record.mistake_step;
  const step = typeof stepText === 'number' ? stepText : typeof stepText === 'string' && /^\d+$/.test(stepText.trim()) ? Number(stepText) : Number.NaN;
  const history = Array.isArray(record.history) ? record.history : fail('history', `expected the log's history as an array, got ${describeValue(record.history)}`);
  if (!Number.isInteger(step) || step < 0 || step >= history.length) fail('mistake_step', `expected the annotated 0-based index into history (0 to ${history.length - 1}), got ${describeValue(stepText)}`);
  if (typeof record.mistake_agent !== 'string' || record.mistake_agent === '') fail('mistake_agent', `expected the annotated agent as a string, got ${describeValue(record.mistake_agent)}`);
  const hidden: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!HIDDEN.includes(key)) hidden[key] = value;
  const adapted = fromWhoWhen(hidden) as Record<string, unknown>;
  const episode = parseEpisode({ ...adapted, id: file, outcome: { score: 0, success: false } }, { file });
  const subset = dirname(file).split(/[\\/]/)[0] ?? '.';
  return { file, subset, episode, mistakeStep: step, mistakeAgent: record.mistake_agent as string };
}

/** What one strategy found in one log. */
export interface Finding {
  index: number;
  agent: string | null;
}

/** Accuracy of one strategy on a set of logs. */
export interface BenchRow {
  strategy: string;
  subset: string;
  logs: number;
  /** Logs where the strategy located some first error. */
  located: number;
  agentAccuracy: number;
  stepAccuracy: number;
  within1: number;
  within3: number;
  callsPerLog: number;
  tokensPerLog: number;
  cacheHitsPerLog: number;
}

const sameAgent = (a: string | null, b: string) => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/** The accuracy row of `findings` against the logs' annotations. */
export function scoreFindings(strategy: string, subset: string, logs: BenchLog[], findings: Finding[], usage: JudgeUsage): BenchRow {
  const share = (test: (log: BenchLog, found: Finding) => boolean) => (logs.length === 0 ? 0 : logs.filter((log, k) => test(log, findings[k])).length / logs.length);
  const distance = (log: BenchLog, found: Finding) => (found.index < 0 ? Infinity : Math.abs(found.index - log.mistakeStep));
  return {
    strategy,
    subset,
    logs: logs.length,
    located: findings.filter((found) => found.index >= 0).length,
    agentAccuracy: share((log, found) => sameAgent(found.agent, log.mistakeAgent)),
    stepAccuracy: share((log, found) => distance(log, found) === 0),
    within1: share((log, found) => distance(log, found) <= 1),
    within3: share((log, found) => distance(log, found) <= 3),
    callsPerLog: logs.length === 0 ? 0 : usage.calls / logs.length,
    tokensPerLog: logs.length === 0 ? 0 : (usage.promptTokens + usage.completionTokens) / logs.length,
    cacheHitsPerLog: logs.length === 0 ? 0 : usage.cacheHits / logs.length,
  };
}

/** Runs `work` over `items` with at most `limit` at once, results in item order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const k = next++;
      results[k] = await work(items[k]);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The first error one strategy finds in one log, with the judge. */
export async function locate(log: BenchLog, strategy: FirstErrorStrategy, judge: EpisodeJudge): Promise<Finding> {
  const { episode } = log;
  // Labels are asked of the judge only by the label strategy: the others' cost is their own calls.
  const filled = await fillLabels(episode, strategy === 'label' ? judge : undefined);
  const { firstError } = await locateFirstError(episode, filled, { strategy, judge });
  return { index: firstError ? firstError.index : -1, agent: firstError ? firstError.agent : null };
}

/** Every strategy's rows: per subset (when there are several), then all logs. Subsets run one after another, so each one's usage is its own. */
export async function benchWhoWhen(logs: BenchLog[], strategies: FirstErrorStrategy[], judge: EpisodeJudge, parallel: number, onLog?: () => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const subsets = [...new Set(logs.map((log) => log.subset))].sort();
  for (const strategy of strategies) {
    const findings = new Array<Finding>(logs.length);
    const start = judge.usage();
    for (const subset of subsets) {
      const picked = logs.map((log, k) => [log, k] as const).filter(([log]) => log.subset === subset);
      const before = judge.usage();
      const found = await mapLimited(picked, parallel, async ([log]) => {
        const finding = await locate(log, strategy, judge);
        onLog?.();
        return finding;
      });
      picked.forEach(([, k], j) => (findings[k] = found[j]));
      if (subsets.length > 1) rows.push(scoreFindings(NAMES[strategy], subset, picked.map(([log]) => log), found, usageSince(before, judge.usage())));
    }
    rows.push(scoreFindings(NAMES[strategy], 'all', logs, findings, usageSince(start, judge.usage())));
  }
  return rows;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The table as text: one line per strategy and subset. */
export function formatTable(rows: BenchRow[]): string {
  const header = ['strategy', 'subset', 'logs', 'located', 'agent', 'step', '+-1', '+-3', 'calls/log', 'tokens/log'];
  // A subset is a folder of the dataset: its name is shown as terminalText shows it, so it cannot break the table's lines.
  const lines = rows.map((row) => [
    row.strategy, terminalText(row.subset), String(row.logs), String(row.located), percent(row.agentAccuracy), percent(row.stepAccuracy),
    percent(row.within1), percent(row.within3), row.callsPerLog.toFixed(2), row.tokensPerLog.toFixed(0),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...lines.map((line) => line[c].length)));
  const format = (cells: string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [format(header), ...lines.map(format), 'Who&When paper, best method: agent 53.5%, step 14.2%'].join('\n');
}

export async function benchWhoWhenCommand(args: string[], out: (text: string) => void): Promise<void> {
  const { values: flags, positionals } = parseFlags(args, {
    judge: { type: 'string' },
    model: { type: 'string' },
    'judge-key-env': { type: 'string' },
    'judge-cache': { type: 'string' },
    concurrency: { type: 'string' },
    strategy: { type: 'string', default: 'all' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (flags.help) return out(HELP);
  if (positionals.length !== 1) throw new InputError(`bench-whowhen: expected exactly one directory of Who&When logs, or one log file\nUsage:\n${BENCH_WHOWHEN_USAGE}`);
  if (flags.judge === undefined) throw new InputError('--judge: bench-whowhen needs a judge: --judge URL --model NAME');
  const strategies = flags.strategy === 'all' ? Object.values(STRATEGIES) : [STRATEGIES[flags.strategy!]];
  if (strategies[0] === undefined) throw new InputError(`--strategy: expected labels, prefix, binary or all, got ${JSON.stringify(flags.strategy)}`);
  const cache = flags['judge-cache'] === undefined ? undefined : judgeCache(flags['judge-cache']);
  const judge = judgeFromFlags(flags, process.env, cache)!;
  // A file that is not a judge cache is named before the first request, not as the first log's judge failure.
  if (cache) await readJudgeCache(cache, flags['judge-cache']!);
  const dir = positionals[0];
  let files;
  try {
    files = (await inputFiles(dir)).filter((file) => file.kind === 'json');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${dir}: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new InputError(`${dir}: no .json Who&When logs found`);
  const logs: BenchLog[] = [];
  for (const file of files) {
    let record: unknown;
    try {
      record = JSON.parse(await readFile(file.path, 'utf8'));
    } catch (error) {
      throw new InputError(`${terminalText(file.path)}: cannot be read as JSON (${(error as Error).message})`);
    }
    // A single log given as the input is its own path: relative() is '' there, which is no id.
    logs.push(benchLog(record, relative(dir, file.path) || basename(file.path)));
  }
  const concurrency = positiveInteger('concurrency', flags.concurrency, 1024) ?? 4;
  const tty = process.stderr.isTTY === true;
  let done = 0;
  const rows = await benchWhoWhen(logs, strategies, judge, concurrency, () => {
    done++;
    if (tty) process.stderr.write(`\r${done}/${logs.length * strategies.length} logs judged, ${judge.usage().calls} judge calls\x1b[K`);
  });
  if (tty) process.stderr.write('\r\x1b[K');
  out(flags.json ? JSON.stringify({ logs: logs.length, rows }) : formatTable(rows));
  const usage = judge.usage();
  process.stderr.write(`bench-whowhen: ${counted(logs.length, 'log')}, ${counted(strategies.length, 'strategy', 'strategies')}; judge: ${counted(usage.calls, 'call')}, ${counted(usage.cacheHits, 'cache hit')}, ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens\n`);
}
