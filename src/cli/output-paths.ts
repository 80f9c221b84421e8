// Where a run writes, checked before anything is read or paid for: no two
// destinations are one file (a report written over the rows, rows over the
// judge cache), none lies where the run or the next one reads episodes, and
// the judge cache can be created. Compared by real location, so a link or
// another spelling of a path counts as the file it names.
import { constants } from 'node:fs';
import { access, open, realpath, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../core/errors.js';
import { fileKind, type InputFile } from './records.js';
import { reasonOf } from './output.js';
import { terminalText } from '../core/terminal-text.js';

/** A file the run writes, with the flag that names it (as the user wrote it, for messages). */
export interface Destination {
  flag: string;
  path: string;
}

export interface RunPaths {
  /** -o, --report and --judge-cache, those given. */
  files: Destination[];
  /** The --split-by-agent directory, when given. */
  splitDirectory?: string;
  /** The input argument, and the episode files found there. */
  input: string;
  inputs: InputFile[];
}

/**
 * The real path a path names: through links as far as it exists (a file
 * not yet created, in directories not yet created, is named by its nearest
 * existing ancestor's real path and the rest as written).
 */
async function realLocation(path: string): Promise<string> {
  const rest: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return join(await realpath(at), ...rest);
    } catch {
      const parent = dirname(at);
      if (parent === at) return resolve(path);
      rest.unshift(basename(at));
      at = parent;
    }
  }
}

/** Whether `path` lies below `directory` (both real, absolute paths). */
export function isInside(directory: string, path: string): boolean {
  const rest = relative(directory, path);
  return rest !== '' && !isAbsolute(rest) && rest.split(sep)[0] !== '..';
}

/** Throws an InputError when the run's destinations collide with each other, the split directory or the inputs. */
export async function checkRunPaths(paths: RunPaths): Promise<void> {
  const located = await Promise.all(paths.files.map(async (file) => ({ ...file, real: await realLocation(file.path) })));
  for (let i = 0; i < located.length; i++) {
    for (let j = 0; j < i; j++) {
      if (located[i].real === located[j].real) {
        throw new InputError(`${located[i].flag} ${located[i].path} and ${located[j].flag} ${located[j].path} are the same file; one would be written over the other, so give each a file of its own`);
      }
    }
  }
  if (paths.splitDirectory !== undefined) {
    const split = await realLocation(paths.splitDirectory);
    const inside = located.find((file) => isInside(split, file.real));
    if (inside) {
      throw new InputError(`${inside.flag} ${inside.path} lies in the --split-by-agent directory ${paths.splitDirectory}, which holds the run's rows one file per agent; put it outside that directory`);
    }
  }
  const cache = located.find((file) => file.flag === '--judge-cache');
  if (cache) await checkJudgeCache(cache, cache.real, paths);
}

/**
 * The judge cache is read at the start and appended to as replies come: it
 * must not be an episode file of this run or of the next (a cache inside an
 * input directory, named like episodes, is read as episodes when the same
 * command runs again to resume), and it must be a file the run can create
 * or append to, before any request is paid for.
 */
async function checkJudgeCache(cache: Destination, real: string, paths: RunPaths): Promise<void> {
  const info = await stat(cache.path).catch(() => undefined);
  const clash = info && paths.inputs.find((file) => file.dev === info.dev && file.ino === info.ino);
  if (clash) throw new InputError(`--judge-cache ${cache.path} is also an input (${terminalText(clash.path)}); keep the cache outside the inputs`);
  const inputInfo = await stat(paths.input).catch(() => undefined);
  if (inputInfo?.isDirectory() && fileKind(cache.path) !== null) {
    const inputDirectory = await realpath(paths.input);
    if (isInside(inputDirectory, real)) {
      throw new InputError(`--judge-cache ${cache.path} lies in the input directory ${paths.input} and is named like an episode file, so running the same command again to resume would read it as episodes; keep the cache outside ${paths.input}`);
    }
  }
  if (info?.isDirectory()) throw new InputError(`--judge-cache ${cache.path}: is a directory; expected the cache file (JSON Lines, created when missing)`);
  try {
    if (info) {
      await access(cache.path, constants.R_OK | constants.W_OK);
    } else {
      // Created and removed at once: the path can hold the cache, and a run that fails before its first reply leaves nothing.
      const handle = await open(cache.path, 'wx');
      await handle.close();
      await unlink(cache.path);
    }
  } catch (error) {
    throw new InputError(`--judge-cache ${cache.path}: cannot be ${info ? 'read and appended to' : 'created'} (${reasonOf(error)}); expected a writable file path for the judge's replies`);
  }
}
