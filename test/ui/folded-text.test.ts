// foldedText's arguments are checked before it touches the DOM: these run in Node, without one.
import { describe, expect, it } from 'vitest';
import { foldedText } from '../../src/ui/folded-text.js';
import { InputError } from '../../src/index.js';

describe('foldedText of bad arguments: an InputError naming the argument, not a TypeError', () => {
  it('text that is not a string', () => {
    for (const bad of [null, undefined, 5, ['a']]) expect(() => foldedText(bad as never)).toThrow(InputError);
    expect(() => foldedText(null as never)).toThrow(/^foldedText: text: expected the text to show as a string, got null$/);
    expect(() => foldedText({ length: 5000 } as never)).toThrow(/^foldedText: text: expected the text to show as a string, got object$/);
  });

  it('a tag or class that is not one', () => {
    expect(() => foldedText('hi', 'div' as never)).toThrow(/^foldedText: tag: expected 'p' or 'pre', got "div"$/);
    expect(() => foldedText('hi', 'p', 5 as never)).toThrow(/^foldedText: className: expected a class name as a string, got 5$/);
  });
});
