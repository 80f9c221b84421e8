// Streaming record texts out of episode files: JSONL line by line (constant
// memory, 1-based line numbers), a .json file as one text, a directory as its
// episode files in path order. Parsing happens later, where the records are
// attributed (possibly in a worker).
import { createReadStream } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { RecordSource } from '../episodes/episode.js';
import { InputError } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';
import { JSON_EXTENSIONS, JSONL_EXTENSIONS } from '../episodes/episode-ids.js';

/** The text of one record (a JSONL line or a whole .json file) and where it came from. */
export interface RecordText {
  text: string;
  source: RecordSource;
  /** Why the record could not be read as text (bytes that are not UTF-8); its text is then empty. */
  unreadable?: string;
}

/** How a file is read: line by line (JSONL), or as one JSON text. */
export type FileKind = 'jsonl' | 'json';

export interface InputFile {
  path: string;
  bytes: number;
  kind: FileKind;
  /** The file's device and inode, to recognize it under another name (a link, or the same path spelt differently). */
  dev: number;
  ino: number;
}

const BLANK = /^\s*$/;

const ACCEPTED = [...JSONL_EXTENSIONS, ...JSON_EXTENSIONS].join(', ');

/**
 * How a file is read, or null when its extension is not one of the accepted
 * ones. `name` is a path of this platform (node:path); ids are named from the
 * portable form the rows' `source` column gives it (episode-ids.ts).
 */
export function fileKind(name: string): FileKind | null {
  const extension = extname(name).toLowerCase();
  if ((JSONL_EXTENSIONS as readonly string[]).includes(extension)) return 'jsonl';
  if ((JSON_EXTENSIONS as readonly string[]).includes(extension)) return 'json';
  return null;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The files an input path stands for: itself (which must have an accepted
 * extension), or the episode files under a directory, sorted by name at each
 * level. Symbolic links are followed; a directory reached again (a link loop,
 * or two links to one place) and a file reached again are read once.
 */
export async function inputFiles(path: string): Promise<InputFile[]> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    const kind = fileKind(path);
    if (kind === null) throw new InputError(`${path}: not an episode file; expected a directory or a file ending in ${ACCEPTED} (any letter case)`);
    if (!info.isFile()) throw new InputError(`${path}: not a regular file`);
    return [{ path, bytes: info.size, kind, dev: info.dev, ino: info.ino }];
  }
  const files: InputFile[] = [];
  const seenDirectories = new Set<string>();
  const seenFiles = new Set<string>();
  const walk = async (directory: string) => {
    const real = await realpath(directory);
    if (seenDirectories.has(real)) return;
    seenDirectories.add(real);
    const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) => byName(a.name, b.name));
    for (const entry of entries) {
      const child = join(directory, entry.name);
      const kind = fileKind(entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target;
        try {
          target = await stat(child);
        } catch (error) {
          // A broken link named like an episode file was meant to be read; anything else is not ours.
          if (kind !== null) throw new InputError(`${terminalText(child)}: broken symbolic link (${(error as Error).message})`);
          continue;
        }
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDirectory) await walk(child);
      else if (isFile && kind !== null) {
        const target = await stat(child);
        const key = `${target.dev}:${target.ino}`;
        if (seenFiles.has(key)) continue;
        seenFiles.add(key);
        files.push({ path: child, bytes: target.size, kind, dev: target.dev, ino: target.ino });
      }
    }
  };
  await walk(path);
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
 * The chunks of one file (about 256 KiB each, cut at line ends), as bytes: the
 * reader neither decodes nor splits records, it only counts lines.
 * `onBytes` reports progress.
 */
export async function* readChunks(file: string, kind: FileKind, onBytes: (bytes: number) => void): AsyncGenerator<RecordChunk> {
  if (kind === 'json') {
    const bytes = new Uint8Array(await readFile(file));
    onBytes(bytes.length);
    yield { file, bytes, firstLine: null };
    return;
  }
  // The reads since the last line end: joined once that end arrives, since joining each read onto the rest made
  // a line of many reads (a long transcript on one line) cost time in the square of its length.
  let rest: Buffer[] = [];
  let line = 1;
  // 256 KiB: a chunk's objects mostly die young in a worker (1 MiB chunks ran slower and peaked higher).
  for await (const read of createReadStream(file, { highWaterMark: 1 << 18 })) {
    const chunk = read as Buffer;
    onBytes(chunk.length);
    const cut = chunk.lastIndexOf(NEWLINE) + 1;
    if (cut === 0) {
      rest.push(chunk);
      continue;
    }
    // new Uint8Array copies: the chunk gets a buffer of its own.
    yield { file, bytes: new Uint8Array(Buffer.concat([...rest, chunk.subarray(0, cut)])), firstLine: line };
    line += countLines(chunk, cut);
    rest = cut < chunk.length ? [chunk.subarray(cut)] : [];
  }
  if (rest.length > 0) yield { file, bytes: new Uint8Array(Buffer.concat(rest)), firstLine: line };
}

