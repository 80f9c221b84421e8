// Where `agent-credit attribute` writes its rows: stdout, or the -o file.
// The -o file is checked against the inputs before anything is opened (it
// must not be one of them), written to a temporary file beside it and renamed
// over it when the run succeeds, so a run that fails never leaves a cut-off
// file; a run stopped by a bad record keeps its rows in `<out>.partial`.
// A closed stdout (`| head`) is a quiet stop, as for other Unix tools.
import { createWriteStream, fstatSync, unlinkSync, write as writeFd, type WriteStream } from 'node:fs';
import { chmod, open, readdir, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { InputError } from '../core/errors.js';
import type { InputFile } from './records.js';
import { terminalText } from '../core/terminal-text.js';
import { LARGEST_WRITE, writeAll, type ByteWriter } from './write-all.js';

/** The reason of a system error without its code and syscall: "no such file or directory". */
export function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  const match = code ? /^[A-Z0-9_]+: (.*?)(?:, \w+(?: '.*')?)?$/s.exec(text) : null;
  return match ? match[1] : text;
}

export interface Output {
  /** Writes every byte, waiting when the stream is full; throws InputError when the output fails. One call at a time. */
  write(bytes: Uint8Array): Promise<void>;
  /** True once the reader went away (EPIPE): stop quietly. */
  readonly closed: boolean;
  /** Ends the output; for -o, renames the temporary file into place. */
  commit(): Promise<void>;
  /**
   * Ends a run stopped by a bad record, keeping what was written: for -o,
   * the temporary file becomes `<out>.partial` (returned) and `<out>` stays as
   * it was. Rows written in place (stdout, a device) simply stay.
   */
  keep(): Promise<string | undefined>;
  /** Drops what was written; for -o, removes the temporary file (an existing output stays as it was). */
  abort(): Promise<void>;
}

/** A sink over a stream: remembers its first error; EPIPE only marks it closed. */
function sink(stream: Writable, name: string) {
  let failure: Error | undefined;
  let closed = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
    waiters.clear();
  };
  const onError = (error: Error & { code?: string }) => {
    if (error.code === 'ERR_STREAM_DESTROYED') return; // the error that destroyed it came first
    if (error.code === 'EPIPE') closed = true;
    else failure ??= error;
    wake();
  };
  stream.on('error', onError);
  stream.on('close', wake);
  const check = () => {
    if (failure) throw new InputError(`cannot write ${name}: ${reasonOf(failure)}`);
  };
  return {
    get closed() {
      return closed;
    },
    async write(bytes: Uint8Array) {
      // A stream being destroyed reports why on a later tick.
      if (stream.destroyed && !closed && !failure) await new Promise((next) => setImmediate(next));
      check();
      if (closed) return;
      if (stream.destroyed) throw new InputError(`cannot write ${name}: the stream was closed`);
      // In pieces a single write(2) can take: a file stream hands each chunk to one write call.
      for (let from = 0; from < bytes.length; from += LARGEST_WRITE) {
        if (stream.write(bytes.subarray(from, from + LARGEST_WRITE))) continue;
        await new Promise<void>((done) => {
          const resume = () => {
            stream.off('drain', resume);
            waiters.delete(resume);
            done();
          };
          waiters.add(resume);
          stream.once('drain', resume);
        });
        check();
        if (closed) return;
      }
    },
    check,
    detach: () => stream.off('error', onError),
  };
}

/**
 * Writes to a file descriptor, every byte or an InputError: Node's stdout on
 * a regular file drops the rest of a short write (a full disk, a file-size
 * limit) without a word.
 */
function descriptorSink(fd: number, name: string) {
  const descriptor: ByteWriter = {
    write: (buffer, offset, length, position) =>
      new Promise((done, fail) => writeFd(fd, buffer, offset, length, position, (error, bytesWritten) => (error ? fail(error) : done({ bytesWritten })))),
  };
  return {
    closed: false,
    async write(bytes: Uint8Array) {
      try {
        await writeAll(descriptor, bytes);
      } catch (error) {
        throw new InputError(`cannot write ${name}: ${reasonOf(error)}`);
      }
    },
    check() {},
  };
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/** Rows on stdout; a closed pipe stops the run quietly, any other failure is `cannot write stdout: <reason>`. */
export function stdoutOutput(): Output {
  const out = isRegularFile(1) ? descriptorSink(1, 'stdout') : sink(process.stdout, 'stdout');
  const end = async () => {
    out.check();
    return undefined;
  };
  return {
    write: out.write,
    get closed() {
      return out.closed;
    },
    commit: end,
    keep: end,
    async abort() {},
  };
}

function opened(stream: WriteStream): Promise<void> {
  return new Promise((done, fail) => {
    stream.once('open', () => {
      stream.off('error', fail);
      done();
    });
    stream.once('error', fail);
  });
}

function ended(stream: WriteStream): Promise<void> {
  return new Promise((done, fail) => {
    if (stream.destroyed) return stream.closed ? done() : stream.once('close', () => done());
    stream.once('error', fail);
    stream.end(() => (stream.closed ? done() : stream.once('close', () => done())));
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Where a run stopped by a bad record keeps the rows it wrote to -o. */
export function partialPath(target: string): string {
  return `${target}.partial`;
}

/**
 * The temporary file a run writes -o to: `.<name>.<host>.<pid>.<random>.tmp`
 * beside it, hidden, with an extension no run reads as input. Host and pid
 * let a later run tell a file left by a killed run from one still being written.
 */
function temporaryPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${hostTag()}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
}

/** This machine's name as it appears in temporary file names (no dots, so the name splits cleanly). */
function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9-]/g, '_') || 'host';
}

/**
 * Removes temporary files of -o left by runs on this machine whose process is
 * gone (killed with SIGKILL, or by the kernel): only files named by
 * temporaryPath for this target, this host, and a pid no longer running.
 */
