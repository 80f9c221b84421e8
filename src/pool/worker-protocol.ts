// How a browser pool and its worker shake hands (no side effects: the pool imports it on the main thread).

/** What a browser pool sends first: the port to serve on and a Web Lock to hold while alive. */
export interface BrowserWorkerStart {
  port: MessagePort;
  /** Held until this worker dies: browsers release a dead worker's locks, which is how the pool learns of it. */
  lock: string | null;
}

/** Posted on the worker's own channel once the lock is held, so the pool can wait for its release. */
export const LOCK_HELD = 'agent-credit:lock-held';
