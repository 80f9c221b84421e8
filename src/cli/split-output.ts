// `attribute --split-by-agent DIR`: one JSONL file per agent and format,
// DIR/<agent>.<format>.jsonl. The directory (its parent must exist) is made and tried before any row
// is read, so a directory that cannot be written stops the run at once. Each
// file is written to a temporary file beside it and renamed into place when
// the run ends, as -o is; a failed or interrupted run leaves none behind.
// A run that finishes then removes the agent files of its format it did not
// write, so that DIR/*.<format>.jsonl holds exactly its rows, never an earlier run's.
import { unlinkSync } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { reasonOf } from './output.js';
import { isInside } from './output-paths.js';
import { writeAll } from './write-all.js';
import type { InputFile } from './records.js';
import { terminalText } from '../core/terminal-text.js';

export interface SplitOutput {
  /** Appends one agent's rows to its file (opened on its first rows); one call at a time. */
  write(agent: string, bytes: Uint8Array): Promise<void>;
  /**
   * Renames every file into place, then removes the agent files of DIR in its format this run did not write;
   * returns the paths written, in the order their agents first had rows, and the paths removed.
   */
  commit(): Promise<{ written: string[]; removed: string[] }>;
  /** Removes every temporary file. */
  abort(): Promise<void>;
}

/** 32-bit FNV-1a of a name, in hex: tells apart agents whose names make the same file name. */
function fingerprint(name: string): string {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * A file name for an agent: its name where every character is a letter, a
 * digit, '.', '_' or '-' (and it does not start with '.'); otherwise the
 * name with the others as '_' plus a fingerprint of the name, so that no
 * agent name can reach outside the directory and two names never share a file.
 */
export function agentFileName(agent: string, format: string): string {
  const plain = /^[\p{L}\p{N}_-][\p{L}\p{N}._-]*$/u.test(agent) && agent.length <= 120;
  const base = plain ? agent : `${agent.slice(0, 60).replace(/[^\p{L}\p{N}_-]/gu, '_')}-${fingerprint(agent)}`;
  return `${base}.${format}.jsonl`;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Names agentFileName gives in `format`: the files of that format an earlier
 * run may have left. Hidden names are never agent files (nor are temporary
 * files), another format's agent files are another dataset (DIR/*.dpo.jsonl
 * stays exactly a DPO run's rows when a KTO run shares DIR), and nothing
 * else in DIR is the CLI's to remove.
 */
export function isAgentFileName(name: string, format: string): boolean {
  return !name.startsWith('.') && name.endsWith(`.${format}.jsonl`) && name.length > format.length + 7;
}

/** Makes DIR (in an existing parent), checks that files can be created in it and that it holds no input. */
export async function splitOutput(directory: string, format: string, inputs: InputFile[]): Promise<SplitOutput> {
  const cannot = (reason: string) => new InputError(`--split-by-agent ${directory}: cannot write there: ${reason}`);
  try {
    // Like -o, the parent must exist: a mistyped path is an error, not a new tree of folders.
    await mkdir(directory).catch((error: { code?: string }) => {
      if (error.code !== 'EEXIST') throw error;
    });
    if (!(await stat(directory)).isDirectory()) throw cannot('not a directory');
  } catch (error) {
    throw error instanceof InputError ? error : cannot(reasonOf(error));
  }
  const real = await realpath(directory);
  for (const input of inputs) {
    if (isInside(real, await realpath(input.path).catch(() => input.path))) {
      throw new InputError(`--split-by-agent ${directory} holds an input (${terminalText(input.path)}); choose a directory outside the inputs`);
    }
  }
  const probe = join(directory, `.agent-credit.${process.pid}.probe`);
  try {
    await (await open(probe, 'wx')).close();
    await unlink(probe);
  } catch (error) {
    throw cannot(reasonOf(error));
  }

  interface AgentFile { path: string; temporary: string; handle: FileHandle }
  const files = new Map<string, AgentFile>();
  const taken = new Map<string, string>();
  // An interrupt removes every temporary file, then ends the process as the signal would have.
  const onSignal = (signal: NodeJS.Signals) => {
    for (const file of files.values()) {
      try {
        unlinkSync(file.temporary);
      } catch {
        // already renamed or removed
      }
    }
    release();
    process.kill(process.pid, signal);
  };
  const release = () => {
    for (const name of SIGNALS) process.off(name, onSignal);
  };
  for (const name of SIGNALS) process.on(name, onSignal);

  const fileOf = async (agent: string): Promise<AgentFile> => {
    const known = files.get(agent);
    if (known) return known;
    let name = agentFileName(agent, format);
    // Case-insensitive file systems would give two agents that differ only in case one file.
    const other = taken.get(name.toLowerCase());
    if (other !== undefined && other !== agent) name = agentFileName(`${agent}\u0000`, format);
    taken.set(name.toLowerCase(), agent);
    const path = join(directory, name);
    const temporary = join(directory, `.${name}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
    let handle: FileHandle;
    try {
      handle = await open(temporary, 'wx');
    } catch (error) {
      throw new InputError(`cannot write ${path}: ${reasonOf(error)}`);
    }
    const file = { path, temporary, handle };
    files.set(agent, file);
    return file;
  };

  const abort = async () => {
    release();
    for (const file of files.values()) {
      await file.handle.close().catch(() => undefined);
      await unlink(file.temporary).catch(() => undefined);
    }
    files.clear();
  };

  return {
    async write(agent, bytes) {
      const file = await fileOf(agent);
      try {
        await writeAll(file.handle, bytes);
      } catch (error) {
        throw new InputError(`cannot write ${file.path}: ${reasonOf(error)}`);
      }
    },
    async commit() {
      const written: string[] = [];
      try {
        for (const file of files.values()) {
          await file.handle.sync();
          await file.handle.close();
          await rename(file.temporary, file.path);
          written.push(file.path);
        }
      } catch (error) {
        await abort();
        throw error instanceof InputError ? error : new InputError(`--split-by-agent ${directory}: ${reasonOf(error)}`);
      } finally {
        release();
      }
      // Stale files go only once every new file is in place: a run that fails before has removed nothing.
      const removed: string[] = [];
      let stale = '';
      try {
        const writtenNames = new Set(written.map((path) => basename(path)));
        // A case-insensitive file system may list a file this run wrote under an earlier run's spelling: never remove one of ours.
        const writtenFiles = new Set<string>();
        for (const path of written) {
          const { dev, ino } = await stat(path);
          writtenFiles.add(`${dev}:${ino}`);
        }
        for (const entry of await readdir(directory, { withFileTypes: true })) {
          if (!entry.isFile() || writtenNames.has(entry.name) || !isAgentFileName(entry.name, format)) continue;
          stale = join(directory, entry.name);
          const { dev, ino } = await lstat(stale);
          if (writtenFiles.has(`${dev}:${ino}`)) continue;
          await unlink(stale);
          removed.push(stale);
        }
      } catch (error) {
        const done = `wrote ${written.length} ${written.length === 1 ? 'file' : 'files'} and removed ${removed.length} stale ${removed.length === 1 ? 'file' : 'files'}`;
        throw new InputError(`--split-by-agent ${directory}: ${done}, but could not remove the stale ${stale || 'files'}: ${reasonOf(error)}`);
      }
      return { written, removed };
    },
    abort,
  };
}
