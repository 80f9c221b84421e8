// `agent-credit attribute`: episodes in, one JSON line per output row out.
// The main thread reads the input in chunks of about 256 KiB (whole lines) and
// writes rows in input order; each chunk's records are parsed, validated,
// attributed (one Wasm call per chunk) and formatted in worker threads. A fixed number of batches is in flight, so
// memory stays flat; a run stopped by a bad record keeps every row before it. A judged run goes one record at a
// time on this thread, each episode's rows written before the next episode is paid for.
import { availableParallelism } from 'node:os';
import { parseFlags } from './flags.js';
import { INPUT_FORMATS, type InputFormat } from '../episodes/adapters/index.js';
import { basename, relative } from 'node:path';
import { stat } from 'node:fs/promises';
import {
  AGENT_FORMATS, attributeEachRecord, ID_SOURCES, OUTPUT_FORMATS, renameRows,
  type IdSource, type OutputFormat, type RowsBatch, type RowsJob, type RowsPlan,
} from './attribute-rows.js';
import { SYSTEM_TURNS, type SystemTurn } from '../episodes/agent-view.js';
import { splitOutput, type SplitOutput } from './split-output.js';
import {
  agentsFlag, interruptNotice, judgedFailure, judgedRun, JUDGED_FLAGS, JUDGED_HELP, JUDGED_USAGE, judgeSummary, withKeptReplies, type JudgedRun,
} from './judged-run.js';
import { onInterrupt } from './interrupt-notice.js';
import { ATTRIBUTION_FLAGS, ATTRIBUTION_HELP, ATTRIBUTION_USAGE, attributionOptions } from './attribution-flags.js';
import { recordContext, type Episode, type RecordSource } from '../episodes/episode.js';
import { distinctEpisodeId, fileEpisodeId } from '../episodes/episode-ids.js';
import { InputError } from '../core/errors.js';
import { terminalLines, terminalText } from '../core/terminal-text.js';
import { misspelledName } from '../core/validate.js';
import { EpisodeIdSet } from './id-set.js';
import { rowsRunner } from './rows-runner.js';
import { fileOutput, reasonOf, stdoutOutput, type Output } from './output.js';
import { reportOutput } from './html-report-output.js';
import { checkRunPaths } from './output-paths.js';
import { inputFiles, isOtlpLines, otlpDocument, readChunks, type InputFile, type RecordChunk } from './records.js';
import { REPORT_LEGEND } from './report.js';
import { runSummaryLine } from './run-summary.js';

export const ATTRIBUTE_USAGE =
  '  agent-credit attribute <file.jsonl | file.ndjson | file.json | directory> [-o out.jsonl] [--format signals|dpo|kto|prm|rewards|summary]\n' +
  '                         [--from auto|episode|openai|responses|ag2|autogen|langchain|otel|text|whowhen]\n' +
  '                         [--id-from record|file|both] [--skip-invalid] [--workers N] [--report report.html]\n' +
  '                         [--agent NAME | --split-by-agent DIR] [--system-turn system|fold] [--prm-until-first-error] [--prm-max-steps K] [--prm-max-chars N]\n' +
  ATTRIBUTION_USAGE + '\n' +
  JUDGED_USAGE;

