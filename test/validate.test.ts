import { describe, expect, it } from 'vitest';
import { describe as describeValue } from '../src/core/validate.js';
import { parseEpisode } from '../src/episodes/episode.js';

describe('describe: a value as an error message shows it', () => {
  it.each([
    [true, 'true'],
    [false, 'false'],
    [0, '0'],
    [-0, '-0'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [12n, 'the BigInt 12n'],
    [null, 'null'],
    [undefined, 'undefined'],
    ['coder', '"coder"'],
    ['', '""'],
    [Symbol('tag'), 'Symbol(tag)'],
    [[1, 2, 3], 'an array of 3'],
  ])('%s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('keeps the type name of what it cannot show in a line', () => {
    expect(describeValue({ a: 1 })).toBe('object');
    expect(describeValue(() => 1)).toBe('function');
    expect(describeValue(new Date(0))).toBe('object');
  });

  it('escapes what could move or reorder a terminal line, in strings and symbol descriptions', () => {
    expect(describeValue('a\nb\u001b[2J')).toBe('"a\\nb\\u001b[2J"');
    expect(describeValue('x\u202Ey\u2028z\u0085')).toBe('"x\\u202ey\\u2028z\\u0085"');
    expect(describeValue(Symbol('s\u202E\n'))).toBe('Symbol(s\\u202e\\u000a)');
  });

  it('cuts a long string, says so outside the quotes with its length, and never splits a character', () => {
    expect(describeValue('x'.repeat(40))).toBe(JSON.stringify('x'.repeat(40)));
    expect(describeValue('x'.repeat(1000))).toBe(`"${'x'.repeat(37)}"... (1000 characters)`);
    const emoji = 'x'.repeat(36) + '😀'.repeat(10);
    expect(describeValue(emoji)).toBe(`"${'x'.repeat(36)}"... (46 characters)`);
    expect(describeValue(Symbol('y'.repeat(100)))).toBe(`Symbol(${'y'.repeat(37)}...)`);
  });
});

describe('error messages show the value given', () => {
  const episode = { id: 'e', agents: ['a'], messages: [{ agent: 'a', content: 'hi' }], outcome: { score: 1, success: true } };

  it('a boolean where an agent id belongs', () => {
    expect(() => parseEpisode({ ...episode, agents: [true] })).toThrow(/agents\[0\]: expected an agent id \(string\) or \{ id, role \}, got true$/);
  });

  it('a string where outcome.success belongs', () => {
    expect(() => parseEpisode({ ...episode, outcome: { score: 1, success: 'yes' } })).toThrow(/outcome\.success: expected outcome\.success as true or false, got "yes"$/);
  });
});
