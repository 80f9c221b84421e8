/** One problem found in an input: where it is, and what was expected. */
export interface InputIssue {
  /** Path to the offending field, e.g. `values[5]` or `messages[2].agent`. */
  path: string;
  message: string;
}

/** Thrown for input that cannot be used; the message names every field at fault. */
export class InputError extends Error {
  override name = 'InputError';
  readonly issues: InputIssue[];

  constructor(issues: InputIssue[] | string, context?: string) {
    const list = typeof issues === 'string' ? [{ path: '', message: issues }] : issues;
    const lines = list.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    const head = context ? `${context}: ` : '';
    super(head + (lines.length === 1 ? lines[0] : `${lines.length} problems\n  - ${lines.join('\n  - ')}`));
    this.issues = list;
  }
}
