// Reading a reply's JSON: whole, or the first balanced object inside prose.
import { describe, expect, it } from 'vitest';
import { hasUnclosedObject, jsonOf, jsonValuesOf } from '../src/judge/json-text.js';

describe('jsonOf', () => {
  it('parses a reply that is JSON', () => {
    expect(jsonOf('{"value": 0.5}')).toEqual({ value: 0.5 });
    expect(jsonOf(' [1, 2] ')).toEqual([1, 2]);
  });

  it('finds the first JSON object in prose or a code fence, braces inside strings included', () => {
    expect(jsonOf('Sure! ```json\n{"reason": "a } and a { inside", "value": 1}\n``` {"value": 0}')).toEqual({ reason: 'a } and a { inside', value: 1 });
    expect(jsonOf('Here: {"reason": "say \\"}\\" twice", "nested": {"a": [1, {"b": 2}]}} done')).toEqual({ reason: 'say "}" twice', nested: { a: [1, { b: 2 }] } });
  });

  it('skips balanced braces that are not JSON and objects that never close', () => {
    expect(jsonOf('I weigh {this and that} and then {"value": 0.25}')).toEqual({ value: 0.25 });
    expect(jsonOf('{"value": 0.5, {"recoverable": true}')).toEqual({ recoverable: true });
  });

  it('is undefined when there is no object', () => {
    expect(jsonOf('')).toBeUndefined();
    expect(jsonOf('no json here')).toBeUndefined();
    expect(jsonOf('{"value": 0.5')).toBeUndefined();
  });
});

describe('jsonOf and a reasoning model\'s <think> block', () => {
  it('reads the answer after the reasoning, never an object inside it', () => {
    expect(jsonOf('<think>maybe {"value": 1}</think>\n{"value": 0.5}')).toEqual({ value: 0.5 });
    expect(jsonOf('<thinking>\n{"value": 1}\n</thinking> Answer: {"value": 0.5}')).toEqual({ value: 0.5 });
    expect(jsonOf('opened by the template {"value": 1} </think>{"value": 0.5}')).toEqual({ value: 0.5 });
    expect(jsonOf('<think>cut off {"value": 1}')).toBeUndefined();
    expect(jsonOf('<think>no answer {"value": 1}</think>')).toBeUndefined();
  });

  it('leaves a reply without a think block as it was, tags inside JSON strings included', () => {
    expect(jsonOf('{"reason": "the agent wrote <think> in its message", "value": 0.5}')).toEqual({ reason: 'the agent wrote <think> in its message', value: 0.5 });
  });
});

describe('jsonValuesOf', () => {
  it('gives every top-level object of a reply that is not JSON as a whole, in order, never the objects nested in them', () => {
    expect(jsonValuesOf('For example {"value": 1.0}. Actual: {"value": 0.2, "why": {"a": 1}}')).toEqual([{ value: 1 }, { value: 0.2, why: { a: 1 } }]);
    expect(jsonValuesOf('{"value": 0.5}')).toEqual([{ value: 0.5 }]);
    expect(jsonValuesOf('I weigh {this} then {"value": 0.25}')).toEqual([{ value: 0.25 }]);
    expect(jsonValuesOf('<think>{"value": 1}</think> {"value": 0.5}')).toEqual([{ value: 0.5 }]);
    expect(jsonValuesOf('nothing')).toEqual([]);
  });
});

describe('hasUnclosedObject', () => {
  it('tells a reply cut off mid-JSON from one whose objects all close, braces in strings and reasoning aside', () => {
    expect(hasUnclosedObject('{"messages": [{"message": 1, "label": "error"}, {"message": 2, "lab')).toBe(true);
    expect(hasUnclosedObject('Here: {"value": 0.5} and then {"value"')).toBe(true);
    expect(hasUnclosedObject('{"reason": "a { inside", "value": 1}')).toBe(false);
    expect(hasUnclosedObject('I weigh {this} then {"value": 0.25}')).toBe(false);
    expect(hasUnclosedObject('<think>{"value": </think>{"value": 1}')).toBe(false);
    expect(hasUnclosedObject('no JSON at all')).toBe(false);
  });
});
