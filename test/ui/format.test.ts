import { describe, expect, it } from 'vitest';
import { contrast, divergingRgb, formatEstimate, formatTick, formatValue, NEGATIVE, POSITIVE, textColourOn, ticks } from '../../src/ui/format.js';
import { creditsOf } from '../../src/ui/sources.js';

const WHITE: [number, number, number] = [255, 255, 255];
const BLACK: [number, number, number] = [0, 0, 0];

describe('formatValue', () => {
  it('writes four decimals with a true minus sign, no negative zero, tiny values in exponent form', () => {
    expect(formatValue(0.075)).toBe('0.0750');
    expect(formatValue(-0.05)).toBe('\u22120.0500');
    expect(formatValue(0.25, true)).toBe('+0.2500');
    expect(formatValue(-0)).toBe('0');
    expect(formatValue(-1e-20)).toBe('\u22121.00e-20');
    expect(formatValue(0.07500000000000007)).toBe('0.0750');
  });
});

describe('formatEstimate', () => {
  it('rounds the value where the standard error’s second significant digit is', () => {
    expect(formatEstimate(0.45678, 0.0123)).toBe('0.457 ± 0.012');
    expect(formatEstimate(-0.45678, 0.00123)).toBe('\u22120.4568 ± 0.0012');
    expect(formatEstimate(3.14159, 1.5)).toBe('3.1 ± 1.5');
    expect(formatEstimate(0.5, null)).toBe('0.5000');
    expect(formatEstimate(0.5, 0)).toBe('0.5000 ± 0');
    // An error at the value's rounding level (samples that all agreed) is shown as none, not as 12 zero decimals.
    expect(formatEstimate(7.5, 8.9e-16)).toBe('7.5000 ± 0');
    expect(formatEstimate(7.5, 1e-6)).toBe('7.5000000 ± 0.0000010');
  });
});

describe('creditsOf', () => {
  it('calls exact a sampler whose budget covered all 2^n coalitions (zero stderr), and sampled otherwise', () => {
    const players = ['a', 'b'];
    const values = new Float64Array([0.5, 0.5]);
    expect(creditsOf(null, { players, values, stderr: new Float64Array(2), method: 'permutation', evaluations: 4 })!.exact).toBe(true);
    expect(creditsOf(null, { players, values, stderr: Float64Array.from([0.1, 0.1]), method: 'permutation', evaluations: 3 })!.exact).toBe(false);
    expect(creditsOf(null, { players, values, stderr: null, method: 'exact', evaluations: 4 })!.exact).toBe(true);
  });
});

describe('ticks', () => {
  it('steps by 1, 2, 2.5 or 5 times a power of ten over the range', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(-0.05, 0.075)).toEqual([-0.05, -0.025, 0, 0.025, 0.05, 0.075]);
    expect(formatTick(-0.025, [-0.05, -0.025, 0])).toBe('\u22120.025');
    expect(formatTick(0.5, [0, 0.5, 1])).toBe('0.5');
  });
});

describe('colours', () => {
  it('keep text at 4.5:1 or more on every shade of the diverging scale, and bars at 3:1 against white', () => {
    for (let k = -100; k <= 100; k++) {
      const background = divergingRgb(k / 100, 1);
      const text = textColourOn(background) === '#000' ? BLACK : WHITE;
      expect(contrast(background, text), `shade ${k / 100}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast(POSITIVE, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(NEGATIVE, WHITE)).toBeGreaterThanOrEqual(4.5);
  });
});