const ATTRIBUTE_HELP = `Usage:
${ATTRIBUTE_USAGE}

Episodes in, one JSON line per output row out.
  input            a .jsonl/.ndjson file (one record per line), a .json file (one record, or an array
                   of records unless the array is itself a transcript: chat messages, items, spans), or
                   a directory: its .jsonl, .ndjson and .json files (any letter case), links followed,
                   in path order
  -o, --output     write the rows to this file (default, and with -o -: stdout); it must not be one of the inputs
  --format         signals (default), dpo, kto, prm, rewards, or summary: a readable report
                   (the same as agent-credit summary on the signals rows)
  --from           the input format: auto (default: each record sniffed), episode, openai (chat
                   messages), responses (Responses API / Agents SDK items), ag2, autogen, langchain
                   (messages, LangGraph checkpoints), otel (OTLP JSON or span lists: GenAI or
                   OpenInference attributes), text (speaker-line logs), whowhen
  --id-from        episode ids: record (default: the record's id; one that repeats an earlier id is
                   prefixed with its file and line), file (file name, and line in JSONL) or both
  --skip-invalid   report and skip bad records instead of stopping at the first one (and, when judged,
                   episodes the judge cannot judge: over the model's context, replies that never fit)
  --agent NAME     keep only this agent's rows (dpo, kto, prm, rewards); an agent no episode has is an error
                   (a judged run judges only the episodes it is an agent of)
  --split-by-agent DIR
                   write DIR/<agent>.<format>.jsonl, one file per agent, instead of one output
  --system-turn    system (default): rows open with a system turn naming the agent and its role;
                   fold: that text opens the first user turn, for chat templates without a system turn
  --prm-until-first-error
                   PRM rows end at their first false step
  --prm-max-steps K
                   PRM rows of at most K steps; each later row's prompt carries the steps before it
  --prm-max-chars N
                   PRM rows of at most N characters: the prompt's oldest messages dropped first,
                   then long messages cut in the middle (each step keeps its end); an episode with a row
                   that cannot be that short is a bad record naming the smallest N that works
  --workers N      worker threads, 0 to 64 (default: one per core, up to 4; none on one core)
  --report FILE    also write one self-contained HTML file: the dataset overview and every episode
                   (charts and transcript), openable from disk, no network
${ATTRIBUTION_HELP}
${JUDGED_HELP}
  -h, --help       print this help`;

