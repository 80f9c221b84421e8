// Streaming record texts out of episode files: JSONL line by line (constant
// memory, 1-based line numbers), a .json file as one text, a directory as its
// .json/.jsonl files in path order. Parsing happens later, where the records
// are attributed (possibly in a worker).
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordSource } from './episode.js';

/** The text of one record (a JSONL line or a whole .json file) and where it came from. */
export interface RecordText {
  text: string;
  source: RecordSource;
}

export interface InputFile {
  path: string;
  bytes: number;
}

const BLANK = /^\s*$/;
const isEpisodeFile = (name: string) => name.endsWith('.jsonl') || name.endsWith('.json');

/** The files an input path stands for: itself, or the .json/.jsonl files under a directory, sorted. */
export async function inputFiles(path: string): Promise<InputFile[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [{ path, bytes: info.size }];
  const files: InputFile[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await inputFiles(child)));
    else if (entry.isFile() && isEpisodeFile(entry.name)) files.push({ path: child, bytes: (await stat(child)).size });
  }
  return files;
}

/** A piece of an input file holding whole records: a .json file, or complete lines of a .jsonl file, as UTF-8 bytes. */
export interface RecordChunk {
  file: string;
  /** Its own buffer, so it can be transferred to a worker without a copy. */
  bytes: Uint8Array;
  /** Line number of the chunk's first line in a .jsonl file; null for a .json file (one record). */
  firstLine: number | null;
}

const NEWLINE = 10;

/**
 * The chunks of one file (about 1 MiB each, cut at line ends), as bytes: the
 * reader neither decodes nor splits records, it only counts lines.
 * `onBytes` reports progress.
 */
export async function* readChunks(file: string, onBytes: (bytes: number) => void): AsyncGenerator<RecordChunk> {
  if (!file.endsWith('.jsonl')) {
    const bytes = new Uint8Array(await readFile(file));
    onBytes(bytes.length);
    yield { file, bytes, firstLine: null };
    return;
  }
  let rest: Buffer = Buffer.alloc(0);
  let line = 1;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    onBytes((chunk as Buffer).length);
    const data = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const cut = data.lastIndexOf(NEWLINE) + 1;
    rest = Buffer.from(data.subarray(cut));
    if (cut === 0) continue;
    yield { file, bytes: new Uint8Array(data.subarray(0, cut)), firstLine: line };
    line += countLines(data, cut);
  }
  if (rest.length > 0) yield { file, bytes: new Uint8Array(rest), firstLine: line };
}

function countLines(data: Buffer, end: number): number {
  let count = 0;
  for (let at = data.indexOf(NEWLINE); at !== -1 && at < end; at = data.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** The records of a chunk: a .json file's text, or each non-blank line with its line number. */
export function recordTexts(chunk: RecordChunk): RecordText[] {
  const text = new TextDecoder().decode(chunk.bytes);
  const { file } = chunk;
  if (chunk.firstLine === null) return [{ text, source: { file } }];
  const records: RecordText[] = [];
  let line = chunk.firstLine;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const body = text.slice(start, end);
    if (!BLANK.test(body)) records.push({ text: body, source: { file, line } });
    line++;
    start = end + 1;
  }
  return records;
}
