// `agent-credit attribute`: episodes in, one JSON line per output row out.
// Records stream through in batches (one Wasm call per batch for the coalition
// tables); rows are written batch by batch, so memory stays flat and a run
// stopped by a bad record keeps everything written before it.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { episodeFrom, INPUT_FORMATS, type InputFormat } from './adapters/index.js';
import { attributeBatch, type Signals } from './attribute.js';
import { EpisodeError, type Episode, type RecordSource } from './episode.js';
import { InputError } from './errors.js';
import { toDpo, toKto, toPrm, toRewards } from './export.js';
import { inputFiles, readRecords } from './records.js';

export const OUTPUT_FORMATS = ['signals', 'dpo', 'kto', 'prm', 'rewards'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const ATTRIBUTE_USAGE =
  '  agent-credit attribute <file.jsonl | file.json | directory> [-o out.jsonl] [--format signals|dpo|kto|prm|rewards]\n' +
  '                         [--from episode|openai|ag2|autogen|langchain|whowhen] [--skip-invalid]';

/** Episodes per Wasm call: large enough to amortize the call, small enough to keep memory flat. */
const BATCH = 1000;

const ROWS: Record<OutputFormat, (signals: Signals, episode: Episode) => unknown[]> = {
  signals: (signals) => [signals],
  dpo: (signals) => toDpo(signals),
  kto: (signals) => toKto(signals),
  prm: (signals, episode) => toPrm(signals, episode),
  rewards: (signals) => toRewards(signals),
};

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`--${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** A progress bar on stderr, drawn only when stderr is a terminal. */
function progressBar(totalBytes: number) {
  const tty = process.stderr.isTTY === true;
  let drawn = 0;
  return {
    update(bytes: number, episodes: number) {
      const now = Date.now();
      if (!tty || now - drawn < 100) return;
      drawn = now;
      const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${episodes} episodes`);
    },
    clear() {
      if (tty && drawn > 0) process.stderr.write('\r\x1b[K');
    },
  };
}

function write(stream: Writable, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once('error', onError);
    stream.once('drain', () => {
      stream.off('error', onError);
      resolve();
    });
  });
}

export async function attributeCommand(args: string[]): Promise<void> {
  const { values: flags, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      format: { type: 'string', default: 'signals' },
      from: { type: 'string', default: 'episode' },
      'skip-invalid': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new InputError(`attribute: expected exactly one input (file.jsonl, file.json or a directory)\nUsage:\n${ATTRIBUTE_USAGE}`);
  const format = choice('format', flags.format!, OUTPUT_FORMATS);
  const from = choice<InputFormat>('from', flags.from!, INPUT_FORMATS);
  const skipInvalid = flags['skip-invalid']!;
  let files;
  try {
    files = await inputFiles(positionals[0]);
  } catch (error) {
    throw new InputError(`cannot read ${positionals[0]}: ${(error as Error).message}`);
  }
  const output: Writable = flags.output ? createWriteStream(flags.output) : process.stdout;
  const started = performance.now();
  const counts = { episodes: 0, success: 0, failure: 0, skipped: 0, rows: 0 };
  const bar = progressBar(files.reduce((sum, file) => sum + file.bytes, 0));
  let bytesRead = 0;
  let pending: Episode[] = [];
  let sources: RecordSource[] = [];
  let stop: Error | undefined;

  const reject = (error: InputError) => {
    if (!skipInvalid) {
      stop = error;
      return;
    }
    counts.skipped++;
    process.stderr.write(`agent-credit: skipped ${error.message}\n`);
  };

  const flush = async () => {
    const results = await attributeBatch(pending, {}, sources);
    let text = '';
    for (let k = 0; k < results.length && !stop; k++) {
      const result = results[k];
      if (result instanceof EpisodeError) {
        reject(result);
        continue;
      }
      counts.episodes++;
      if (result.success) counts.success++;
      else counts.failure++;
      for (const row of ROWS[format](result, pending[k])) {
        text += JSON.stringify(row) + '\n';
        counts.rows++;
      }
    }
    pending = [];
    sources = [];
    if (text) await write(output, text);
  };

  try {
    for (const file of files) {
      const seen = new Map<string, string>();
      for await (const record of readRecords(file.path, from === 'episode', (bytes) => (bytesRead += bytes))) {
        const where = record.source.line === undefined ? record.source.file! : `line ${record.source.line}`;
        try {
          if (record.invalid !== undefined) throw new EpisodeError([{ path: '', message: record.invalid }], undefined, record.source);
          const episode = episodeFrom(from, record.value, record.source, { id: defaultId(record.source) });
          const earlier = seen.get(episode.id);
          if (earlier !== undefined) throw new EpisodeError([{ path: 'id', message: `duplicate episode id (also at ${earlier})` }], episode.id, record.source);
          seen.set(episode.id, where);
          pending.push(episode);
          sources.push(record.source);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          await flush();
          reject(error);
        }
        if (!stop && pending.length >= BATCH) await flush();
        if (stop) break;
        bar.update(bytesRead, counts.episodes + pending.length);
      }
      if (stop) break;
    }
    if (!stop) await flush();
  } finally {
    bar.clear();
    if (output !== process.stdout) await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  if (stop) throw stop;
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? Math.round(counts.episodes / seconds) : counts.episodes;
  process.stderr.write(
    `attribute: ${counts.episodes} episodes (${counts.success} success, ${counts.failure} failure` +
      `${skipInvalid ? `, ${counts.skipped} skipped` : ''}) -> ${counts.rows} ${format} rows` +
      `${flags.output ? ` in ${flags.output}` : ''}, ${seconds.toFixed(2)} s (${rate} episodes/s)\n`,
  );
}

/** Transcripts without an id are named after their file (and line). */
function defaultId(source: RecordSource): string | undefined {
  if (!source.file) return undefined;
  const base = source.file.replace(/\.jsonl?$/, '');
  return source.line === undefined ? base : `${base}:${source.line}`;
}
