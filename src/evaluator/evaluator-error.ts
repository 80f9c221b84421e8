import type { CoalitionCache } from './coalition-cache.js';

/**
 * Thrown when an evaluator fails on a coalition: it threw, rejected, timed out
 * or returned a non-finite number (after any retries). `cache` holds every
 * value obtained so far; pass it as `options.cache` to retry without paying
 * for them again.
 */
export class EvaluatorError extends Error {
  override name = 'EvaluatorError';

  constructor(
    /** The players of the coalition that failed. */
    readonly coalition: string[],
    /** What went wrong: the error thrown, or a description of the bad value. */
    override readonly cause: unknown,
    readonly cache: CoalitionCache,
    readonly attempts: number,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const tries = attempts === 1 ? '' : ` (${attempts} attempts)`;
    super(`evaluate failed for coalition {${coalition.join(', ')}}${tries}: ${reason}`);
  }
}
