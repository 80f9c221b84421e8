// The Node entry (agent-credit/node): the worker pool on worker_threads.
// Everything else comes from the main entry, 'agent-credit'.
export { createPool } from './pool/start-node.js';
export { canShareWasmMemory, createSharedTable } from './pool/shared-table.js';
export type { Pool, PoolOptions } from './pool/contract.js';
