// Finds where things are in JSON text, so an error can name a line: the
// line of the value at a field path, or the place where the text stops being
// JSON. Only run on failure, so it favours clarity over speed.

export interface TextPosition {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Splits a field path as printed in errors (`messages[2].agent`) into keys. */
export function parseFieldPath(field: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    keys.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return keys;
}

class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

/** A recursive-descent walk over JSON text that remembers where the target path leads. */
class Scanner {
  private at = 0;
  /** Offset of the deepest value found along the target path. */
  deepest = 0;

  constructor(private readonly text: string, private readonly target: readonly (string | number)[]) {}

  document(): void {
    this.value(0, true);
    this.space();
    if (this.at < this.text.length) this.fail('unexpected text after the JSON value');
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(this.at, message);
  }

  private space(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  private value(depth: number, onPath: boolean): void {
    this.space();
    if (onPath) this.deepest = this.at;
    const char = this.text[this.at];
    if (char === '{') this.object(depth, onPath);
    else if (char === '[') this.array(depth, onPath);
    else if (char === '"') this.string();
    else if (char === '-' || (char >= '0' && char <= '9')) this.number();
    else this.literal();
  }

  private object(depth: number, onPath: boolean): void {
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail('expected a property name in double quotes');
      const key = this.string();
      this.space();
      if (this.text[this.at] !== ':') this.fail(`expected ':' after the property name ${JSON.stringify(key)}`);
      this.at++;
      this.value(depth + 1, onPath && depth < this.target.length && String(this.target[depth]) === key);
      if (this.separator('}')) return;
    }
  }

  private array(depth: number, onPath: boolean): void {
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(depth + 1, onPath && depth < this.target.length && Number(this.target[depth]) === index);
      if (this.separator(']')) return;
    }
  }

  /** Consumes ',' (returns false) or the closing bracket (returns true). */
  private separator(close: string): boolean {
    this.space();
    const char = this.text[this.at];
    if (char === ',') {
      this.at++;
      return false;
    }
    if (char === close) {
      this.at++;
      return true;
    }
    this.fail(char === undefined ? `the text ends before the closing '${close}'` : `expected ',' or '${close}'`);
  }

  private string(): string {
    const start = this.at;
    this.at++;
    while (this.at < this.text.length && this.text[this.at] !== '"') {
      if (this.text[this.at] === '\\') this.at++;
      else if (this.text.charCodeAt(this.at) < 32) this.fail('unescaped control character in a string');
      this.at++;
    }
    if (this.at >= this.text.length) {
      this.at = start;
      this.fail('a string is never closed');
    }
    this.at++;
    try {
      return JSON.parse(this.text.slice(start, this.at)) as string;
    } catch {
      this.at = start;
      this.fail('invalid escape in a string');
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    this.at += match[0].length;
  }

  private literal(): void {
    const word = LITERALS.find((candidate) => this.text.startsWith(candidate, this.at));
    if (!word) this.fail(this.at >= this.text.length ? 'the text ends where a value was expected' : 'expected a JSON value');
    this.at += word.length;
  }
}

/** Where the value at `path` starts (or its deepest existing parent); null if the text is not JSON. */
export function locatePath(text: string, path: readonly (string | number)[]): TextPosition | null {
  const scanner = new Scanner(text, path);
  try {
    scanner.document();
  } catch (error) {
    if (error instanceof JsonSyntaxError) return null;
    throw error;
  }
  return positionAt(text, scanner.deepest);
}

/** Where and why `text` is not JSON; null when it is. */
export function locateSyntaxError(text: string): (TextPosition & { message: string }) | null {
  try {
    new Scanner(text, []).document();
    return null;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ...positionAt(text, error.offset), message: error.message };
    throw error;
  }
}

/**
 * The 1-based line on which each element of a top-level JSON array starts, in
 * one pass over `text` (valid JSON): locating each element by its path would
 * scan the text once per element, quadratic in a file of many episodes.
 */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character (never a newline in valid JSON)
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (expectElement && depth === 1 && c !== 93) {
      lines.push(line);
      expectElement = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth === 1 && c === 91) expectElement = true;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 1) expectElement = true;
  }
  return lines;
}
