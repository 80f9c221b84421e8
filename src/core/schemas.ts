// zod schemas for the inputs of the attribution API, exported so users can
// validate their own data before calling in. zod/mini keeps browser bundles small.
import * as z from 'zod/mini';
import { describe } from './validate.js';
import { hasPoolBrand } from './pool-brand.js';

/** Names of the players (agents); non-empty and unique. */
export const playersSchema = z
  .array(z.string().check(z.minLength(1, 'player names must be non-empty strings')), {
    error: 'expected an array of player names',
  })
  .check(
    z.minLength(1, 'expected at least one player'),
    z.superRefine((players, ctx) => {
      const seen = new Map<string, number>();
      players.forEach((name, index) => {
        const first = seen.get(name);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [index],
            message: `duplicate player name ${JSON.stringify(name)} (also at players[${first}]); expected unique names`,
            input: name,
          });
        } else seen.set(name, index);
      });
    }),
  );

const valuesSchema = z.custom<Float64Array | number[]>(
  (value) => value instanceof Float64Array || Array.isArray(value),
  { error: 'expected a Float64Array or an array of numbers, one per coalition mask' },
);

/** `{ players, values }` where values[mask] is v(S) and bit i of mask is players[i]. */
export const tableGameSchema = z.object({
  players: playersSchema,
  values: valuesSchema,
});

/** How shapley() computes: 'exact', a sampler ('permutation', 'stratified', 'kernel', 'svarm', 'msr') or 'auto'; results report the one that ran (never 'auto'). */
export type Method = 'exact' | 'permutation' | 'stratified' | 'kernel' | 'svarm' | 'msr' | 'auto';

// Spelled out above (not inferred from the schema) so the reference documents it on its own.
const METHODS = ['exact', 'permutation', 'stratified', 'kernel', 'svarm', 'msr', 'auto'] as const satisfies readonly Method[];

export const methodSchema = z.enum(METHODS, {
  error: (issue) => `expected one of ${METHODS.join(', ')}; got ${describe(issue.input)}${hasPoolBrand(issue.input) ? ' (a worker pool: pass it as { pool })' : ''}`,
});

function integerAtLeast(minimum: number, what: string) {
  return z.number({ error: `expected ${what} as a number` }).check(
    z.refine((n) => Number.isSafeInteger(n) && n >= minimum, {
      error: (issue) => `expected ${what} as an integer >= ${minimum}, got ${String(issue.input)}`,
    }),
  );
}

/** The options of {@link shapley}: `method`, `budget` (an integer >= 1) and `seed` (an integer >= 0). */
export const shapleyOptionsSchema = z.looseObject({
  method: z.optional(methodSchema),
  budget: z.optional(integerAtLeast(1, 'the budget (evaluations of v)')),
  seed: z.optional(integerAtLeast(0, 'the seed')),
});


/** A finite number > 0 (or >= 0 with `zeroAllowed`). */
function positiveNumber(what: string, zeroAllowed = false) {
  return z.number({ error: `expected ${what} as a number` }).check(
    z.refine((x) => Number.isFinite(x) && (x > 0 || (zeroAllowed && x === 0)), {
      error: (issue) => `expected ${what} as a finite number ${zeroAllowed ? '>=' : '>'} 0, got ${String(issue.input)}`,
    }),
  );
}

/** `{ players, evaluate }`: evaluate(coalition) returns v(S) for the named players, possibly asynchronously. */
export const evaluatorGameSchema = z.object({
  players: playersSchema,
  /** (coalition: string[]) => number | Promise<number> */
  evaluate: z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    error: 'expected a function (coalition: string[]) => number | Promise<number>',
  }),
  // A game with a table or a built-in kind beside evaluate would be run on
  // evaluate alone, the table ignored in silence.
  values: z.optional(notBeside('values (a value table)')),
  builtin: z.optional(notBeside('builtin (a built-in game)')),
});

function notBeside(what: string) {
  return z.custom<never>(() => false, {
    error: `a game holds either evaluate or ${what}, not both; expected one of { players, evaluate } and { players, values }`,
  });
}

/** Options of shapley() for evaluator games, on top of method, budget and seed. */
export const evaluatorOptionsSchema = z.extend(shapleyOptionsSchema, {
  concurrency: z.optional(integerAtLeast(1, 'concurrency (evaluate calls in flight)')),
  retries: z.optional(integerAtLeast(0, 'retries (further attempts per failed call)')),
  retryDelayMs: z.optional(positiveNumber('retryDelayMs (ms before the first retry)', true)),
  tolerance: z.optional(positiveNumber('the tolerance (largest standard error)')),
  timeoutMs: z.optional(positiveNumber('timeoutMs')),
  signal: z.optional(
    z.custom<AbortSignal>((value) => typeof AbortSignal !== 'undefined' && value instanceof AbortSignal, {
      error: 'expected an AbortSignal (from new AbortController().signal)',
    }),
  ),
  /** ({ evaluations, budget, maxStderr, elapsedMs }) => void */
  onProgress: z.optional(
    z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
      error: 'expected a function ({ evaluations, budget, maxStderr, elapsedMs }) => void',
    }),
  ),
});
