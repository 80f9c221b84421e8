// Runs a zod schema and turns its issues into one InputError naming each path.
import type * as z from 'zod/mini';
import { InputError, type InputIssue } from './errors.js';
import { terminalText } from './terminal-text.js';

/** A field's path for a message, e.g. `messages[2].agent`; a key from the record is shown as terminalText shows it. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${terminalText(String(key))}` : terminalText(String(key));
  }
  return text;
}

/** Parses `value` with `schema`; throws an InputError listing every issue. */
export function parseOrThrow<S extends z.ZodMiniType>(schema: S, value: unknown, context?: string): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues: InputIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message === ZOD_DEFAULT_MESSAGE ? plainMessage(issue) : issue.message,
  }));
  throw new InputError(issues, context);
}

/** What zod/mini says when a schema gives no message of its own: it names neither value nor expectation. */
const ZOD_DEFAULT_MESSAGE = 'Invalid input';

const EXPECTED: Record<string, string> = { string: 'a string', number: 'a number', object: 'an object', array: 'an array', boolean: 'true or false', function: 'a function' };

/** A message for an issue zod left bare: what was expected and what was given. */
function plainMessage(issue: { code: string; expected?: unknown; input?: unknown }): string {
  const given = `got ${issue.input === undefined ? 'nothing' : describe(issue.input)}`;
  if (issue.code === 'invalid_type' && typeof issue.expected === 'string') return `expected ${EXPECTED[issue.expected] ?? issue.expected}, ${given}`;
  return `invalid value, ${given}`;
}

/** A non-null, non-array object: a record whose fields can be read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The most characters of a string (or a symbol's description) an error message shows. */
const SHOWN_CHARS = 40;

/**
 * A value as an error message shows it, on one line: numbers, booleans, null
 * and undefined as written, strings quoted (JSON escapes, then terminalText's)
 * and cut after about 40 characters with their length; arrays by length, and
 * objects and functions, which would not fit in a line, by their type.
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `the BigInt ${value}n`;
    case 'string': {
      const shown = shortened(value);
      return shown === value ? terminalText(JSON.stringify(value)) : `${terminalText(JSON.stringify(shown))}... (${codePoints(value)} characters)`;
    }
    case 'symbol': {
      const description = value.description ?? '';
      const shown = shortened(description);
      return `Symbol(${terminalText(shown)}${shown === description ? '' : '...'})`;
    }
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}

/** `text` itself when it is short enough to show, else its first SHOWN_CHARS - 3 UTF-16 units, never ending in half a surrogate pair. */
function shortened(text: string): string {
  if (text.length <= SHOWN_CHARS) return text;
  const end = SHOWN_CHARS - 3;
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/** Characters as a reader counts them: a surrogate pair is one. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) count--;
  }
  return count;
}

/**
 * Throws an InputError naming each key of `options` not in `known`, with the
 * nearest known name: a misspelled option would otherwise run with defaults.
 */
export function checkKnownOptions(options: unknown, known: readonly string[]): void {
  if (options === undefined || options === null) return;
  // Callers join option groups that share names (budget, seed, signal): each is listed once, where it first appears.
  const names = [...new Set(known)];
  if (!isRecord(options)) throw new InputError(`options: expected an object of options (${names.join(', ')}), got ${describe(options)}`);
  const issues = Object.keys(options)
    .filter((key) => !names.includes(key))
    .map((key) => {
      const near = nearestName(key, names);
      return { path: `options.${key}`, message: `unknown option${near ? ` (did you mean ${near}?)` : ''}; expected one of ${names.join(', ')}` };
    });
  if (issues.length > 0) throw new InputError(issues);
}

/** The name nearest to `key` (letter case ignored) within 2 edits, the first in `names` on a tie; undefined when none is that near. */
export function nearestName(key: string, names: readonly string[]): string | undefined {
  return closestName(key, names, () => 2);
}

/**
 * The name in `names` fewest edits from `key` (letter case ignored), the first
 * on a tie, among those at most `allowed(name)` edits away; else undefined.
 */
function closestName(key: string, names: readonly string[], allowed: (name: string) => number): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= allowed(name) && distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

/** Edits from a to b: insertions, deletions, substitutions and swaps of two neighbours ("budgte" is 1 from "budget"), each 1. */
function editDistance(a: string, b: string): number {
  // Rows i - 2, i - 1 and i of the table (optimal string alignment distance).
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The name in `known` that `key` is most likely a misspelling of, or
 * undefined. Letter case is ignored; a name of up to 2 letters takes no
 * other edit, up to 6 letters one, longer names two: with two edits
 * everywhere, metadata keys such as `tags` or `events` would pass for
 * `task` and `agents`.
 */
export function misspelledName(key: string, known: readonly string[]): string | undefined {
  return closestName(key, known, (name) => (name.length <= 2 ? 0 : name.length <= 6 ? 1 : 2));
}

/**
 * Values computed from finite inputs are non-finite only when the sums
 * overflow: an error, never infinities or NaN as credit (tables, built-in and
 * evaluator games alike).
 */
export function finiteSums<T extends ArrayLike<number>>(values: T, field = 'values'): T {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(`${field}: the sums overflow float64 (values near the largest double); scale the values down`);
  }
  return values;
}
