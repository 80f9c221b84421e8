/** One problem found in an input: where it is, and what was expected. */
export interface InputIssue {
  /** Path to the offending field, e.g. `values[5]` or `messages[2].agent`. */
  path: string;
  /** What was wrong and what was expected. */
  message: string;
}

/**
 * Thrown for input that cannot be used; the message names every field at fault.
 *
 * @example
 * try {
 *   await shapley({ players: ['a', 'a'], values: [0, 1, 1, 2] });
 * } catch (error) {
 *   if (error instanceof InputError) error.issues; // [{ path: 'players[1]', message: 'duplicate player name "a" ...' }]
 * }
 */
export class InputError extends Error {
  override name = 'InputError';
  /** Every problem found, each with the path of its field. */
  readonly issues: InputIssue[];

  constructor(issues: InputIssue[] | string, context?: string) {
    const list = typeof issues === 'string' ? [{ path: '', message: issues }] : issues;
    const lines = list.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    const head = context ? `${context}: ` : '';
    super(head + (lines.length === 1 ? lines[0] : `${lines.length} problems\n  - ${lines.join('\n  - ')}`));
    this.issues = list;
  }
}

/**
 * A pool call that could not finish because its worker stopped (crashed, ran
 * out of memory, or was terminated) or the pool was terminated. The pool
 * replaces a lost worker, so the same call can simply be retried.
 */
export class WorkerError extends Error {
  override name = 'WorkerError';
}
