// The mark of a worker pool made by createPool, where every layer can read
// it: the option schemas (core) name a pool given in the wrong place, and the
// pool contract (pool/contract.ts) types the check.

/** Marks pools made by createPool (a registered symbol, so two copies of the library still agree). */
export const POOL_BRAND: unique symbol = Symbol.for('agent-credit.pool') as never;

/** Whether `value` carries the pool mark. */
export function hasPoolBrand(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [POOL_BRAND]?: unknown })[POOL_BRAND] === true;
}
