// Streaming records out of episode files: JSONL line by line (constant
// memory, 1-based line numbers), a .json file as one record (or, for episode
// files, an array of records), a directory as its .json/.jsonl files in order.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordSource } from './episode.js';

export interface RawRecord {
  source: RecordSource;
  /** The parsed JSON value, when the text parsed. */
  value?: unknown;
  /** Why the text did not parse. */
  invalid?: string;
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

function parsed(text: string, source: RecordSource): RawRecord {
  try {
    return { source, value: JSON.parse(text) };
  } catch (error) {
    return { source, invalid: `not valid JSON (${(error as Error).message}); a truncated or broken line?` };
  }
}

/**
 * Records of one file. `onBytes` reports progress in bytes read. A .json
 * file holding an array is a list of records when `arrayIsList` (episode
 * files); other formats' transcripts are arrays themselves.
 */
export async function* readRecords(file: string, arrayIsList: boolean, onBytes: (bytes: number) => void): AsyncGenerator<RawRecord> {
  if (!file.endsWith('.jsonl')) {
    const text = await readFile(file, 'utf8');
    onBytes(Buffer.byteLength(text));
    const record = parsed(text, { file });
    if (arrayIsList && Array.isArray(record.value)) {
      for (let k = 0; k < record.value.length; k++) yield { source: { file: `${file}[${k}]` }, value: record.value[k] };
    } else yield record;
    return;
  }
  let rest = '';
  let line = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    onBytes(Buffer.byteLength(chunk as string));
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      line++;
      const body = text.slice(start, end);
      start = end + 1;
      if (!BLANK.test(body)) yield parsed(body, { file, line });
    }
    rest = text.slice(start);
  }
  line++;
  if (!BLANK.test(rest)) yield parsed(rest, { file, line });
}
