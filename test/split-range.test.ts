import { describe, expect, it } from 'vitest';
import { splitRange } from '../src/pool/split-range.js';

describe('splitRange', () => {
  it('covers the range in contiguous parts differing by at most one', () => {
    expect(splitRange(10, 3)).toEqual([{ first: 0, count: 4 }, { first: 4, count: 3 }, { first: 7, count: 3 }]);
    expect(splitRange(2, 4)).toEqual([{ first: 0, count: 1 }, { first: 1, count: 1 }]);
  });
});
