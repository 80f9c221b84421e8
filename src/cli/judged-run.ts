// The flags of a judged `agent-credit attribute` run (--judge, --model,
// --judge-key-env, --judge-cache, --judge-timeout-ms, --judge-max-tokens,
// --evaluator, --budget, --concurrency, --strategy, --team-value, --agents),
// checked before any input is read, and the judge or evaluator they make.
import { createJudge, type Judge } from '../judge/create-judge.js';
import type { JudgeOptions } from '../judge/options.js';
import { createJsonlStore, type JsonlStore } from '../judge/jsonl-store.js';
import type { JudgeStore } from '../judge/store.js';
import { DEFAULT_JUDGED_BUDGET, type EpisodeEvaluator } from '../episodes/attribute.js';
import type { FirstErrorStrategy } from '../episodes/first-error.js';
import { InputError } from '../core/errors.js';
import type { EpisodeAttributor } from './attribute-rows.js';
import { loadEvaluator } from './evaluator-module.js';
import { cacheHoldsReplies, judgedAttributor, nothingKept } from './judged-rows.js';
import { reasonOf } from './output.js';
import { counted } from './run-summary.js';
import type { AttributionOptions } from './attribution-flags.js';

/** The environment variable the judge's API key is read from unless --judge-key-env names another. */
export const DEFAULT_KEY_ENV = 'OPENAI_API_KEY';

export const JUDGED_USAGE =
  '                         [--judge URL --model NAME [--judge-key-env VAR] [--judge-cache FILE] [--judge-timeout-ms MS] [--judge-max-tokens N]]\n' +
  '                         [--evaluator ./evaluate.mjs]\n' +
  '                         [--budget N] [--concurrency N] [--strategy labels|prefix|binary] [--team-value judged|outcome] [--agents a,b,c]';

export const JUDGED_HELP = `  --agents a,b,c   the players; every other speaker (user, system, tools) is context: kept in every
                   transcript and counterfactual, never credited or blamed
  --judge URL      an OpenAI-compatible Chat Completions API root (e.g. http://127.0.0.1:11434/v1 for
                   Ollama, http://127.0.0.1:8000/v1 for vLLM) whose model fills in what episodes lack:
                   coalition values of successes without a table, labels and scores, first errors
  --model NAME     the judge's model (required with --judge)
  --judge-key-env VAR  the environment variable holding the judge's API key (default ${DEFAULT_KEY_ENV}, used
                   when set, over https or to this machine only; a named one goes wherever --judge
                   points); the key is never taken from a flag and never written anywhere
  --judge-cache FILE   a JSON-lines file of the judge's replies: appended as they come, so a second run
                   pays nothing twice and a killed run resumes with only the missing calls
  --judge-timeout-ms MS  a judge request without a reply after MS ms is abandoned and retried (default
                   120000; raise it for slow local models)
  --judge-max-tokens N  the most tokens a judge reply may take (max_tokens; default: the server's own
                   limit); raise it when replies are cut off at the token limit (labels take about 30
                   tokens per message)
  --evaluator M    a module exporting evaluate(episode, agents, { signal }): v(agents) from a re-run of
                   the team (the faithful value; a judge of the ablated transcript approximates it)
  --budget N       coalition values per episode (judge or evaluator calls): exact when 2^n <= N, else
                   sampled with standard errors (default 256)
  --concurrency N  judge requests (or evaluate calls) in flight at most (default 4)
  --strategy S     how a failure's first error is found: labels (default; judged labels), prefix (judged
                   success probability after each message) or binary (binary search over the judge's
                   "still recoverable?"); a first error the record's own labels locate (an annotated
                   mistake) is kept, and the judge is not asked to look again
  --team-value V   judged (default): the judge values the whole team too, reported beside outcome.score;
                   outcome: v(team) is outcome.score
Judged runs go one episode at a time on the main thread (each episode's judgements in parallel up to
--concurrency), so one judge cache and one limit on requests in flight serve every episode.`;

export const JUDGED_FLAGS = {
  agents: { type: 'string' },
  judge: { type: 'string' },
  model: { type: 'string' },
  'judge-key-env': { type: 'string' },
  'judge-cache': { type: 'string' },
  'judge-timeout-ms': { type: 'string' },
  'judge-max-tokens': { type: 'string' },
  evaluator: { type: 'string' },
  budget: { type: 'string' },
  concurrency: { type: 'string' },
  strategy: { type: 'string' },
  'team-value': { type: 'string' },
} as const;

type Flags = Partial<Record<keyof typeof JUDGED_FLAGS, string>>;

const STRATEGIES: Record<string, FirstErrorStrategy> = { labels: 'label', prefix: 'prefixValue', binary: 'binarySearch' };

/** A judged run: the judge and/or evaluator, and the attributor that uses them. */
export interface JudgedRun {
  judge?: Judge;
  evaluate?: EpisodeEvaluator;
  attribute: EpisodeAttributor;
  /** Episodes judged so far. */
  episodes: number;
  /** Reads the --judge-cache file, once the run's paths are checked and before the first request (see readJudgeCache). */
  openCache(): Promise<void>;
}

