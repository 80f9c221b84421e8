import type { CoalitionCache } from './coalition-cache.js';
import { terminalText } from '../core/terminal-text.js';

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
    const reason = reasonOf(cause);
    const tries = attempts === 1 ? '' : ` (${attempts} attempts)`;
    super(`evaluate failed for coalition {${coalition.map(terminalText).join(', ')}}${tries}: ${reason}`);
  }
}

/** What went wrong, in words; a cause whose message or toString throws is described by its type instead. */
function reasonOf(cause: unknown): string {
  try {
    return cause instanceof Error ? String(cause.message) : String(cause);
  } catch {
    return `the error thrown cannot be shown as text (its message or toString threw)`;
  }
}
