// How numbers are written and coloured, shared by every component so one
// value reads the same in a chart, its table and its tooltip.

const MINUS = '\u2212';

/** A credit, reward or value: four decimals, a true minus sign, no "-0.0000", tiny values in exponent form. */
export function formatValue(value: number, signed = false): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  const digits = magnitude >= 0.0001 ? magnitude.toFixed(4) : magnitude.toExponential(2);
  const sign = value < 0 ? MINUS : signed ? '+' : '';
  return Number(digits) === 0 ? '0' : sign + digits;
}

/** Value ± standard error, the value rounded where the error's second significant digit is. */
export function formatEstimate(value: number, stderr: number | null): string {
  if (stderr === null) return formatValue(value);
  // An error at the rounding level of the value (an estimator whose samples all agreed) is no error to show.
  if (!(stderr > 1e-12 * Math.max(1, Math.abs(value)))) return `${formatValue(value)} ± 0`;
  const decimals = Math.max(0, Math.min(12, 1 - Math.floor(Math.log10(stderr))));
  const shown = value.toFixed(decimals);
  const text = Number(shown) === 0 ? (0).toFixed(decimals) : shown.replace('-', MINUS);
  return `${text} ± ${stderr.toFixed(decimals)}`;
}

/** Values the axis labels: a round step giving about `count` ticks over [low, high]. */
export function ticks(low: number, high: number, count = 5): number[] {
  const span = high - low;
  if (!(span > 0)) return [low];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** A tick label: as many decimals as the step between ticks needs. */
export function formatTick(value: number, all: number[]): string {
  const step = all.length > 1 ? Math.abs(all[1] - all[0]) : 1;
  let decimals = 0;
  while (decimals < 10 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  const text = Math.abs(value) < step * 1e-9 ? '0' : value.toFixed(decimals);
  return text.replace('-', MINUS);
}

type Rgb = [number, number, number];

// Ends of the diverging scale: both dark enough for white text (>= 4.5:1) at
// full strength and for 3:1 against white as bar fills; text on any mix is
// black or white, whichever contrasts more (never below 4.5:1 for any colour).
export const NEGATIVE: Rgb = [185, 28, 28];
export const POSITIVE: Rgb = [21, 112, 61];
const NEUTRAL: Rgb = [243, 244, 246];

const css = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;

/** Colour of `value` on a symmetric scale where ±extent is full strength. */
export function divergingRgb(value: number, extent: number): Rgb {
  const t = extent > 0 && Number.isFinite(value) ? Math.max(-1, Math.min(1, value / extent)) : 0;
  const end = t < 0 ? NEGATIVE : POSITIVE;
  return NEUTRAL.map((c, i) => Math.round(c + (end[i] - c) * Math.abs(t))) as Rgb;
}

export function divergingColour(value: number, extent: number): string {
  return css(divergingRgb(value, extent));
}

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Black or white, whichever contrasts more with `background`. */
export function textColourOn(background: Rgb): string {
  return contrast(background, [0, 0, 0]) >= contrast(background, [255, 255, 255]) ? '#000' : '#fff';
}

/** The largest finite |value|; 0 for none. */
export function extentOf(values: Iterable<number>): number {
  let extent = 0;
  for (const value of values) if (Number.isFinite(value)) extent = Math.max(extent, Math.abs(value));
  return extent;
}
