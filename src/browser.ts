// The browser entry of the worker pool (agent-credit/pool): module Web
// Workers. Kept apart from the main entry, which stays small without it.
export { createPool } from './pool/start-browser.js';
export { canShareWasmMemory, createSharedTable } from './pool/shared-table.js';
export type { Pool, PoolHandle, PoolOptions } from './pool/contract.js';
