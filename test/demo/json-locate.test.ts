import { describe, expect, it } from 'vitest';
import { arrayElementLines, locatePath, locateSyntaxError, parseFieldPath, positionAt } from '../../demo/src/json-locate.js';

const text = `{
  "id": "ep-1",
  "agents": ["a", "b"],
  "messages": [
    { "agent": "a", "content": "hi" },
    {
      "agent": "c",
      "content": "with \\"quotes\\" and [brackets]"
    }
  ]
}`;

describe('json-locate', () => {
  it('splits printed field paths into keys', () => {
    expect(parseFieldPath('messages[1].agent')).toEqual(['messages', 1, 'agent']);
    expect(parseFieldPath('[3].values[12]')).toEqual([3, 'values', 12]);
    expect(parseFieldPath('')).toEqual([]);
  });

  it('gives 1-based lines and columns', () => {
    expect(positionAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('finds the line of a nested field, past strings holding quotes and brackets', () => {
    expect(locatePath(text, ['messages', 1, 'agent'])?.line).toBe(7);
    expect(locatePath(text, ['messages', 0, 'content'])?.line).toBe(5);
    expect(locatePath(text, ['agents', 1])).toEqual({ line: 3, column: 19 });
    expect(locatePath(text, [])?.line).toBe(1);
  });

  it('falls back to the deepest existing parent of a missing field', () => {
    expect(locatePath(text, ['messages', 1, 'score'])?.line).toBe(6);
    expect(locatePath(text, ['outcome', 'score'])?.line).toBe(1);
  });

  it('locates syntax errors, and finds none in valid JSON', () => {
    expect(locateSyntaxError(text)).toBeNull();
    expect(locateSyntaxError('{\n  "a": [1, 2,]\n}')).toMatchObject({ line: 2, column: 14 });
    expect(locateSyntaxError('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ line: 3, message: "expected ',' or '}'" });
    expect(locateSyntaxError('{"a": "open')).toMatchObject({ line: 1, column: 7, message: 'a string is never closed' });
    expect(locateSyntaxError('[1, 2')).toMatchObject({ message: "the text ends before the closing ']'" });
    expect(locateSyntaxError('{} x')).toMatchObject({ column: 4, message: 'unexpected text after the JSON value' });
    expect(locateSyntaxError('{"a": tru}')).toMatchObject({ column: 7, message: 'expected a JSON value' });
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = ['0', '-1.5e3', '"\\u00e9"', '[]', '{}', '[01]', '"\\x"', '1.', 'nul', '[1,]', '{"a":1,}', ' true '];
    for (const sample of samples) {
      let valid = true;
      try {
        JSON.parse(sample);
      } catch {
        valid = false;
      }
      expect(locateSyntaxError(sample) === null, sample).toBe(valid);
    }
  });
});

describe('arrayElementLines', () => {
  it('gives the line of each element of a top-level array, as locatePath does, in one pass', () => {
    const value = [{ id: 'a', note: 'a "quoted" [bracket], {brace}\\\\' }, [1, [2, 3]], 'text, with comma', 4, { nested: [{ x: 1 }] }];
    for (const text of [JSON.stringify(value, null, 2), JSON.stringify(value), `[\n${value.map((v) => JSON.stringify(v)).join(',\n')}\n]`]) {
      expect(arrayElementLines(text)).toEqual(value.map((_, k) => locatePath(text, [k])!.line));
    }
    expect(arrayElementLines('[]')).toEqual([]);
    expect(arrayElementLines('{"a": [1, 2]}')).toEqual([]);
  });
});
