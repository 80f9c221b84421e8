// Runs a zod schema and turns its issues into one InputError naming each path.
import type * as z from 'zod/mini';
import { InputError, type InputIssue } from './errors.js';

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text;
}

/** Parses `value` with `schema`; throws an InputError listing every issue. */
export function parseOrThrow<S extends z.ZodMiniType>(schema: S, value: unknown, context?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: InputIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  throw new InputError(issues, context);
}

/** Describes a value for an error message without dumping large objects. */
export function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 37) + '...' : value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}
