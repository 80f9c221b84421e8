// Where `agent-credit attribute` writes its rows: stdout, or the -o file.
// The -o file is checked against the inputs before anything is opened (it
// must not be one of them), written to a temporary file beside it and renamed
// over it when the run ends, so a run that fails never leaves a cut-off file.
// A closed stdout (`| head`) is a quiet stop, as for other Unix tools.
import { constants, createWriteStream, fstatSync, unlinkSync, write as writeFd, type WriteStream } from 'node:fs';
import { chmod, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { InputError } from '../core/errors.js';
import type { InputFile } from './records.js';

/** The reason of a system error without its code and syscall: "no such file or directory". */
export function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  const match = code ? /^[A-Z0-9_]+: (.*?)(?:, \w+(?: '.*')?)?$/s.exec(text) : null;
  return match ? match[1] : text;
}

export interface Output {
  /** Writes bytes, waiting when the stream is full; throws InputError when the output fails. */
  write(bytes: Uint8Array): Promise<void>;
  /** True once the reader went away (EPIPE): stop quietly. */
  readonly closed: boolean;
  /** Ends the output; for -o, renames the temporary file into place. */
  commit(): Promise<void>;
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
      if (stream.write(bytes)) return;
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
  const once = (bytes: Uint8Array, from: number) =>
    new Promise<number>((done, fail) => writeFd(fd, bytes, from, bytes.length - from, null, (error, written) => (error ? fail(error) : done(written))));
  return {
    closed: false,
    async write(bytes: Uint8Array) {
      try {
        for (let from = 0; from < bytes.length; ) from += await once(bytes, from);
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
  return {
    write: out.write,
    get closed() {
      return out.closed;
    },
    async commit() {
      out.check();
    },
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

/**
 * Opens -o for writing, after checking that it is none of the inputs (by
 * device and inode when it exists, so links and other spellings count too).
 * Errors are InputErrors: "cannot write <path>: <reason>".
 */
export async function fileOutput(path: string, inputs: InputFile[]): Promise<Output> {
  const cannot = (reason: string) => new InputError(`cannot write ${path}: ${reason}`);
  let parent: string;
  try {
    parent = await realpath(dirname(resolve(path)));
  } catch (error) {
    throw cannot(reasonOf(error));
  }
  let target = join(parent, basename(resolve(path)));
  let existing: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    existing = await stat(target);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw cannot(reasonOf(error));
  }
  if (existing?.isDirectory()) throw cannot('is a directory');
  // Inputs were listed by stat, through links: an output that does not exist yet cannot be one of them.
  const clash = existing && inputs.find((file) => file.dev === existing.dev && file.ino === existing.ino);
  if (clash) {
    throw new InputError(
      `-o ${path} is also an input (${clash.path}): writing it would destroy what is being read; choose an output outside the inputs`,
    );
  }
  // Devices and pipes (/dev/null, a FIFO) are written in place; a file through a link is replaced where it lives.
  const direct = existing !== undefined && !existing.isFile();
  if (existing?.isFile()) target = await realpath(target).catch(() => target);
  let temporary: string | undefined;
  let stream: WriteStream;
  // An interrupted run removes its temporary file, then dies of the signal as it would have.
  // Listening starts before the file is created, so no signal can leave it behind.
  const onSignal = (signal: NodeJS.Signals) => {
    if (temporary) {
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
  const openInPlace = async () => {
    const inPlace = createWriteStream(target);
    try {
      await opened(inPlace);
    } catch (error) {
      throw cannot(reasonOf(error));
    }
    return inPlace;
  };
  if (direct) {
    stream = await openInPlace();
  } else {
    temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
    for (const name of SIGNALS) process.on(name, onSignal);
    stream = createWriteStream(temporary, { flags: 'wx', mode: existing ? Number(existing.mode) & 0o7777 : 0o666 });
    try {
      await opened(stream);
    } catch (error) {
      release();
      temporary = undefined;
      // A directory we may not create files in, holding an output we may write: write it in place.
      const code = (error as { code?: string }).code;
      if (!existing || !['EACCES', 'EPERM', 'EROFS'].includes(code ?? '')) throw cannot(reasonOf(error));
      stream = await openInPlace();
    }
    if (temporary && existing) await chmod(temporary, Number(existing.mode) & 0o7777).catch(() => undefined);
  }
  const out = sink(stream, path);
  const abort = async () => {
    release();
    out.detach();
    stream.on('error', () => undefined);
    stream.destroy();
    if (temporary) await unlink(temporary).catch(() => undefined);
    temporary = undefined;
  };
  return {
    write: out.write,
    get closed() {
      return out.closed;
    },
    abort,
    async commit() {
      try {
        await ended(stream);
        out.check();
        if (temporary) {
          const handle = await open(temporary, constants.O_RDWR);
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
          await rename(temporary, target);
          temporary = undefined;
        }
      } catch (error) {
        await abort();
        throw error instanceof InputError ? error : cannot(reasonOf(error));
      } finally {
        release();
      }
    },
  };
}
