// The naming rules the CLI, the demo and attributeEpisodes share: the id of a
// record without one, from its file (and line), and the id of an episode whose
// id repeats an earlier one's.
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distinctEpisodeId, fileEpisodeId } from '../dist/episodes.js';
import { InputError } from '../dist/index.js';

describe('fileEpisodeId', () => {
  it('is the file name without its episode-file extension, in any letter case', () => {
    expect(fileEpisodeId({ file: 'trip.json' })).toBe('trip');
    expect(fileEpisodeId({ file: 'TRIPS.JSONL' })).toBe('TRIPS');
    expect(fileEpisodeId({ file: 'trips.NdJson' })).toBe('trips');
  });

  it('adds the line of a JSON Lines record and the element of a JSON list', () => {
    expect(fileEpisodeId({ file: 'trips.jsonl', line: 7 })).toBe('trips:7');
    expect(fileEpisodeId({ file: 'trips.json[2]' })).toBe('trips[2]');
    expect(fileEpisodeId({ file: 'trips.json[10]', line: 3 })).toBe('trips[10]:3');
    expect(fileEpisodeId({ file: 'trips.jsonl', line: undefined })).toBe('trips');
  });

  it('keeps directories, and takes a dot in one for no extension', () => {
    expect(fileEpisodeId({ file: 'whowhen/Hand-Crafted/42.json' })).toBe('whowhen/Hand-Crafted/42');
    expect(fileEpisodeId({ file: 'runs/2024.05/monday.ndjson', line: 3 })).toBe('runs/2024.05/monday:3');
    expect(fileEpisodeId({ file: 'v1.json/notes' })).toBe('v1.json/notes');
  });

  it('keeps other extensions, and strips only the last one', () => {
    expect(fileEpisodeId({ file: 'notes.txt' })).toBe('notes.txt');
    expect(fileEpisodeId({ file: 'runs.json.gz' })).toBe('runs.json.gz');
    expect(fileEpisodeId({ file: 'runs.jsonl.json' })).toBe('runs.jsonl');
    expect(fileEpisodeId({ file: 'runs' })).toBe('runs');
  });

  it('takes a leading dot for part of the name, not an extension: `.json` stays `.json`', () => {
    expect(fileEpisodeId({ file: '.json' })).toBe('.json');
    expect(fileEpisodeId({ file: 'runs/.jsonl', line: 2 })).toBe('runs/.jsonl:2');
    expect(fileEpisodeId({ file: '..json' })).toBe('.');
  });

  it('takes a backslash for part of a name (the CLI names files with /, as its source column)', () => {
    expect(fileEpisodeId({ file: 'a\\b.jsonl', line: 1 })).toBe('a\\b:1');
    expect(fileEpisodeId({ file: 'C:\\runs\\.json' })).toBe('C:\\runs\\');
    expect(fileEpisodeId({ file: 'dir.json\\x' })).toBe('dir.json\\x');
  });

  it('keeps letters of every script and control characters as they are', () => {
    expect(fileEpisodeId({ file: 'résumé.jsonl', line: 4 })).toBe('résumé:4');
    expect(fileEpisodeId({ file: '任务/日志.json' })).toBe('任务/日志');
    expect(fileEpisodeId({ file: '😀.json[0]' })).toBe('😀[0]');
    // A bidi override that makes the name read as ending in .json does not make it end in .json.
    expect(fileEpisodeId({ file: 'evil\u202Enosj.txt' })).toBe('evil\u202Enosj.txt');
    expect(fileEpisodeId({ file: 'evil\u202Etxt.json' })).toBe('evil\u202Etxt');
    expect(fileEpisodeId({ file: 'two\nlines.json' })).toBe('two\nlines');
  });

  it('agrees with the rule the CLI had from node:path (posix extname) on names it reads', () => {
    const byNodePath = (file: string) => {
      const element = /\[\d+\]$/.exec(file)?.[0] ?? '';
      const name = file.slice(0, file.length - element.length);
      const extension = posix.extname(name);
      return (['.json', '.jsonl', '.ndjson'].includes(extension.toLowerCase()) ? name.slice(0, -extension.length) : name) + element;
    };
    const names = ['a.json', 'A.JSONL', 'x.ndjson', 'd/a.json', 'd.e/f.jsonl', '.json', 'd/.jsonl', '..json', '...json', 'a.', 'a..json', 'a\\.json', 'a.json[3]', 'a.txt[3]', 'é.Json', 'a b.jsonl', 'a.json.json'];
    for (const file of names) expect(fileEpisodeId({ file }), file).toBe(byNodePath(file));
  });

  it('refuses an empty name, a line that is not a positive integer and a source that is not an object, naming the field', () => {
    const refusal = (source: unknown) => {
      try {
        fileEpisodeId(source as { file: string });
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).message;
      }
      throw new Error(`accepted ${JSON.stringify(source)}`);
    };
    expect(refusal({ file: '' })).toBe('fileEpisodeId: source.file: expected the file\'s name, a non-empty string, got ""');
    expect(refusal({})).toMatch(/^fileEpisodeId: source\.file: .*, got undefined$/);
    expect(refusal({ file: 3 })).toMatch(/^fileEpisodeId: source\.file: .*, got 3$/);
    for (const line of [0, -1, 1.5, Number.NaN, '3', null]) expect(refusal({ file: 'a.jsonl', line })).toMatch(/^fileEpisodeId: source\.line: expected a JSON Lines record's line number, an integer from 1, or nothing, got /);
    expect(refusal('a.jsonl')).toBe('fileEpisodeId: source: expected { file, line? }, where the episode was read, got "a.jsonl"');
    expect(refusal(null)).toMatch(/^fileEpisodeId: source: .*, got null$/);
  });
});

