// The page's side of the worker: one request at a time per runner, progress
// callbacks, and Cancel, which terminates the worker (the only way to stop a
// Wasm loop mid-run) and starts a fresh one for the next request.
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
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (done: number, total: number) => void;
  onEntries?: (entries: ResultEntry[]) => void;
};

type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export class WorkerRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending: { id: number; handlers: Pending } | null = null;

  private start(): Worker {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'agent-credit demo' });
    worker.addEventListener('message', (event: MessageEvent<Response>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new RunFailed([{ line: null, field: '', message: `the worker stopped: ${event.message || 'unknown error'}` }]));
    });
    return worker;
  }

  private receive(response: Response): void {
    if (!this.pending || this.pending.id !== response.id) return;
    const { handlers } = this.pending;
    if (response.kind === 'progress') {
      handlers.onProgress?.(response.done, response.total);
      return;
    }
    if (response.kind === 'entries') {
      handlers.onEntries?.(response.entries);
      return;
    }
    this.pending = null;
    if (response.kind === 'result') handlers.resolve(response.value);
    else handlers.reject(new RunFailed(response.problems));
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
    pending?.handlers.reject(error);
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Sends one request; a request still running is cancelled first. */
  run<T>(body: RequestBody, onProgress?: (done: number, total: number) => void, onEntries?: (entries: ResultEntry[]) => void): Promise<T> {
    if (this.pending) this.cancel();
    this.worker ??= this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending = { id, handlers: { resolve: resolve as (value: unknown) => void, reject, onProgress, onEntries } };
      this.worker!.postMessage({ ...body, id } as Request);
    });
  }

  /** Stops the running request; its promise rejects with RunCancelled. */
  cancel(): void {
    if (this.pending) this.fail(new RunCancelled());
  }
}