/** The --judge-cache store, not yet read. */
export function judgeCache(path: string): JsonlStore {
  if (path === '') throw new InputError('--judge-cache: expected the path of the cache file (JSON Lines, created when missing), got ""');
  return createJsonlStore(path);
}

/**
 * Reads the judge cache before anything is paid for: a file that is not a
 * judge cache (an output given as the cache, an edited line) would
 * otherwise fail the first judgement, reported as the judge failing on
 * whichever episode came first.
 */
export async function readJudgeCache(cache: JsonlStore, path: string): Promise<void> {
  try {
    await cache.load();
  } catch (error) {
    throw new InputError(`--judge-cache ${error instanceof InputError ? error.message : `${path}: cannot be read (${reasonOf(error)})`}`);
  }
}

export function positiveInteger(flag: string, text: string | undefined, limit: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > limit) throw new InputError(`--${flag}: expected an integer from 1 to ${limit}, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** --agents a,b,c: the players, each named once. */
export function agentsFlag(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const agents = text.split(',').map((agent) => agent.trim());
  if (agents.some((agent) => agent === '')) throw new InputError(`--agents: expected agent names separated by commas (a,b,c), got ${JSON.stringify(text)}`);
  const repeated = agents.find((agent, i) => agents.indexOf(agent) !== i);
  if (repeated !== undefined) throw new InputError(`--agents: ${JSON.stringify(repeated)} is listed twice`);
  return agents;
}

/** The judge's settings from --judge, --model, --judge-key-env, --judge-cache, --judge-timeout-ms, --judge-max-tokens and --concurrency. */
export function judgeFromFlags(flags: Flags, env: NodeJS.ProcessEnv = process.env, cache?: JudgeStore): Judge | undefined {
  if (flags.judge === undefined) {
    for (const flag of ['model', 'judge-key-env', 'judge-cache', 'judge-timeout-ms', 'judge-max-tokens'] as const) {
      if (flags[flag] !== undefined) throw new InputError(`--${flag}: only with --judge URL`);
    }
    return undefined;
  }
  if (!/^https?:\/\/[^/]/i.test(flags.judge)) throw new InputError(`--judge: expected the API root of an OpenAI-compatible server as an http(s) URL, e.g. http://127.0.0.1:8000/v1; got ${JSON.stringify(flags.judge)}`);
  if (!flags.model) throw new InputError('--model: --judge needs the model to ask, e.g. --model qwen2.5:7b');
  const keyEnv = flags['judge-key-env'] ?? DEFAULT_KEY_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyEnv)) throw new InputError(`--judge-key-env: expected the name of an environment variable, got ${JSON.stringify(keyEnv)}`);
  if (flags['judge-key-env'] !== undefined && !env[keyEnv]) throw new InputError(`--judge-key-env: the environment variable ${keyEnv} is not set (or empty); export it with the judge's API key`);
  const { apiKey } = judgeKey(flags, env);
  const concurrency = positiveInteger('concurrency', flags.concurrency, 1024);
  const timeoutMs = positiveInteger('judge-timeout-ms', flags['judge-timeout-ms'], 2 ** 31 - 1);
  const maxTokens = positiveInteger('judge-max-tokens', flags['judge-max-tokens'], 10_000_000);
  const options: JudgeOptions = {
    baseURL: flags.judge,
    model: flags.model,
    ...(apiKey ? { apiKey } : {}),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(flags['judge-cache'] === undefined ? {} : { cache: cache ?? judgeCache(flags['judge-cache']) }),
  };
  try {
    return createJudge(options);
  } catch (error) {
    // createJudge names its options (baseURL); on the command line the user typed a flag.
    const issues = error instanceof InputError ? error.issues : [];
    if (issues.length === 0 || !issues.every((issue) => FLAG_OF_OPTION[issue.path])) throw error;
    throw new InputError(issues.map((issue) => ({ path: FLAG_OF_OPTION[issue.path]!, message: issue.message })));
  }
}

/** The flag that sets each createJudge option, for its errors. */
const FLAG_OF_OPTION: Record<string, string | undefined> = { baseURL: '--judge', model: '--model', concurrency: '--concurrency', timeoutMs: '--judge-timeout-ms', maxTokens: '--judge-max-tokens' };

