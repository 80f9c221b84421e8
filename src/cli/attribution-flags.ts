// The flags of `agent-credit attribute` that set the library's attribution
// options (--reward-bound, --score-threshold, --drop-threshold), for judged
// runs and runs on recorded values alike. The errors these options fix name
// them (a credit that cannot be split within the bound, no first error
// found), so a command-line user needs a way to set each one.
import type { BatchAttributeOptions } from '../episodes/attribute.js';
import { InputError } from '../core/errors.js';

export const ATTRIBUTION_USAGE = '                         [--reward-bound B] [--score-threshold S] [--drop-threshold D]';

export const ATTRIBUTION_HELP = `  --reward-bound B every |message reward| stays within B (default 1): raise it when coalition values
                   or outcome scores run past 1 (B = 10 for scores on a 0-10 scale)
  --score-threshold S  a player's message scored below S (in [-1, 1], default -0.5) is a first error
                   by label
  --drop-threshold D   a fall of the success probability by more than D (in [0, 1], default 0.3)
                   after a player's message is a first error by prefix value`;

export const ATTRIBUTION_FLAGS = {
  'reward-bound': { type: 'string' },
  'score-threshold': { type: 'string' },
  'drop-threshold': { type: 'string' },
} as const;

type Flags = Partial<Record<keyof typeof ATTRIBUTION_FLAGS, string>>;

/** The options these flags set; one left out keeps the library's default. */
export type AttributionOptions = Pick<BatchAttributeOptions, 'bound' | 'scoreThreshold' | 'dropThreshold'>;

/** A flag's number, or undefined when the flag is absent; anything but a finite number `fits` is an error saying what it takes. */
function numberFlag(flag: string, text: string | undefined, fits: (x: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !fits(value)) throw new InputError(`--${flag}: expected ${expected}, got ${JSON.stringify(text)}`);
  return value;
}

export function attributionOptions(flags: Flags): AttributionOptions {
  const bound = numberFlag('reward-bound', flags['reward-bound'], (x) => x > 0, 'the largest |message reward| as a number > 0 (e.g. 10 for scores on a 0-10 scale)');
  const scoreThreshold = numberFlag('score-threshold', flags['score-threshold'], (x) => x >= -1 && x <= 1, 'a message score in [-1, 1]');
  const dropThreshold = numberFlag('drop-threshold', flags['drop-threshold'], (x) => x >= 0 && x <= 1, 'a fall of the success probability in [0, 1]');
  return {
    ...(bound === undefined ? {} : { bound }),
    ...(scoreThreshold === undefined ? {} : { scoreThreshold }),
    ...(dropThreshold === undefined ? {} : { dropThreshold }),
  };
}
