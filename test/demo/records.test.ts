import { describe, expect, it } from 'vitest';
import { holdsSeveralRecords, InputProblems, readRecords } from '../../demo/src/records.js';

function problemsOf(name: string, text: string) {
  try {
    readRecords(name, text);
  } catch (error) {
    if (error instanceof InputProblems) return error.problems;
    throw error;
  }
  return [];
}

describe('readRecords', () => {
  it('reads a JSON document as one record starting on line 1', () => {
    const { records, jsonLines } = readRecords('a.json', '{\n  "id": "x"\n}');
    expect(jsonLines).toBe(false);
    expect(records).toEqual([{ line: 1, value: { id: 'x' }, text: '{\n  "id": "x"\n}' }]);
  });

  it('reads JSON Lines by name or by shape, skipping blank lines and keeping line numbers', () => {
    const text = '{"id": "a"}\n\n{"id": "b"}\n';
    for (const name of ['episodes.jsonl', 'pasted.json']) {
      const { records, jsonLines } = readRecords(name, text);
      expect(jsonLines).toBe(true);
      expect(records.map((r) => [r.line, (r.value as { id: string }).id])).toEqual([[1, 'a'], [3, 'b']]);
    }
  });

  it('reports every broken line of a JSONL file with its line number and keeps the others', () => {
    const { records, problems } = readRecords('x.jsonl', '{"id": "a"}\n{"id": \n{"id": "c"}\n{"id" "d"}');
    expect(records.map((r) => [r.line, (r.value as { id: string }).id])).toEqual([[1, 'a'], [3, 'c']]);
    expect(problems.map((p) => p.line)).toEqual([2, 4]);
    expect(problems[0].message).toMatch(/^not valid JSON/);
  });

  it('keeps the good lines of .ndjson, .txt and pasted JSON Lines with a bad line, reporting it by number', () => {
    const text = '{"id": "a"}\n{"id": \n{"id": "c"}\n{"id": "d"}';
    for (const name of ['runs.ndjson', 'runs.txt', 'pasted.json']) {
      const { records, problems, jsonLines } = readRecords(name, text);
      expect(jsonLines, name).toBe(true);
      expect(records.map((r) => r.line), name).toEqual([1, 3, 4]);
      expect(problems.map((p) => p.line), name).toEqual([2]);
    }
    // By its name, an .ndjson file is JSON Lines even when most lines are bad.
    expect(readRecords('runs.ndjson', '{"id": "a"}\n{"id": \n{"id" "c"').problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('fails a JSONL file none of whose lines parse, naming each', () => {
    expect(problemsOf('x.jsonl', '{"id": \n{"id" "d"}').map((p) => p.line)).toEqual([1, 2]);
  });

  it('reads text that is not JSON (a speaker-line log, opened or pasted) as one text transcript', () => {
    const log = 'Task: Find the capital of France.\nplanner: Ask the researcher.\nresearcher: It is Lyon.\n';
    for (const name of ['run.txt', 'pasted.json', 'run.log']) {
      expect(readRecords(name, log), name).toEqual({ records: [{ line: 1, value: log, text: log }], jsonLines: false, problems: [] });
    }
    // Text that sets out as JSON is broken JSON, reported where it breaks.
    expect(problemsOf('run.txt', '{"messages": [\n  {"role": "user"\n}')).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/^not valid JSON/) })]);
  });

  it('places a syntax error inside a JSON document on its line', () => {
    expect(problemsOf('x.json', '{\n  "a": 1,\n  "b": [1, 2,\n}')).toEqual([
      { line: 4, field: '', message: expect.stringContaining('not valid JSON: expected a JSON value') },
    ]);
  });

  it('calls empty input empty', () => {
    expect(problemsOf('x.json', '  \n')).toEqual([{ line: null, field: '', message: 'the input is empty' }]);
  });
});

describe('holdsSeveralRecords', () => {
  it('tells a dataset from a single transcript by its lines, without parsing them', () => {
    // Lines that would not parse: the answer comes from the lines alone.
    expect(holdsSeveralRecords('runs.jsonl', '{ not json\n\n{ nor this\n')).toBe(true);
    expect(holdsSeveralRecords('run.jsonl', '\n{"messages": []}\n\n')).toBe(false);
    expect(holdsSeveralRecords('runs.txt', '{"a": 1}\n{"b": 2}')).toBe(true);
    // A JSON document over several lines is one record.
    expect(holdsSeveralRecords('run.json', '{\n  "messages": []\n}\n')).toBe(false);
    expect(holdsSeveralRecords('runs.json', '[{"a": 1},\n{"b": 2}]')).toBe(false);
  });
});
