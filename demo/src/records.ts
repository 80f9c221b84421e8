// Splits loaded text into JSON records with the line each starts on: JSONL
// gives one record per non-empty line, anything else is one JSON document.
import { locateSyntaxError } from './json-locate.js';
import type { InputProblem } from './protocol.js';

export interface JsonRecord {
  /** 1-based line where the record starts in the loaded text. */
  line: number;
  value: unknown;
  /** The record's own text, to locate fields inside it. */
  text: string;
}

export class InputProblems extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(problems.map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n'));
  }
}

function syntaxProblem(text: string, firstLine: number): InputProblem {
  const located = locateSyntaxError(text);
  if (!located) return { line: firstLine, field: '', message: 'not valid JSON' };
  return {
    line: firstLine + located.line - 1,
    field: '',
    message: `not valid JSON: ${located.message} (column ${located.column})`,
  };
}

/**
 * True when the text looks like JSON Lines: a .jsonl or .ndjson name, or
 * several lines most of which hold a whole object. Most, not all: one broken
 * line must not turn a dataset into one JSON document that fails as a whole.
 */
function isJsonLines(name: string, text: string): boolean {
  if (/\.(jsonl|ndjson)$/i.test(name)) return true;
  const lines = text.split('\n').filter((line) => line.trim());
  const objects = lines.filter((line) => /^\s*\{.*\}\s*$/.test(line)).length;
  return lines.length > 1 && objects * 2 > lines.length;
}

/**
 * Whether `text` is JSON Lines with more than one record: a dataset, which
 * has no setup step. Known from its lines, without parsing any of them.
 */
export function holdsSeveralRecords(name: string, text: string): boolean {
  if (!isJsonLines(name, text)) return false;
  let records = 0;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    if (text.slice(start, end).trim() && ++records > 1) return true;
    start = end + 1;
  }
  return false;
}

/**
 * Parses `text`. A JSON document that does not parse is an error, and text
 * that does not set out as JSON is one text transcript; in JSON
 * Lines each line that does not parse is reported with its line number and
 * the other lines are kept (as the CLI's --skip-invalid does).
 */
export function readRecords(name: string, text: string): { records: JsonRecord[]; jsonLines: boolean; problems: InputProblem[] } {
  if (!text.trim()) throw new InputProblems([{ line: null, field: '', message: 'the input is empty' }]);
  if (!isJsonLines(name, text)) {
    try {
      return { records: [{ line: 1, value: JSON.parse(text), text }], jsonLines: false, problems: [] };
    } catch {
      // Text that does not set out as JSON is a log (speaker lines): the library's text adapter reads it as a string.
      if (!/^\s*[{["]/.test(text)) return { records: [{ line: 1, value: text, text }], jsonLines: false, problems: [] };
      throw new InputProblems([syntaxProblem(text, 1)]);
    }
  }
  const records: JsonRecord[] = [];
  const problems: InputProblem[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      records.push({ line: index + 1, value: JSON.parse(line), text: line });
    } catch {
      problems.push(syntaxProblem(line, index + 1));
    }
  });
  if (!records.length) throw new InputProblems(problems);
  return { records, jsonLines: true, problems };
}
