// Attribution of a loaded source, run inside the worker: read the records,
// attribute each one through the library, and gather what the page shows.
import { interactions, shapley } from 'agent-credit';
import { problemsOf } from './problems.js';
import type { AttributionResult, EpisodeView, InputProblem, LoadedSource, RunOptions } from './protocol.js';
import { InputProblems, readRecords, type JsonRecord } from './records.js';

export type ProgressReporter = (done: number, total: number) => void;

/** A value table `{ players, values }`, the input of the CLI's `shapley` command. */
function isTableGame(value: unknown): value is { players: string[]; values: number[] } {
  return typeof value === 'object' && value !== null && 'players' in value && 'values' in value;
}

async function attributeTable(game: { players: string[]; values: number[] }, id: string, options: RunOptions): Promise<EpisodeView> {
  const budget = options.method === 'exact' ? undefined : options.budget;
  const credit = await shapley(game, { method: options.method, budget, seed: options.seed });
  const pairs = await interactions(game);
  return {
    id,
    task: null,
    success: null,
    method: credit.method,
    agents: credit.players.map((agent, i) => ({ agent, credit: credit.values[i], stderr: credit.stderr ? credit.stderr[i] : null })),
    interactions: { players: pairs.players, matrix: Array.from(pairs.matrix) },
    messages: [],
    firstError: null,
    repairs: [],
    preferences: [],
  };
}

function recordName(source: LoadedSource, record: JsonRecord, count: number): string {
  return count === 1 ? source.name : `${source.name}, line ${record.line}`;
}

/** Attributes every record of `source`; every record at fault is reported, with its line and field. */
export async function attributeSource(source: LoadedSource, options: RunOptions, progress: ProgressReporter): Promise<AttributionResult> {
  const started = performance.now();
  const { records } = readRecords(source.name, source.text);
  const episodes: EpisodeView[] = [];
  const problems: InputProblem[] = [];
  for (const [index, record] of records.entries()) {
    try {
      if (!isTableGame(record.value)) {
        throw new Error('expected a value table { players, values }');
      }
      episodes.push(await attributeTable(record.value, recordName(source, record, records.length), options));
    } catch (error) {
      problems.push(...problemsOf(error, record));
    }
    progress(index + 1, records.length);
  }
  if (problems.length) throw new InputProblems(problems);
  return { source: source.name, format: 'table', episodes, exports: {}, elapsedMs: performance.now() - started };
}
