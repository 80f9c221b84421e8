// The Node entry (agent-credit/node): the worker pool on worker_threads
// and the judge's JSON-lines cache file. Everything else comes from the main
// entry, 'agent-credit', and its subpaths.
export { createPool } from './pool/start-node.js';
export { canShareWasmMemory, createSharedTable } from './pool/shared-table.js';
export type { Pool, PoolHandle, PoolOptions } from './pool/contract.js';
export { createJsonlStore, type JsonlStore } from './judge/jsonl-store.js';
export type { JudgeStore, StoredReply } from './judge/store.js';
