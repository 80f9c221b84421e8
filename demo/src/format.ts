// Number formatting and the diverging colour scale shared by the views.

/** A compact, fixed-width-friendly rendering of a credit or reward. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = value.toFixed(digits);
  return Number(rounded) === 0 ? (0).toFixed(digits) : (value > 0 ? '+' : '') + rounded;
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

// End points of the scale: negative (blame) is red-orange, positive (credit)
// teal-green, zero a neutral grey; chosen to stay distinct for red-green
// colour blindness, and the number is always printed beside the colour.
const NEGATIVE = [214, 69, 65];
const NEUTRAL = [236, 238, 241];
const POSITIVE = [26, 150, 120];

/** Colour of `value` on a scale where ±`extent` is full saturation. */
export function divergingColour(value: number, extent: number): string {
  const t = extent > 0 ? Math.max(-1, Math.min(1, value / extent)) : 0;
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const mix = NEUTRAL.map((c, i) => Math.round(c + (end[i] - c) * Math.abs(t)));
  return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
}

/** Black or white text, whichever reads better on `value`'s colour. */
export function textOn(value: number, extent: number): string {
  return extent > 0 && Math.abs(value / extent) > 0.55 ? '#fff' : '#1b1f24';
}

/** The largest absolute value, for symmetric scales; 0 for an empty list. */
export function symmetricExtent(values: Iterable<number>): number {
  let extent = 0;
  for (const value of values) if (Number.isFinite(value)) extent = Math.max(extent, Math.abs(value));
  return extent;
}