function countLines(data: Buffer, end: number): number {
  let count = 0;
  for (let at = data.indexOf(NEWLINE); at !== -1 && at < end; at = data.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** How OTLP export requests start, as the OTLP JSON exporters and the collector's file exporter write them. */
const OTLP_START = /^\s*\{\s*"resourceSpans"\s*:/;

/**
 * Whether a JSONL file holds OTLP export requests, one per line (the
 * collector's file exporter): judged from the start of its first line.
 */
export async function isOtlpLines(file: string): Promise<boolean> {
  let head = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 12 })) {
    head += chunk as string;
    const start = head.trimStart();
    if (start.length >= 32 || head.includes('\n')) return OTLP_START.test(start.split('\n')[0] || start);
  }
  return OTLP_START.test(head);
}

/**
 * A JSONL file of OTLP export requests as one record, the JSON array of its
 * lines: an exporter writes a batch of ended spans per line, so one trace's
 * spans spread over lines and come together only in the whole file (which is
 * held in memory).
 */
export async function* otlpDocument(file: string, onBytes: (bytes: number) => void): AsyncGenerator<RecordChunk> {
  const text = await readFile(file, 'utf8');
  onBytes(Buffer.byteLength(text));
  const lines = text.split('\n').filter((line) => !BLANK.test(line));
  yield { file, bytes: new TextEncoder().encode(`[${lines.join(',')}]`), firstLine: null };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The offset of the first byte that does not belong to a valid UTF-8 sequence, or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length; ) {
    const lead = bytes[at];
    // Sequence length and the range of the second byte (excluding overlongs, surrogates, > U+10FFFF).
    const [length, low, high] =
      lead < 0x80 ? [1, 0, 0] : lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf] : lead === 0xe0 ? [3, 0xa0, 0xbf] : lead === 0xed ? [3, 0x80, 0x9f]
        : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf] : lead === 0xf0 ? [4, 0x90, 0xbf] : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf] : lead === 0xf4 ? [4, 0x80, 0x8f] : [0, 0, 0];
    if (length === 0) return at;
    for (let k = 1; k < length; k++) {
      const byte = bytes[at + k];
      const [from, to] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < from || byte > to) return at;
    }
    at += length;
  }
  return -1;
}

/**
 * UTF-8 bytes as text (a leading byte order mark dropped). Bytes that are not
 * UTF-8 are an error naming their offset, never a silent U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { unreadable: string } {
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    // Windows tools (PowerShell's > and Out-File, Notepad's "Unicode") write UTF-16 with a byte order mark.
    const bom = bytes[0] === 0xff && bytes[1] === 0xfe ? 'ff fe, UTF-16 little-endian' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'fe ff, UTF-16 big-endian' : null;
    if (bom) return { unreadable: `not UTF-8 but UTF-16: it starts with the byte order mark ${bom}; save the file as UTF-8` };
    const at = invalidUtf8Offset(bytes);
    const shown = Array.from(bytes.subarray(at, at + 4), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    return { unreadable: `not valid UTF-8: bytes ${shown} at byte ${at}; save the file as UTF-8` };
  }
}

/** The records of a chunk: a .json file's text, or each non-blank line with its line number. */
export function recordTexts(chunk: RecordChunk): RecordText[] {
  const { file } = chunk;
  const decoded = decodeUtf8(chunk.bytes);
  // A .json file of white space only holds no record, as an empty .jsonl file does.
  if (chunk.firstLine === null) return 'text' in decoded && BLANK.test(decoded.text) ? [] : [{ text: 'text' in decoded ? decoded.text : '', source: { file }, ...decoded }];
  if (!('text' in decoded)) return linesOneByOne(chunk);
  const text = decoded.text;
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

/** The records of a chunk that is not all UTF-8, decoded line by line: a bad line is named with the offset in the line. */
function linesOneByOne(chunk: RecordChunk): RecordText[] {
  const records: RecordText[] = [];
  const { bytes, file } = chunk;
  let line = chunk.firstLine!;
  for (let start = 0; start < bytes.length; line++) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const decoded = decodeUtf8(bytes.subarray(start, end));
    if (!('text' in decoded)) records.push({ text: '', source: { file, line }, unreadable: decoded.unreadable.replace(/ at byte (\d+);/, ' at byte $1 of the line;') });
    else if (!BLANK.test(decoded.text)) records.push({ text: decoded.text, source: { file, line } });
    start = end + 1;
  }
  return records;
}
