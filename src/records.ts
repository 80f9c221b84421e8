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

/** A piece of an input file holding whole records: a .json file, or complete lines of a .jsonl file. */
export interface RecordChunk {
  file: string;
  text: string;
  /** Line number of the chunk's first line in a .jsonl file; null for a .json file (one record). */
  firstLine: number | null;
}

/**
 * The chunks of one file (about 1 MiB each, cut at line ends), so that the
 * reader does no per-record work; `onBytes` reports progress.
 */
export async function* readChunks(file: string, onBytes: (bytes: number) => void): AsyncGenerator<RecordChunk> {
  if (!file.endsWith('.jsonl')) {
    const text = await readFile(file, 'utf8');
    onBytes(Buffer.byteLength(text));
    yield { file, text, firstLine: null };
    return;
  }
  let rest = '';
  let line = 1;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    onBytes(Buffer.byteLength(chunk as string));
    const text = rest + (chunk as string);
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    if (cut === 0) continue;
    const whole = text.slice(0, cut);
    yield { file, text: whole, firstLine: line };
    line += countLines(whole);
  }
  if (rest !== '') yield { file, text: rest, firstLine: line };
}

function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** The records of a chunk: a .json file's text, or each non-blank line with its line number. */
export function recordTexts(chunk: RecordChunk): RecordText[] {
  if (chunk.firstLine === null) return [{ text: chunk.text, source: { file: chunk.file } }];
  const records: RecordText[] = [];
  const { text, file } = chunk;
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
