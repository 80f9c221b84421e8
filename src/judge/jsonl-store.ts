// A JudgeStore in a JSON-lines file (Node only; exported from
// agent-credit/node): one reply per line, appended as it arrives, so a run
// that is killed keeps everything judged before it died and the same command
// resumes with only the missing calls.
import { appendFile, readFile, truncate } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { describe, isRecord } from '../core/validate.js';
import type { JudgeStore, StoredReply } from './store.js';

function entryOf(line: string): StoredReply | undefined {
  try {
    const entry = JSON.parse(line) as unknown;
    return isRecord(entry) && typeof entry.key === 'string' && 'reply' in entry ? (entry as unknown as StoredReply) : undefined;
  } catch {
    return undefined;
  }
}

/** A JudgeStore in a JSON-lines file. */
export interface JsonlStore extends JudgeStore {
  /**
   * Reads the file now instead of at the first `get`, so that a file that is
   * not a judge cache is an error before anything is paid for; reads it once
   * however often it is called.
   */
  load(): Promise<void>;
}

/**
 * A JudgeStore in the JSON-lines file at `path` (created on the first reply).
 * A line that is not a stored reply is an error naming it, except a last line
 * cut short by a killed run, which is skipped and written over.
 *
 * @example
 * const judge = createJudge({ baseURL, model, cache: createJsonlStore('judge-cache.jsonl') });
 */
export function createJsonlStore(path: string): JsonlStore {
  if (typeof path !== 'string' || path === '') throw new InputError([{ path: 'path', message: `expected the cache file's path as a non-empty string, got ${describe(path)}` }], 'createJsonlStore');
  let loaded: Promise<Map<string, StoredReply>> | undefined;
  /** Whether the file's last byte is a newline (or the file is empty): where the next line may start. */
  let atLineStart = true;
  let writing: Promise<void> = Promise.resolve();
  /**
   * The first append that failed (a full disk, a file-size limit). It may
   * have left part of a line, which the next run's load cuts off; a later
   * line appended behind it would be a corrupt line in the middle, so every
   * later set fails with it.
   */
  let appendFailure: Error | undefined;

  async function load(): Promise<Map<string, StoredReply>> {
    const entries = new Map<string, StoredReply>();
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return entries;
      throw error;
    }
    const complete = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes.subarray(0, complete).toString('utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const entry = entryOf(line);
      if (!entry) throw new InputError([{ path: `line ${i + 1}`, message: 'expected a stored judge reply { key, judgement, model, prompt, reply, ... } as one JSON object (the file is not a judge cache, or was edited: delete that line, and its reply is asked again; or give another cache file)' }], path);
      entries.set(entry.key, entry);
    });
    const tail = bytes.subarray(complete).toString('utf8');
    if (tail.trim() !== '') {
      const entry = entryOf(tail);
      if (entry) {
        entries.set(entry.key, entry);
        atLineStart = false;
      } else {
        // A line cut short when a run was killed: the reply it held is asked again.
        await truncate(path, complete);
      }
    }
    return entries;
  }
  const entries = () => (loaded ??= load());

  return {
    async load() {
      await entries();
    },
    async get(key) {
      return (await entries()).get(key);
    },
    async set(entry) {
      const map = await entries();
      map.set(entry.key, entry);
      const line = `${atLineStart ? '' : '\n'}${JSON.stringify(entry)}\n`;
      atLineStart = true;
      const appended = writing.then(async () => {
        if (appendFailure) throw appendFailure;
        try {
          await appendFile(path, line, 'utf8');
        } catch (error) {
          // Named by path: the error reaches a user as the judgement's failure, and ENOSPC alone does not say which file.
          appendFailure = new Error(`cannot append to the judge cache ${path}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
          throw appendFailure;
        }
      });
      writing = appended.catch(() => undefined);
      await appended;
    },
  };
}