/** --prm-max-steps and --prm-max-chars: a whole number, at least 1 (Infinity when absent). */
function countFlag(flag: string, what: string, text: string | undefined): number {
  if (text === undefined) return Infinity;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
    throw new InputError(`--${flag}: expected a whole number of ${what}, at least 1, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** The rows to write, from the flags; every combination that cannot mean anything is refused here. */
function rowsPlan(flags: Record<string, string | boolean | undefined>, format: OutputFormat): RowsPlan {
  const perAgent = (AGENT_FORMATS as readonly string[]).includes(format);
  const only = (flag: string, formats: string) => new InputError(`--${flag} applies to --format ${formats}, not ${format}`);
  if (flags.agent !== undefined && !perAgent) throw only('agent', AGENT_FORMATS.join(', '));
  if (flags['split-by-agent'] !== undefined && !perAgent) throw only('split-by-agent', AGENT_FORMATS.join(', '));
  if (flags.agent === '') throw new InputError('--agent: expected an agent name, got ""');
  if (flags['split-by-agent'] === '') throw new InputError('--split-by-agent: expected a directory, got ""');
  if (flags['split-by-agent'] !== undefined && flags.agent !== undefined) {
    // The split run removes the agent files it did not write: one agent's run would delete every other agent's file.
    throw new InputError(`--agent and --split-by-agent: choose one; --split-by-agent writes every agent's file (and removes the stale ones), --agent ${flags.agent} keeps one agent's rows in one output`);
  }
  if (flags['split-by-agent'] !== undefined && flags.output !== undefined) {
    throw new InputError('--split-by-agent writes one file per agent; it cannot be combined with -o');
  }
  if (flags['prm-until-first-error'] && format !== 'prm') throw only('prm-until-first-error', 'prm');
  if (flags['prm-max-steps'] !== undefined && format !== 'prm') throw only('prm-max-steps', 'prm');
  if (flags['prm-max-chars'] !== undefined && format !== 'prm') throw only('prm-max-chars', 'prm');
  if (flags['system-turn'] !== undefined && !['dpo', 'kto', 'rewards'].includes(format)) throw only('system-turn', 'dpo, kto, rewards');
  return {
    format,
    systemTurn: flags['system-turn'] === undefined ? 'system' : choice<SystemTurn>('system-turn', flags['system-turn'] as string, SYSTEM_TURNS),
    prmUntilFirstError: flags['prm-until-first-error'] === true,
    prmMaxSteps: countFlag('prm-max-steps', 'steps', flags['prm-max-steps'] as string | undefined),
    prmMaxChars: countFlag('prm-max-chars', 'characters', flags['prm-max-chars'] as string | undefined),
    agent: (flags.agent as string | undefined) ?? null,
    split: flags['split-by-agent'] !== undefined,
  };
}

/** How rows name a file in `source`: its path inside a directory input, or its name. */
function sourceNamer(input: string, isDirectory: boolean): (file: string) => string {
  return isDirectory ? (file) => relative(input, file).split('\\').join('/') : (file) => basename(file);
}

/** The agents a message names, the first few. */
function agentList(agents: Set<string>): string {
  const names = [...agents].sort().slice(0, 20).map(terminalText);
  return agents.size > 20 ? `${names.join(', ')} and ${agents.size - 20} more` : names.join(', ');
}

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const near = misspelledName(value, allowed);
  throw new InputError(`--${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}${near ? ` (did you mean ${near}?)` : ''}`);
}

/**
 * Worker threads to use: by default one per core, up to 4 (the main thread
 * only reads and writes bytes); none on a single core.
 */
function workerCount(text: string | undefined): number {
  const cores = availableParallelism();
  if (text === undefined) return cores > 1 ? Math.min(4, cores) : 0;
  if (!/^\d+$/.test(text) || Number(text) > 64) throw new InputError(`--workers: expected an integer from 0 (no worker threads) to 64, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A progress bar on stderr, drawn only when stderr is a terminal. */
function progressBar(totalBytes: number) {
  const tty = process.stderr.isTTY === true;
  let drawn = 0;
  return {
    update(bytes: number, episodes: number, calls?: number) {
      const now = Date.now();
      if (!tty || now - drawn < 100) return;
      drawn = now;
      const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
      const width = 30;
      const filled = Math.round(fraction * width);
      const judged = calls === undefined ? '' : `, ${calls} judge calls`;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${episodes} episodes${judged}\x1b[K`);
    },
    clear() {
      if (tty && drawn > 0) process.stderr.write('\r\x1b[K');
    },
  };
}

/** The input files, named in a message (the first few). */
function listed(files: InputFile[]): string {
  const names = files.slice(0, 3).map((file) => terminalText(file.path));
  return files.length > 3 ? `${names.join(', ')} and ${files.length - 3} more` : names.join(', ');
}

/** Each row (one JSON line) of a record to its agent's file; `agents` holds the agent of each row, in order. */
async function writeByAgent(split: SplitOutput, rows: Uint8Array, agents: string[]): Promise<void> {
  let start = 0;
  for (const agent of agents) {
    const end = rows.indexOf(10, start) + 1;
    await split.write(agent, rows.subarray(start, end));
    start = end;
  }
}

/** A report entry (htmlReportEntry's JSON text) of an episode whose repeated id was renamed. */
function renamedReportEntry(entry: string, id: string): string {
  const parsed = JSON.parse(entry) as { episode: { id: string }; signals: { id: string } };
  parsed.episode.id = id;
  parsed.signals.id = id;
  return JSON.stringify(parsed);
}

export async function attributeCommand(args: string[]): Promise<void> {
  const { values: flags, positionals } = parseFlags(args, {
    output: { type: 'string', short: 'o' },
    format: { type: 'string', default: 'signals' },
    from: { type: 'string', default: 'auto' },
    'id-from': { type: 'string', default: 'record' },
    'skip-invalid': { type: 'boolean', default: false },
    workers: { type: 'string' },
    report: { type: 'string' },
    agent: { type: 'string' },
    'split-by-agent': { type: 'string' },
    'system-turn': { type: 'string' },
    'prm-until-first-error': { type: 'boolean', default: false },
    'prm-max-steps': { type: 'string' },
    ...ATTRIBUTION_FLAGS,
    ...JUDGED_FLAGS,
    'prm-max-chars': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (flags.help) {
    process.stdout.write(ATTRIBUTE_HELP + '\n');
    return;
  }
  // `-o -` is stdout, as for most tools that write files (not a file named "-").
  if (flags.output === '-') delete flags.output;
  if (positionals.length !== 1) throw new InputError(`attribute: expected exactly one input (file.jsonl, file.json or a directory)\nUsage:\n${ATTRIBUTE_USAGE}`);
  const format = choice('format', flags.format!, OUTPUT_FORMATS);
  const plan = rowsPlan(flags, format);
  const from = choice<InputFormat>('from', flags.from!, INPUT_FORMATS);
  const idFrom = choice<IdSource>('id-from', flags['id-from']!, ID_SOURCES);
  const skipInvalid = flags['skip-invalid']!;
  const options = attributionOptions(flags);
  // The bar counts episodes as they are judged and the judge's calls.
  const judged: JudgedRun | undefined = await judgedRun(flags, (episodes) => bar.update(bytesRead, episodes, judged?.judge?.usage().calls), skipInvalid, options);
  if (judged && flags.workers !== undefined) {
    throw new InputError('--workers: a judged run (--judge, --evaluator) runs on the main thread, with one judge cache and one limit on requests in flight; drop --workers');
  }
  const workers = judged ? 0 : workerCount(flags.workers);
  const agents = agentsFlag(flags.agents);
  let files: InputFile[];
  try {
    files = await inputFiles(positionals[0]);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${positionals[0]}: ${reasonOf(error)}`);
  }
  const sourceOf = sourceNamer(positionals[0], (await stat(positionals[0])).isDirectory());
  await checkRunPaths({
    files: [
      ...(flags.output ? [{ flag: '-o', path: flags.output }] : []),
      ...(flags.report !== undefined ? [{ flag: '--report', path: flags.report }] : []),
      ...(flags['judge-cache'] !== undefined ? [{ flag: '--judge-cache', path: flags['judge-cache'] }] : []),
    ],
    splitDirectory: flags['split-by-agent'],
    input: positionals[0],
    inputs: files,
  });
  await judged?.openCache();
  // Opened only now that every input file is known: -o must not be one of them.
  const split: SplitOutput | null = plan.split ? await splitOutput(flags['split-by-agent']!, format, files) : null;
  const output: Output = flags.output ? await fileOutput(flags.output, files) : stdoutOutput();
  // The report's legend goes out with the first entry (or alone at the end of a run with none), as `summary` prints it:
  // a run whose first record is bad prints its error and nothing else.
  let legend: Uint8Array | null = format === 'summary' ? new TextEncoder().encode(REPORT_LEGEND) : null;
  const report = flags.report === undefined ? null : await reportOutput(flags.report, files);
  // A paid run (judge, evaluator) goes one record at a time on this thread instead (attributeEachRecord).
  const runner = judged ? undefined : rowsRunner(workers);
  const started = performance.now();
  const counts = { episodes: 0, success: 0, failure: 0, skipped: 0, rows: 0, disagreements: 0, warnings: 0 };
  const bar = progressBar(files.reduce((sum, file) => sum + file.bytes, 0));
  let bytesRead = 0;
  let stop: InputError | undefined;
  // A judge that fails for good is not the record's fault: the summary line must not call it a bad record.
  let stoppedAt: string | null = null;
  // Chunks in flight, oldest first, each settled once its rows are written (in this order).
  const inFlight: Array<Promise<unknown>> = [];
  // Every episode id so far, across files, and where it was first seen (past 262,144 ids, on disk: memory stays near flat).
  const seen = new EpisodeIdSet();
  let idsInMemoryTold = false;
  let renamed = 0;
  const agentsSeen = new Set<string>();
  let splitFiles: { written: string[]; removed: string[] } = { written: [], removed: [] };

  // The record whose rows go on from the previous part (RowsBatch.continues): its id as written, or skipped: it is a bad record.
  let carried: { id: string | null; renamedFrom: string | null; skipped: boolean } | null = null;

  /**
   * Writes the rows of one batch, up to its first bad record unless bad records are skipped. A batch may be a part
   * of a chunk's rows: a record that goes on into the next part is checked (its id) where its rows begin, and
   * counted where they end.
   */
  const writeBatch = async (batch: RowsBatch) => {
    if (stop || output.closed) return;
    const kept: Uint8Array[] = [];
    // Rows are counted once written, so the summary line's count is what the output holds.
    let keptRows = 0;
    const rowsOf = (k: number) => batch.bytes.subarray(k === 0 ? 0 : batch.ends[k - 1], batch.ends[k]);
    // With --split-by-agent, the agent of each row: record k's rows are rowAgents[firstRow, firstRow + rows[k]).
    let firstRow = 0;
    for (let k = 0; k < batch.ids.length; firstRow += batch.rows[k], k++) {
      const source = batch.sources[k];
      let id = batch.ids[k];
      let error = batch.errors[k];
      let rows = rowsOf(k);
      // Whether this record's rows go on in the next part; whether they began in an earlier one.
      const goesOn = batch.continues && k === batch.ids.length - 1;
      const goneOn = carried;
      // A skipped record stays skipped through every part of its rows, not only the next one.
      carried = goneOn?.skipped && goesOn ? goneOn : null;
      if (goneOn?.skipped) continue;
      if (goneOn) {
        if (goneOn.renamedFrom !== null) rows = renameRows(rows, format, goneOn.renamedFrom, goneOn.id!);
        id = goneOn.id;
      } else if (error === null && id !== null) {
        // A repeated record id (two subsets of one dataset, say) is told apart by its file and line, the file named as
        // the source column names it (relative to the input directory), as --id-from file ids are.
        const place = idFrom === 'record' && source.file !== undefined ? fileEpisodeId({ ...source, file: sourceOf(source.file) }) : undefined;
        const distinct = distinctEpisodeId(id, place, seen);
        if (distinct === undefined) error = `${recordContext(id, source)}: id: duplicate episode id (also at ${seen.where(id)})`;
        else {
          if (distinct !== id) {
            rows = renameRows(rows, format, id, distinct);
            id = distinct;
            renamed++;
          }
          seen.add(id, source);
        }
        if (seen.inMemoryBecause !== null && !idsInMemoryTold) {
          idsInMemoryTold = true;
          process.stderr.write(terminalLines(`agent-credit: warning: episode ids are kept in memory, which grows with the run (about 8 bytes more than each id): ${seen.inMemoryBecause}\n`));
        }
      }
      if (error === null) {
        if (goesOn) carried = { id, renamedFrom: id === batch.ids[k] ? null : batch.ids[k], skipped: false };
        else {
          if (batch.warnings[k] !== null) {
            counts.warnings++;
            process.stderr.write(terminalLines(`agent-credit: warning: ${recordContext(id ?? undefined, source)}: ${batch.warnings[k]}\n`));
          }
          counts.episodes++;
          if (batch.success[k]) counts.success++;
          else counts.failure++;
          if (batch.disagrees[k]) counts.disagreements++;
          for (const agent of batch.agents[k]) agentsSeen.add(agent);
          if (report) report.entries.push(id === batch.ids[k] ? batch.reports[k]! : renamedReportEntry(batch.reports[k]!, id!));
        }
        if (split) {
          await writeByAgent(split, rows, batch.rowAgents.slice(firstRow, firstRow + batch.rows[k]));
          counts.rows += batch.rows[k];
        } else {
          if (rows.length > 0) kept.push(rows);
          keptRows += batch.rows[k];
        }
        continue;
      }
      // A record in error; one whose rows began in an earlier part has them written (see RowsBatch.continues).
      if (goesOn) carried = { id, renamedFrom: null, skipped: true };
      if (!skipInvalid || batch.fatal === k) {
        report?.problems.push(error);
        stop = new InputError(error);
        stoppedAt = batch.fatal === k ? judgedFailure(judged!) : 'a bad record';
        break;
      }
      counts.skipped++;
      report?.problems.push(error);
      process.stderr.write(terminalLines(`agent-credit: skipped ${error}\n`));
    }
    if (kept.length > 0 && legend) {
      kept.unshift(legend);
      legend = null;
    }
    if (kept.length > 0) await output.write(kept.length === 1 ? kept[0] : Buffer.concat(kept));
    // Rows a reader that went away (`| head`) may not have taken are not counted as written.
    if (!output.closed) counts.rows += keptRows;
  };

  // The batch being written. Batches are written one at a time, in order (each part waits for those before it), in the
  // background of the loop that reads: one that stops the run at a bad record is still writing the rows before it when
  // the loop sees the run halted.
  let settling: Promise<void> = Promise.resolve();
  const settle = (batch: RowsBatch) => (settling = writeBatch(batch));

  /** Whether the run has stopped (a bad record, a reader that went away): no more rows are made or written. */
  const halted = () => stop !== undefined || output.closed;
  // Every row of the chunks dispatched so far written (or the first failure): a chunk's rows wait for the chunks before it.
  let previous: Promise<unknown> = Promise.resolve();

  const dispatch = async (chunk: RecordChunk) => {
    const job: RowsJob = { chunk, from, plan, idFrom, source: sourceOf(chunk.file), report: report !== null, options, ...(agents ? { agents } : {}) };
    // Each part of this chunk's rows is written once every part before it is, in order.
    let last = previous;
    const inTurn = (part: RowsBatch) => {
      const turn = last.then(() => settle(part));
      last = turn;
      return turn.then(() => !halted());
    };
    if (!runner) {
      // Each episode's rows are written before the next one is paid for; a bad record or a failed judge stops it there.
      await attributeEachRecord(job, judged!.attribute, inTurn, hasAgent);
      return;
    }
    const done = runner.run(job, inTurn).then(inTurn);
    previous = done;
    // Awaited in order below; a failure after the run has stopped must not go unhandled.
    done.catch(() => undefined);
    inFlight.push(done);
    if (inFlight.length > Math.max(1, workers)) await inFlight.shift()!;
  };

  /**
   * With --agent NAME, a judged run pays only for episodes NAME is an agent of: the others would give no row.
   * The first one without NAME is named at once, before anything is paid for it, so a misspelled NAME shows
   * on the first episode, not after the whole dataset was judged. The report (--report) shows every episode,
   * so it has them judged all the same.
   */
  let passedOver = 0;
  let withoutAgentTold = false;
  const hasAgent = (episode: Episode, source: RecordSource) => {
    if (plan.agent === null || episode.agents.includes(plan.agent)) return true;
    if (!withoutAgentTold) {
      withoutAgentTold = true;
      const near = misspelledName(plan.agent, episode.agents);
      const hint = near ? `; did you mean ${JSON.stringify(near)}?` : '';
      const judgedAnyway = report ? 'are judged all the same for --report' : 'are not judged';
      process.stderr.write(terminalLines(`agent-credit: warning: ${recordContext(episode.id, source)} has no agent ${JSON.stringify(plan.agent)} (its agents: ${agentList(new Set(episode.agents))}${hint}); episodes without it give no rows for --agent and ${judgedAnyway}\n`));
    }
    if (report) return true;
    passedOver++;
    return false;
  };

  let finished = false;
  let kept: string | undefined;
  // A paid run that is interrupted says what it kept; the signal still ends it as before.
  const stopListening = judged ? onInterrupt((signal) => {
    bar.clear();
    return interruptNotice(judged, signal, flags['judge-cache']);
  }) : undefined;
  try {
    for (const file of files) {
      // OTLP export requests, one per line, are one record: a trace's spans come in several batches.
      const otlp = file.kind === 'jsonl' && (from === 'otel' || from === 'auto') && (await isOtlpLines(file.path));
      const chunks = otlp ? otlpDocument(file.path, (bytes) => (bytesRead += bytes)) : readChunks(file.path, file.kind, (bytes) => (bytesRead += bytes));
      while (!halted()) {
        let next: IteratorResult<RecordChunk>;
        try {
          next = await chunks.next();
        } catch (error) {
          throw new InputError(`cannot read ${terminalText(file.path)}: ${reasonOf(error)}`);
        }
        if (next.done) break;
        await dispatch(next.value);
        if (!judged) bar.update(bytesRead, counts.episodes);
      }
      await chunks.return(undefined);
      while (!halted() && inFlight.length > 0) await inFlight.shift()!;
      if (halted()) break;
    }
    // The rows before a bad record are all written (and counted) before the output is kept and the summary line made.
    await settling;
    // No row of an agent that no episode has was written; say so rather than leave an empty output.
    if (!stop && plan.agent !== null && agentsSeen.size > 0 && !agentsSeen.has(plan.agent)) {
      // Among hundreds of agents the list shows 20: the likely one (letter case, a typo) is named first.
      const near = misspelledName(plan.agent, [...agentsSeen]);
      const hint = near ? ` (did you mean ${JSON.stringify(near)}?)` : '';
      throw new InputError(`--agent ${plan.agent}: no episode has an agent ${JSON.stringify(plan.agent)}${hint}; the agents are ${agentList(agentsSeen)}`);
    }
    if (legend && !stop && !output.closed) await output.write(legend);
    finished = true;
  } catch (error) {
    throw withKeptReplies(error, judged, flags['judge-cache']);
  } finally {
    stopListening?.();
    bar.clear();
    seen.close();
    await runner?.close();
    // A run stopped by a bad record keeps the rows before it (for -o in <out>.partial); any other failure leaves no output behind.
    if (stop) kept = await output.keep();
    else if (finished) await output.commit().catch((error: unknown) => Promise.reject(withKeptReplies(error, judged, flags['judge-cache'])));
    else await output.abort();
    // Agent files are replaced only by a run that finished: a stopped run leaves the directory as it was.
    if (split && finished && !stop) splitFiles = await split.commit();
    else await split?.abort();
    if (report) await report.close(finished || stop !== undefined, positionals);
  }
  // Rows a bad record stopped are in <out>.partial: the summary names that file, and says -o was left as it was.
  // A stopped split run wrote no file; its summary says the directory was left as it was.
  const { written: splitWritten, removed: splitRemoved } = splitFiles;
  const staleRemoved = splitRemoved.length > 0 ? ` (${splitRemoved.length} stale ${splitRemoved.length === 1 ? 'file' : 'files'} removed)` : '';
  const splitSummary = `${splitWritten.length} ${splitWritten.length === 1 ? 'file' : 'files'} under ${flags['split-by-agent']}${staleRemoved}`;
  const written = split ? (stop ? undefined : splitSummary) : (kept ?? flags.output);
  const summary = () =>
    runSummaryLine({ counts, format, agent: plan.agent ?? undefined, output: written, seconds: (performance.now() - started) / 1000, skipInvalid, stoppedAt }) +
    (counts.warnings > 0 ? `, ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}` : '') +
    (judged ? judgeSummary(judged) : '');
  // The summary line ends this run too: printed under the bad record's error.
  const leftAsItWas = split ? flags['split-by-agent'] : kept ? flags.output : undefined;
  if (stop) throw new InputError(`${stop.message}\n${summary()}${leftAsItWas ? `; ${leftAsItWas} was left as it was` : ''}`);
  if (output.closed) return;
  if (counts.episodes + counts.skipped === 0) {
    const what = files.length === 0 ? `${positionals[0]}: no .jsonl, .ndjson or .json files` : `no records in ${listed(files)}`;
    process.stderr.write(terminalLines(`agent-credit: warning: ${what}; nothing to attribute\n`));
  }
  if (counts.disagreements > 0) process.stderr.write(`agent-credit: ${counts.disagreements} ${counts.disagreements === 1 ? "episode's first error disagrees" : "episodes' first error disagree"} with the annotated mistake agent or step (annotationAgreement in the signals)\n`);
  if (passedOver > 1) process.stderr.write(terminalLines(`agent-credit: ${passedOver} episodes without agent ${JSON.stringify(plan.agent)} were not judged (no rows for --agent ${plan.agent})\n`));
  if (renamed > 0) process.stderr.write(`agent-credit: ${renamed} episode id${renamed === 1 ? '' : 's'} repeated an earlier one and became file:line/id (--id-from file or both names every episode by its file)\n`);
  process.stderr.write(terminalLines(summary() + '\n'));
}