/** Whether a key sent to `url` stays between this machine and the server: over https, or to this machine. */
function keyTravelsSafely(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' || hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}

/**
 * The judge's API key and where it comes from. The default variable
 * (OPENAI_API_KEY, usually an OpenAI key kept for other tools) is sent only
 * over https or to this machine: a --judge at another host over plain http
 * (a model server on the LAN) would get it in clear text. Naming the
 * variable with --judge-key-env sends it wherever --judge points.
 */
export function judgeKey(flags: Flags, env: NodeJS.ProcessEnv = process.env): { apiKey?: string; variable: string; sent: boolean; withheld: boolean } {
  const variable = flags['judge-key-env'] ?? DEFAULT_KEY_ENV;
  const value = env[variable] || undefined;
  const withheld = value !== undefined && flags['judge-key-env'] === undefined && !keyTravelsSafely(flags.judge ?? '');
  const apiKey = withheld ? undefined : value;
  return { ...(apiKey === undefined ? {} : { apiKey }), variable, sent: apiKey !== undefined, withheld };
}

/**
 * The judged run the flags ask for, or undefined when they ask for none
 * (then flags that only a judged run takes are an error). `onEpisode`
 * reports the count of episodes judged so far; with `skipInvalid`
 * (--skip-invalid) an episode the judge cannot judge is skipped like a bad
 * record; `attribution` holds --reward-bound and the thresholds.
 */
export async function judgedRun(flags: Flags, onEpisode: (episodes: number) => void, skipInvalid = false, attribution: AttributionOptions = {}): Promise<JudgedRun | undefined> {
  const cache = flags['judge-cache'] === undefined ? undefined : judgeCache(flags['judge-cache']);
  const judge = judgeFromFlags(flags, process.env, cache);
  const evaluate = flags.evaluator === undefined ? undefined : await loadEvaluator(flags.evaluator);
  if (!judge && !evaluate) {
    for (const flag of ['budget', 'concurrency', 'strategy', 'team-value'] as const) {
      if (flags[flag] !== undefined) throw new InputError(`--${flag}: only with --judge URL --model NAME or --evaluator ./evaluate.mjs`);
    }
    return undefined;
  }
  // A re-run of the team costs more than a judgement: --evaluator gets the judge's default budget, not shapley()'s 100,000.
  const budget = positiveInteger('budget', flags.budget, 10_000_000) ?? DEFAULT_JUDGED_BUDGET;
  const concurrency = positiveInteger('concurrency', flags.concurrency, 1024);
  let strategy: FirstErrorStrategy | undefined;
  if (flags.strategy !== undefined) {
    strategy = STRATEGIES[flags.strategy];
    if (!strategy) throw new InputError(`--strategy: expected labels, prefix or binary, got ${JSON.stringify(flags.strategy)}`);
    if (!judge) throw new InputError('--strategy: the first error is judged; it needs --judge URL --model NAME');
  }
  const teamValue = flags['team-value'];
  if (teamValue !== undefined && teamValue !== 'judged' && teamValue !== 'outcome') throw new InputError(`--team-value: expected judged or outcome, got ${JSON.stringify(teamValue)}`);
  const openCache = async () => {
    if (cache) await readJudgeCache(cache, flags['judge-cache']!);
  };
  const run: JudgedRun = { judge, evaluate, episodes: 0, attribute: undefined as unknown as EpisodeAttributor, openCache };
  run.attribute = judgedAttributor({
    judge,
    evaluate,
    cachePath: flags['judge-cache'],
    key: judge ? judgeKey(flags) : undefined,
    options: { ...attribution, budget, concurrency, strategy, teamValue },
    skipUnjudgeable: skipInvalid,
    onEpisode: () => onEpisode(++run.episodes),
  });
  return run;
}

/** What a judged run stopped at when its judge (or, without one, its evaluator) failed for good, as the summary line says it. */
export function judgedFailure(run: JudgedRun): string {
  return run.evaluate && !run.judge ? 'an evaluator failure' : 'a judge failure';
}

/** What a judged run that ends early keeps for the next one: where the judge's replies are, or that they were not kept (nothing, when none was asked for). */
function keptReplies(run: JudgedRun, cachePath: string | undefined): string {
  if (!run.judge || run.judge.usage().calls === 0) return '';
  if (cachePath === undefined) return 'no --judge-cache was given, so the judge\'s replies were not kept; add --judge-cache FILE to keep them for a rerun';
  return cacheHoldsReplies(cachePath)
    ? `the judge's replies so far are kept in ${cachePath}: run the same command again to resume without paying for them`
    : nothingKept(cachePath);
}

/** What a judged run stopped by `signal` says on its way out: how far it got, and what it kept for the next run. */
export function interruptNotice(run: JudgedRun, signal: string, cachePath: string | undefined): string {
  const kept = keptReplies(run, cachePath);
  return `agent-credit: stopped by ${signal} after judging ${run.episodes} episode${run.episodes === 1 ? '' : 's'}${kept ? `; ${kept}` : ''}`;
}

/**
 * A judged run's failure that is not the judge's own (a full disk under -o,
 * an input that cannot be read), with what the run kept: the user should
 * not have to wonder whether the replies paid for are lost.
 */
export function withKeptReplies(error: unknown, run: JudgedRun | undefined, cachePath: string | undefined): unknown {
  const kept = run ? keptReplies(run, cachePath) : '';
  return kept && error instanceof InputError ? new InputError(`${error.message} (${kept})`) : error;
}

/** The summary line's judge part: calls, cache hits, tokens. */
export function judgeSummary(run: JudgedRun): string {
  if (!run.judge) return '';
  const usage = run.judge.usage();
  return `; judge: ${counted(usage.calls, 'call')}, ${counted(usage.cacheHits, 'cache hit')}, ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens`;
}
