// zod schemas for the inputs of the attribution API, exported so users can
// validate their own data before calling in.
import { z } from 'zod';

/** Names of the players (agents); non-empty and unique. */
export const playersSchema = z
  .array(z.string().min(1, 'player names must be non-empty strings'), {
    error: 'expected an array of player names',
  })
  .min(1, 'expected at least one player')
  .superRefine((players, ctx) => {
    const seen = new Map<string, number>();
    players.forEach((name, index) => {
      const first = seen.get(name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: `duplicate player name ${JSON.stringify(name)} (also at players[${first}]); expected unique names`,
        });
      } else seen.set(name, index);
    });
  });

const valuesSchema = z.custom<Float64Array | number[]>(
  (value) => value instanceof Float64Array || Array.isArray(value),
  { error: 'expected a Float64Array or an array of numbers, one per coalition mask' },
);

/** `{ players, values }` where values[mask] is v(S) and bit i of mask is players[i]. */
export const tableGameSchema = z.object({
  players: playersSchema,
  values: valuesSchema,
});

export const methodSchema = z.enum(['exact', 'permutation', 'auto']);

const positiveInteger = (what: string) =>
  z
    .number({ error: `expected ${what} as a number` })
    .refine((n) => Number.isSafeInteger(n) && n > 0, { error: (issue) => `expected ${what} as a positive integer, got ${String(issue.input)}` });

export const shapleyOptionsSchema = z.looseObject({
  method: methodSchema.optional(),
  budget: positiveInteger('the budget (evaluations of v)').optional(),
  seed: z
    .number({ error: 'expected the seed as a number' })
    .refine((n) => Number.isSafeInteger(n) && n >= 0, { error: (issue) => `expected the seed as a non-negative integer, got ${String(issue.input)}` })
    .optional(),
});

export type Method = z.infer<typeof methodSchema>;
