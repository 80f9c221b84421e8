// Where `agent-credit attribute` turns chunks of records into rows: worker
// threads, one chunk per idle worker, or this thread (no workers, or a chunk
// too large for a worker). Judged runs do not come here: they go one record
// at a time on this thread (attributeEachRecord).
//
// Each worker's V8 heap is capped. Uncapped, V8 lets garbage pile up further
// between full collections the longer a run lasts, so peak memory grew with
// the file (5 M small episodes: 130 MB more than 100 k) although no data did.
// A chunk larger than LARGEST_WORKER_CHUNK (one long record) runs on this
// thread, whose heap is not capped, and so does a chunk a worker runs out of
// memory on; that worker is replaced. A worker sends a long chunk's rows in
// parts and waits for each to be taken before making the next, so what
// crosses is bounded by a part, whatever the chunk writes.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { attributeRows, type PartSink, type RowsBatch, type RowsJob } from './attribute-rows.js';

export interface RowsRunner {
  /**
   * The rows of one chunk. Given `onPart`, a chunk whose rows pass `job.piece`
   * bytes hands them to it in parts, each awaited before the next is made
   * (a worker waits too), and the last part is the result; without it, the
   * result holds every row.
   */
  run(job: RowsJob, onPart?: PartSink): Promise<RowsBatch>;
  close(): Promise<void>;
  /** Chunks that ran on this thread instead of a worker: too large for one, or one ran out of memory on them. */
  readonly ranHere: { tooLarge: number; outOfMemory: number };
}

export interface WorkerOptions {
  /** Heap limits of each worker (default WORKER_HEAP). */
  heap?: ResourceLimits;
  /** Chunks larger than this many bytes run on this thread (default LARGEST_WORKER_CHUNK). */
  largestChunk?: number;
}

/**
 * A young generation large enough that most of a 256 KiB chunk's objects die
 * in it, and an old generation that holds such a chunk many times over (a
 * chunk that does not fit runs on this thread). Measured on 5 M small
 * episodes, ids not counted: peak RSS 17% over the 100 k run's capped, 53% not.
 */
export const WORKER_HEAP: ResourceLimits = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 64 };
export const LARGEST_WORKER_CHUNK = 4 << 20;

/** Runs jobs on `workers` worker threads, or in this thread when there are none. */
export function rowsRunner(workers: number, options: WorkerOptions = {}): RowsRunner {
  if (workers === 0) return { run: (job: RowsJob, onPart?: PartSink) => attributeRows(job, onPart), close: async () => {}, ranHere: { tooLarge: 0, outOfMemory: 0 } };
  return workerRunner(workers, options);
}

function workerRunner(workers: number, options: WorkerOptions): RowsRunner {
  const heap = options.heap ?? WORKER_HEAP;
  const largestChunk = options.largestChunk ?? LARGEST_WORKER_CHUNK;
  const url = new URL('./attribute-worker.js', import.meta.url);
  const idle: Worker[] = [];
  // Jobs waiting for a worker; given null when no worker is left, to run here.
  const waiting: Array<(worker: Worker | null) => void> = [];
  const all = new Set<Worker>();
  // Workers that said they are ready: one of these that dies is replaced. One that never did (it could not start) is not, so a worker that cannot start is not started again and again.
  const proven = new WeakSet<Worker>();
  const ranHere = { tooLarge: 0, outOfMemory: 0 };
  let closing = false;

  // While a job is out, a timer keeps the process alive: the workers are unref'd, so a run whose main thread
  // has nothing left but to wait for a reply (one long record) would otherwise end with its promise unsettled.
  // (Toggling the workers' own ref instead left terminate() unsettled now and then.)
  let jobsOut = 0;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const busy = () => {
    if (jobsOut++ === 0) keepAlive = setInterval(() => {}, 1 << 30);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--jobsOut === 0) clearInterval(keepAlive);
    };
  };

  const start = () => {
    const worker = new Worker(url, { resourceLimits: heap });
    // Workers do not keep the process alive (busy() does while a job is out).
    worker.unref();
    // Errors are heard by the job running (a worker between jobs has none to report).
    worker.on('error', () => {});
    const onReady = (message: { ready?: boolean }) => {
      if (!message.ready) return;
      proven.add(worker);
      worker.off('message', onReady);
    };
    worker.on('message', onReady);
    worker.once('exit', () => {
      all.delete(worker);
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
      if (closing) return;
      if (proven.has(worker)) release(start());
      else if (all.size === 0) for (const next of waiting.splice(0)) next(null);
    });
    all.add(worker);
    return worker;
  };
  const release = (worker: Worker) => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };
  const acquire = () => new Promise<Worker | null>((resolve) => (idle.length > 0 ? resolve(idle.pop()!) : all.size === 0 ? resolve(null) : waiting.push(resolve)));
  for (let k = 0; k < workers; k++) idle.push(start());

  const onWorker = (worker: Worker, job: RowsJob, onPart: PartSink | undefined) =>
    new Promise<RowsBatch>((resolve, reject) => {
      let failure: Error | undefined;
      // Parts taken so far: a chunk run again here after the worker ran out of memory skips them.
      let parts = 0;
      // The first part onPart failed on: the worker is told to stop, and the chunk fails with it.
      let partFailure: unknown;
      const onError = (error: Error) => (failure = error);
      const onExit = (code: number) => {
        idleAgain();
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (partFailure === undefined && (failure as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          // The chunk needs more memory than a worker has: this thread has no cap. (The worker is replaced if it had proved it can start.)
          ranHere.outOfMemory++;
          attributeRows(job, onPart && skipParts(parts, onPart)).then(resolve, reject);
        } else if (partFailure !== undefined) reject(partFailure);
        else reject(new Error(`attribute worker stopped (exit code ${code})${failure ? `: ${failure.message}` : ''}`));
      };
      const onMessage = (reply: { ready?: boolean; part?: RowsBatch; batch?: RowsBatch; failure?: string }) => {
        if (reply.ready) return;
        if (reply.part) {
          parts++;
          const more = partFailure === undefined ? onPart!(reply.part) : Promise.resolve(false);
          more.then(
            (go) => worker.postMessage({ more: go }),
            (error: unknown) => {
              partFailure ??= error;
              worker.postMessage({ more: false });
            },
          );
          return;
        }
        idleAgain();
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
        release(worker);
        if (partFailure !== undefined) reject(partFailure);
        else if (reply.batch) resolve(reply.batch);
        else reject(new Error(`attribute worker failed: ${reply.failure}`));
      };
      worker.on('error', onError);
      worker.once('exit', onExit);
      worker.on('message', onMessage);
      const idleAgain = busy();
      // Copied, not transferred: the chunk stays here in case the worker cannot finish it.
      worker.postMessage({ job: onPart ? job : { ...job, piece: Infinity } });
    });

  return {
    async run(job: RowsJob, onPart?: PartSink): Promise<RowsBatch> {
      if (job.chunk.bytes.length > largestChunk) {
        ranHere.tooLarge++;
        return attributeRows(job, onPart);
      }
      const worker = await acquire();
      return worker === null ? attributeRows(job, onPart) : onWorker(worker, job, onPart);
    },
    ranHere,
    close: () => {
      closing = true;
      for (const next of waiting.splice(0)) next(null);
      return Promise.all([...all].map((worker) => worker.terminate())).then(() => undefined);
    },
  };
}

/** A part sink that passes over the first `count` parts (already taken from a worker that then ran out of memory). */
function skipParts(count: number, onPart: PartSink): PartSink {
  let skipped = 0;
  return (part) => (skipped++ < count ? Promise.resolve(true) : onPart(part));
}
