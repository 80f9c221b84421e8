// A linear scale for horizontal bars: the domain always holds zero and ends on
// round ticks, so every bar of a chart is measured against one labelled axis.
import { el, styled } from './dom.js';
import { formatTick, ticks } from './format.js';

export interface Scale {
  low: number;
  high: number;
  ticks: number[];
  /** Position of `value` as a percentage of the track's width. */
  percent(value: number): number;
}

export function scaleOver(values: Iterable<number>): Scale {
  let low = 0;
  let high = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low === high) high = 1;
  const marks = ticks(low, high);
  const step = marks.length > 1 ? marks[1] - marks[0] : high - low;
  // Widen to the enclosing ticks so both ends of the axis carry a label.
  const first = Math.min(marks[0], Math.floor(low / step + 1e-9) * step);
  const last = Math.max(marks[marks.length - 1], Math.ceil(high / step - 1e-9) * step);
  const all = ticks(first, last);
  const span = last - first;
  return { low: first, high: last, ticks: all, percent: (value) => ((value - first) / span) * 100 };
}

/** A segment of a track from `from` to `to` (either order). */
export function segment(scale: Scale, from: number, to: number, className: string): HTMLElement {
  const left = scale.percent(Math.min(from, to));
  const right = scale.percent(Math.max(from, to));
  return styled(el('span', { class: className }), { left: `${left}%`, width: `${right - left}%` });
}

export function zeroLine(scale: Scale): HTMLElement {
  return styled(el('span', { class: 'zero' }), { left: `${scale.percent(0)}%` });
}

/** The axis under a column of tracks: one labelled tick per round value. */
export function axisRow(scale: Scale, title: string): HTMLElement {
  const axis = el('div', { class: 'axis' });
  scale.ticks.forEach((value, k) => {
    const place = k === 0 ? ' first' : k === scale.ticks.length - 1 ? ' last' : '';
    axis.appendChild(styled(el('span', { class: `tick${place}`, 'data-value': String(value) }, formatTick(value, scale.ticks)), { left: `${scale.percent(value)}%` }));
  });
  return el('div', { class: 'row axis-row' }, el('span', { class: 'axis-title note' }, title), axis, el('span'));
}
