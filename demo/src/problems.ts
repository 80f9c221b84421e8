// Turns errors thrown while reading a record into located input problems.
import { InputError } from 'agent-credit';
import { locatePath, parseFieldPath } from './json-locate.js';
import type { InputProblem } from './protocol.js';
import type { JsonRecord } from './records.js';

/** The line, in the whole loaded text, of `field` inside `record`. */
export function lineOfField(record: JsonRecord, field: string): number {
  const position = locatePath(record.text, parseFieldPath(field));
  return record.line + (position ? position.line - 1 : 0);
}

/** The detector's advice names the CLI's flag; on this page the format is chosen in a menu. */
function forThePage(message: string): string {
  return message.replace(/Name the format with --from (to see every field at fault\.)$/, 'Choose the format under "Input format and method" $1');
}

/** Problems for an error raised while attributing `record`; `prefix` places the record inside its document. */
export function problemsOf(error: unknown, record: JsonRecord, prefix = ''): InputProblem[] {
  if (error instanceof InputError) {
    return error.issues.map((issue) => {
      const { path, message } = issue.path ? issue : splitLeadingField(issue.message);
      const field = joinPath(prefix, path);
      return { line: lineOfField(record, field), field, message: forThePage(message) };
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ line: lineOfField(record, prefix), field: prefix, message }];
}

/**
 * Some library errors carry their field in the message ("values[5] (mask 5 =
 * {a, c}): expected a finite number"); take it out so it can be located.
 */
function splitLeadingField(message: string): { path: string; message: string } {
  const match = /^([A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*)(?=:| \()/.exec(message);
  if (!match) return { path: '', message };
  return { path: match[1], message: message.slice(match[1].length).replace(/^:\s*/, '') };
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}
