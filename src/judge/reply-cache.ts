// Replies by key: in memory, then in the caller's store. Concurrent
// judgements of the same key share one request, so nothing is paid twice
// even within a run; the shared request is aborted only when every
// judgement waiting for it has been aborted.
import type { JudgeStore, StoredReply } from './store.js';

interface Shared {
  promise: Promise<StoredReply>;
  controller: AbortController;
  waiting: number;
}

export class ReplyCache {
  private readonly memory = new Map<string, StoredReply>();
  private readonly pending = new Map<string, Shared>();

  constructor(private readonly store: JudgeStore | undefined) {}

  /** A stored reply, from memory or the store; undefined when neither has it. */
  async lookup(key: string): Promise<StoredReply | undefined> {
    const remembered = this.memory.get(key);
    if (remembered) return remembered;
    const stored = await this.store?.get(key);
    if (stored) this.memory.set(key, stored);
    return stored;
  }

  /** Forgets a reply that no longer passes the checks, so that it is asked again. */
  forget(key: string): void {
    this.memory.delete(key);
  }

  /** The reply for `key` from `ask`, made once however many judgements want it at the same time, and saved. */
  async fetch(key: string, ask: (signal: AbortSignal) => Promise<StoredReply>, signal?: AbortSignal): Promise<StoredReply> {
    let shared = this.pending.get(key);
    if (!shared || shared.controller.signal.aborted) {
      const controller = new AbortController();
      const promise = ask(controller.signal).then(async (entry) => {
        await this.store?.set(entry);
        this.memory.set(key, entry);
        return entry;
      });
      const created: Shared = { promise, controller, waiting: 0 };
      this.pending.set(key, created);
      const done = () => {
        if (this.pending.get(key) === created) this.pending.delete(key);
      };
      promise.then(done, done);
      shared = created;
    }
    return this.wait(shared, signal);
  }

  private wait(shared: Shared, signal?: AbortSignal): Promise<StoredReply> {
    signal?.throwIfAborted();
    shared.waiting++;
    return new Promise((resolve, reject) => {
      const leave = () => {
        if (--shared.waiting === 0) shared.controller.abort(signal!.reason);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', leave, { once: true });
      shared.promise.then(
        (entry) => {
          signal?.removeEventListener('abort', leave);
          resolve(entry);
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }
}