async function removeStaleTemporaries(target: string): Promise<void> {
  const prefix = `.${basename(target)}.${hostTag()}.`;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[a-z0-9]+\.tmp$/.exec(name.slice(prefix.length));
    if (!match || isRunning(Number(match[1]))) continue;
    await unlink(join(dirname(target), name)).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as { code?: string }).code !== 'ESRCH';
  }
}

/**
 * Opens -o (or the file of `flag`, for messages) for writing, after checking
 * that neither it nor `<out>.partial` is one of the inputs (by device and
 * inode when it exists, so links and other spellings count too). Errors are
 * InputErrors: "cannot write <path>: <reason>".
 */
export async function fileOutput(path: string, inputs: InputFile[], flag = '-o'): Promise<Output> {
  const cannot = (reason: string) => new InputError(`cannot write ${path}: ${reason}`);
  let parent: string;
  try {
    parent = await realpath(dirname(resolve(path)));
  } catch (error) {
    throw cannot(reasonOf(error));
  }
  let target = join(parent, basename(resolve(path)));
  const statOrNothing = async (file: string) => {
    try {
      return await stat(file);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw cannot(reasonOf(error));
      return undefined;
    }
  };
  const existing = await statOrNothing(target);
  if (existing?.isDirectory()) throw cannot('is a directory');
  const inputAt = (info: Awaited<ReturnType<typeof stat>> | undefined) => info && inputs.find((file) => file.dev === info.dev && file.ino === info.ino);
  // Inputs were listed by stat, through links: an output that does not exist yet cannot be one of them.
  const clash = inputAt(existing);
  if (clash) {
    throw new InputError(
      `${flag} ${path} is also an input (${clash.path}): writing it would destroy what is being read; choose an output outside the inputs`,
    );
  }
  // Devices and pipes (/dev/null, a FIFO) are written in place; a file through a link is replaced where it lives.
  if (existing !== undefined && !existing.isFile()) return inPlaceOutput(path, target, cannot);
  const named = target;
  if (existing) target = await realpath(target).catch(() => target);
  // Beside the file -o names, or beside the file it links to (where the rename can put it).
  const shownPartial = partialPath(target === named ? path : target);
  const partialClash = inputAt(await statOrNothing(partialPath(target)));
  if (partialClash) {
    throw new InputError(`${flag} ${path}: a run stopped by a bad record would keep its rows in ${shownPartial}, which is an input (${terminalText(partialClash.path)}); choose another output`);
  }
  await removeStaleTemporaries(target);
  const temporary = temporaryPath(target);
  let created = false;
  // An interrupted run removes its temporary file, then dies of the signal as it would have.
  // Listening starts before the file is created, so no signal can leave it behind.
  const onSignal = (signal: NodeJS.Signals) => {
    if (created) {
      try {
        unlinkSync(temporary);
      } catch {
        // not created yet, or already gone
      }
    }
    release();
    process.kill(process.pid, signal);
  };
  const release = () => {
    for (const name of SIGNALS) process.off(name, onSignal);
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  let file: FileHandle;
  try {
    file = await open(temporary, 'wx', existing ? Number(existing.mode) & 0o7777 : 0o666);
    created = true;
  } catch (error) {
    release();
    // A directory that takes no new file (read-only, /proc) cannot hold the temporary file, and writing -o in place would cut it on failure.
    throw cannot(`cannot create a temporary file in ${dirname(target)} (${reasonOf(error)}); ${flag} needs a directory the run may create files in`);
  }
  if (existing) await chmod(temporary, Number(existing.mode) & 0o7777).catch(() => undefined);
  // The first write that failed: the file lacks bytes from there on, so it is neither committed nor kept as .partial.
  let failure: unknown;
  let fileClosed = false;
  const closeFile = async () => {
    if (fileClosed) return;
    fileClosed = true;
    await file.close();
  };
  const abort = async () => {
    release();
    await closeFile().catch(() => undefined);
    if (created) await unlink(temporary).catch(() => undefined);
    created = false;
  };
  /** Flushes the temporary file to disk and renames it to `to`. */
  const finish = async (to: string, what: string) => {
    try {
      if (failure !== undefined) throw cannot(reasonOf(failure));
      await file.sync();
      await closeFile();
      await rename(temporary, to);
      created = false;
    } catch (error) {
      await abort();
      throw error instanceof InputError ? error : new InputError(`cannot write ${what}: ${reasonOf(error)}`);
    } finally {
      release();
    }
  };
  return {
    async write(bytes: Uint8Array) {
      if (failure !== undefined) throw cannot(reasonOf(failure));
      try {
        await writeAll(file, bytes);
      } catch (error) {
        failure = error;
        throw cannot(reasonOf(error));
      }
    },
    // A regular file has no reader to go away.
    closed: false,
    abort,
    commit: () => finish(target, path),
    async keep() {
      await finish(partialPath(target), shownPartial);
      return shownPartial;
    },
  };
}

/** -o that is a device or a pipe: written as the rows come, nothing to replace or keep aside. */
async function inPlaceOutput(path: string, target: string, cannot: (reason: string) => InputError): Promise<Output> {
  const stream = createWriteStream(target);
  try {
    await opened(stream);
  } catch (error) {
    throw cannot(reasonOf(error));
  }
  const out = sink(stream, path);
  const end = async () => {
    try {
      await ended(stream);
    } catch (error) {
      throw cannot(reasonOf(error));
    }
    out.check();
    return undefined;
  };
  return {
    write: out.write,
    get closed() {
      return out.closed;
    },
    commit: end,
    keep: end,
    async abort() {
      out.detach();
      stream.on('error', () => undefined);
      stream.destroy();
    },
  };
}