describe('distinctEpisodeId', () => {
  it('keeps an id not taken, and tells a repeated one apart by where it was read', () => {
    const taken = new Set(['q-17']);
    expect(distinctEpisodeId('q-18', 'hand:2', taken)).toBe('q-18');
    expect(distinctEpisodeId('q-17', 'hand:3', taken)).toBe('hand:3/q-17');
    // It reports; the caller adds.
    expect([...taken]).toEqual(['q-17']);
  });

  it('gives undefined (a duplicate) when the renamed id is taken too, or when there is no place to rename by', () => {
    const taken = new Set(['q-17', 'hand:3/q-17']);
    expect(distinctEpisodeId('q-17', 'hand:3', taken)).toBeUndefined();
    expect(distinctEpisodeId('q-17', undefined, taken)).toBeUndefined();
    expect(distinctEpisodeId('q-18', undefined, taken)).toBe('q-18');
  });

  it('takes a Map keyed by id, or anything with has(id)', () => {
    expect(distinctEpisodeId('a', 'episodes[1]', new Map([['a', 0]]))).toBe('episodes[1]/a');
    const asked: string[] = [];
    const taken = { has: (id: string) => (asked.push(id), id === 'a') };
    expect(distinctEpisodeId('a', 'runs:2', taken)).toBe('runs:2/a');
    expect(asked).toEqual(['a', 'runs:2/a']);
  });

  it('keeps ids and places as they are: slashes, letters of every script, controls', () => {
    const taken = new Set(['a/b', 'résumé \u202Eevil', '']);
    expect(distinctEpisodeId('a/b', 'runs/x:2', taken)).toBe('runs/x:2/a/b');
    expect(distinctEpisodeId('résumé \u202Eevil', '日志:1', taken)).toBe('日志:1/résumé \u202Eevil');
    expect(distinctEpisodeId('', 'runs:1', taken)).toBe('runs:1/');
  });

  it('refuses an id that is not a string, a place that is not a string, and ids taken that have no has(), naming the argument', () => {
    expect(() => distinctEpisodeId(3 as unknown as string, 'runs:1', new Set())).toThrow(/^distinctEpisodeId: id: expected the episode's id, a string, got 3$/);
    expect(() => distinctEpisodeId('a', 5 as unknown as string, new Set())).toThrow(/^distinctEpisodeId: place: expected where the episode was read, a string, or undefined, got 5$/);
    expect(() => distinctEpisodeId('a', 'runs:1', null as unknown as Set<string>)).toThrow(/^distinctEpisodeId: taken: expected the ids taken so far, .*, got null$/);
    expect(() => distinctEpisodeId('a', 'runs:1', ['a'] as unknown as Set<string>)).toThrow(InputError);
  });
});
