// The page's side of the worker: one run at a time per runner (queries for the
// last run's rows go beside it, answered in order), progress callbacks, and
// Cancel, which asks an attribution to stop between records, and otherwise
// terminates the worker (the only way to stop a Wasm loop mid-run) and starts
// a fresh one for the next request.
import type { InputProblem, Request, Response, ResultEntry } from './protocol.js';

/** A run that ended with problems in its input (or a failure inside the worker). */
export class RunFailed extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

export class RunCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

type Pending = {
  body: RequestBody;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (done: number, total: number) => void;
  onEntries?: (entries: ResultEntry[]) => void;
};

type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

/** How long a cancelled attribution may take to stop between records before its worker is terminated. */
const STOP_GRACE_MS = 1000;

export class WorkerRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  /** Requests sent and not answered yet, by id. */
  private readonly pending = new Map<number, Pending>();
  /** The run a new run replaces (attribute, inspect, playground); queries never do. */
  private current: number | null = null;
  /** Cancelled attribution runs the worker has not yet stopped, with the timer that terminates it if it does not. */
  private readonly stopping = new Map<number, ReturnType<typeof setTimeout>>();
  /** Counts the workers started: what one worker kept is gone once the count moves on. */
  generation = 0;

  private start(): Worker {
    this.generation++;
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'agent-credit demo' });
    worker.addEventListener('message', (event: MessageEvent<Response>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new RunFailed([{ line: null, field: '', message: `the worker stopped: ${event.message || 'unknown error'}` }]));
    });
    return worker;
  }

  private receive(response: Response): void {
    if (response.kind !== 'progress' && response.kind !== 'entries' && this.stopping.has(response.id)) {
      clearTimeout(this.stopping.get(response.id));
      this.stopping.delete(response.id);
    }
    const handlers = this.pending.get(response.id);
    if (!handlers) return;
    if (response.kind === 'progress') {
      handlers.onProgress?.(response.done, response.total);
      return;
    }
    if (response.kind === 'entries') {
      handlers.onEntries?.(response.entries);
      return;
    }
    this.pending.delete(response.id);
    if (this.current === response.id) this.current = null;
    if (response.kind === 'result') handlers.resolve(response.value);
    else if (response.kind === 'failure') handlers.reject(new RunFailed(response.problems));
    else handlers.reject(new RunCancelled());
  }

  /** Ends the worker: every request it had rejects with `error`. */
  private fail(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.current = null;
    this.terminate();
    for (const handlers of pending) handlers.reject(error);
  }

  private terminate(): void {
    for (const timer of this.stopping.values()) clearTimeout(timer);
    this.stopping.clear();
    this.worker?.terminate();
    this.worker = null;
  }

  /** A cancelled run did not stop in time: a fresh worker takes the requests still waiting. */
  private restart(): void {
    this.terminate();
    this.worker = this.start();
    for (const [id, handlers] of this.pending) this.worker.postMessage({ ...handlers.body, id } as Request);
  }

  private send<T>(body: RequestBody, onProgress?: (done: number, total: number) => void, onEntries?: (entries: ResultEntry[]) => void): { id: number; promise: Promise<T> } {
    this.worker ??= this.start();
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { body, resolve: resolve as (value: unknown) => void, reject, onProgress, onEntries });
      this.worker!.postMessage({ ...body, id } as Request);
    });
    return { id, promise };
  }

  /** True while a run is going (queries aside). */
  get busy(): boolean {
    return this.current !== null;
  }

  /** Sends one run; a run still going is cancelled first. */
  run<T>(body: RequestBody, onProgress?: (done: number, total: number) => void, onEntries?: (entries: ResultEntry[]) => void): Promise<T> {
    if (this.current !== null) this.cancel();
    const { id, promise } = this.send<T>(body, onProgress, onEntries);
    this.current = id;
    return promise;
  }

  /**
   * Asks for something the worker keeps from the last run (an export, preference
   * rows). Queries cancel nothing: cancelling would terminate the worker, and the
   * rows with it. The worker answers them in order.
   */
  query<T>(body: RequestBody): Promise<T> {
    return this.send<T>(body).promise;
  }

  /**
   * Stops the running request; its promise rejects with RunCancelled at once.
   * An attribution is asked to stop between two records, so the worker keeps
   * the preference rows of the episodes already shown; anything else (a Wasm
   * loop cannot be interrupted) terminates the worker.
   */
  cancel(): void {
    const id = this.current;
    if (id === null) return;
    const handlers = this.pending.get(id)!;
    if (handlers.body.kind !== 'attribute') {
      this.fail(new RunCancelled());
      return;
    }
    this.pending.delete(id);
    this.current = null;
    this.worker!.postMessage({ kind: 'cancel', id } satisfies Request);
    this.stopping.set(id, setTimeout(() => this.restart(), STOP_GRACE_MS));
    handlers.reject(new RunCancelled());
  }
}
