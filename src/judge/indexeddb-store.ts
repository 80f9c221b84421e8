// A JudgeStore in the browser's IndexedDB: replies survive reloads, so a
// page that judges the same transcripts again pays nothing twice.
import { InputError } from '../core/errors.js';
import { checkKnownOptions, describe } from '../core/validate.js';
import type { JudgeStore, StoredReply } from './store.js';

/** The part of an IndexedDB factory the store calls (declared here so Node projects without DOM types can use the options type). */
export interface IndexedDBFactory {
  /** Opens (or creates) a database: IDBFactory.open. */
  open(name: string, version?: number): unknown;
}

/** Where createIndexedDBStore keeps replies. */
export interface IndexedDBStoreOptions {
  /** Database name (default `agent-credit-judge`). */
  name?: string;
  /** The IndexedDB factory (default: globalThis.indexedDB). */
  indexedDB?: IndexedDBFactory;
}

/** A JudgeStore in IndexedDB that can let go of its database. */
export interface IndexedDBStore extends JudgeStore {
  /** Closes the database connection (the next get or set opens it again). */
  close(): Promise<void>;
}

const STORE = 'replies';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * A JudgeStore in IndexedDB (one object store `replies`, keyed by the reply's hash).
 *
 * @example
 * const judge = createJudge({ baseURL, model, cache: createIndexedDBStore() });
 */
export function createIndexedDBStore(options: IndexedDBStoreOptions = {}): IndexedDBStore {
  // A misspelled name would keep the replies in the default database without a word.
  checkKnownOptions(options, ['name', 'indexedDB']);
  const { name = 'agent-credit-judge', indexedDB = globalThis.indexedDB } = options ?? {};
  if (typeof name !== 'string' || name === '') {
    throw new InputError([{ path: 'options.name', message: `expected the database name as a non-empty string, got ${describe(name)}` }], 'createIndexedDBStore');
  }
  if (indexedDB !== undefined && typeof (indexedDB as { open?: unknown }).open !== 'function') {
    throw new InputError([{ path: 'options.indexedDB', message: `expected an IndexedDB factory (with open(name, version)), got ${describe(indexedDB)}` }], 'createIndexedDBStore');
  }
  const factory = indexedDB as IDBFactory | undefined;
  if (!factory) throw new Error('createIndexedDBStore: this environment has no IndexedDB; in Node use createJsonlStore from agent-credit/node');
  let opened: Promise<IDBDatabase> | undefined;
  const database = () => {
    opened ??= new Promise((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error(`createIndexedDBStore: database ${JSON.stringify(name)} is held open by another tab at an older version`));
    });
    return opened;
  };
  return {
    async get(key) {
      const db = await database();
      return done<StoredReply | undefined>(db.transaction(STORE, 'readonly').objectStore(STORE).get(key));
    },
    async set(entry) {
      const db = await database();
      const transaction = db.transaction(STORE, 'readwrite');
      transaction.objectStore(STORE).put(entry);
      await new Promise<void>((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error ?? new Error('createIndexedDBStore: the write was aborted'));
      });
    },
    async close() {
      if (opened) (await opened).close();
      opened = undefined;
    },
  };
}
