// Attribution of a loaded source, run inside the worker: read the records,
// find each one's format, attribute it through the library, and gather what
// the page shows and what each download holds.
import { interactions, shapley } from 'agent-credit';
import { toJsonl } from 'agent-credit/episodes';
import { attributeRecord } from './episodes.js';
import { detectFormat, FORMAT_NAMES, isRecordList, type FormatName } from './formats.js';
import { lineOfField, problemsOf } from './problems.js';
import { EXPORT_KINDS, type AttributionResult, type EpisodeView, type ExportKind, type InputProblem, type LoadedSource, type RunOptions } from './protocol.js';
import { InputProblems, readRecords, type JsonRecord } from './records.js';

export type ProgressReporter = (done: number, total: number) => void;

/** One record to attribute: a JSONL line, a whole document, or one element of a document's array. */
interface Unit {
  record: JsonRecord;
  value: unknown;
  /** Path of the value inside its record's text ('' or `[k]`). */
  prefix: string;
  line: number;
}

function unitsOf(records: JsonRecord[], jsonLines: boolean): Unit[] {
  const units: Unit[] = [];
  for (const record of records) {
    if (!jsonLines && isRecordList(record.value)) {
      record.value.forEach((value, k) => units.push({ record, value, prefix: `[${k}]`, line: lineOfField(record, `[${k}]`) }));
    } else units.push({ record, value: record.value, prefix: '', line: record.line });
  }
  return units;
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
    agentNames: credit.players,
    agents: credit.players.map((agent, i) => ({ agent, credit: credit.values[i], stderr: credit.stderr ? credit.stderr[i] : null })),
    interactions: { players: pairs.players, matrix: Array.from(pairs.matrix) },
    messages: [],
    firstError: null,
    repairs: [],
    preferences: [],
  };
}

function formatOf(value: unknown, options: RunOptions): FormatName {
  if (options.format !== 'auto') {
    if (!(FORMAT_NAMES as readonly string[]).includes(options.format)) throw new Error(`unknown input format ${JSON.stringify(options.format)}`);
    return options.format as FormatName;
  }
  const format = detectFormat(value);
  if (!format) {
    throw new Error(`cannot tell the input format; expected an episode, a chat transcript, a Who&When log or a value table. Choose one under Options (${FORMAT_NAMES.join(', ')}).`);
  }
  return format;
}

/** Attributes every record of `source`. Records at fault are reported with line and field; the others still show. */
export async function attributeSource(source: LoadedSource, options: RunOptions, progress: ProgressReporter): Promise<AttributionResult> {
  const started = performance.now();
  const { records, jsonLines } = readRecords(source.name, source.text);
  const units = unitsOf(records, jsonLines);
  const episodes: EpisodeView[] = [];
  const problems: InputProblem[] = [];
  const rows: Record<ExportKind, unknown[]> = { signals: [], dpo: [], kto: [], prm: [], rewards: [] };
  const formats = new Set<FormatName>();
  for (const [index, unit] of units.entries()) {
    const fallbackId = units.length === 1 ? source.name : `${source.name}:${unit.line}`;
    try {
      const format = formatOf(unit.value, options);
      formats.add(format);
      if (format === 'table') {
        episodes.push(await attributeTable(unit.value as { players: string[]; values: number[] }, fallbackId, options));
      } else {
        const file = source.name.replace(/^.*[\\/]/, '');
        const attributed = await attributeRecord(format, unit.value, { id: fallbackId, file: source.name, line: jsonLines ? unit.line : undefined }, options, file);
        episodes.push(attributed.view);
        for (const kind of EXPORT_KINDS) rows[kind].push(...attributed.rows[kind]);
      }
    } catch (error) {
      problems.push(...problemsOf(error, unit.record, unit.prefix));
    }
    progress(index + 1, units.length);
  }
  if (!episodes.length) throw new InputProblems(problems);
  const hasEpisodes = rows.signals.length > 0;
  const exports: AttributionResult['exports'] = {};
  if (hasEpisodes) for (const kind of EXPORT_KINDS) exports[kind] = rows[kind].map((row) => toJsonl(row)).join('');
  return {
    source: source.name,
    format: [...formats].join(', '),
    episodes,
    exports,
    problems,
    elapsedMs: performance.now() - started,
  };
}
