// <ac-dataset-overview>: many episodes at a glance. Episodes and success
// rate; each agent's credit across episodes (mean bar, a line over its range,
// the standard deviation stated); how many first errors each agent made and
// at which message index. Every part is a table or has one for screen readers.
import { defineElement, el, screenReaderTable, styled, untrusted } from './dom.js';
import { formatValue } from './format.js';
import { axisRow, scaleOver, segment, zeroLine } from './scale.js';
import { summarizeChecked, type DatasetSummary } from './dataset.js';
import type { Signals } from './sources.js';
import { ComponentElement } from './element.js';
import { checked, signalsListIssues } from './property-checks.js';
import { AXIS_END_CSS } from './styles.js';

const CSS = `${AXIS_END_CSS}
.facts { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0 0 0.75rem; padding: 0; }
.facts div { display: flex; flex-direction: column; }
.facts dt { font-size: 0.8125em; color: #4b5563; } .facts dd { margin: 0; font-size: 1.25em; font-weight: 600; font-variant-numeric: tabular-nums; }
.range { position: absolute; top: 50%; height: 0; border-top: 2px solid #111827; }
h3 { font-size: 1em; margin: 1rem 0 0.4rem; }
.counts { border-collapse: collapse; font-size: 0.875em; font-variant-numeric: tabular-nums; }
.counts th, .counts td { text-align: start; padding: 0.15rem 0.6rem 0.15rem 0; border-bottom: 1px solid #e5e7eb; vertical-align: middle; }
.counts th { font-weight: 600; max-width: min(14rem, 40vw); overflow-wrap: anywhere; }
.meter { display: inline-block; height: 0.7rem; background: rgb(185, 28, 28); vertical-align: middle; margin-inline-end: 0.4rem; }
.columns { display: flex; flex-wrap: wrap; gap: 0 2rem; }
`;

const TAG = 'ac-dataset-overview';

function percent(part: number, whole: number): string {
  return whole ? `${((part / whole) * 100).toFixed(1)}%` : '—';
}

function creditPlot(summary: DatasetSummary): HTMLElement[] {
  if (!summary.agents.length) return [el('p', { class: 'empty' }, 'No episode has coalition values, so no agent has credit.')];
  const scale = scaleOver(summary.agents.flatMap((a) => [a.min, a.max, a.mean]));
  const plot = el('div', { class: 'plot', 'aria-hidden': 'true' });
  for (const a of summary.agents) {
    plot.appendChild(
      el(
        'div',
        { class: 'row', 'data-testid': 'dataset-agent', 'data-agent': a.agent, 'data-mean': String(a.mean), 'data-sd': String(a.sd), 'data-episodes': a.episodes },
        el('div', { class: 'name' }, untrusted(a.agent)),
        el('div', { class: 'track' }, zeroLine(scale), segment(scale, 0, a.mean, `bar ${a.mean < 0 ? 'negative' : 'positive'}`), segment(scale, a.min, a.max, 'range')),
        el('div', { class: 'value' }, `${formatValue(a.mean)} (sd ${formatValue(a.sd)})`),
      ),
    );
  }
  plot.appendChild(axisRow(scale, 'credit'));
  const table = el(
    'table',
    {},
    el('caption', {}, 'Credit per agent across episodes'),
    el('thead', {}, el('tr', {}, ...['Agent', 'Episodes', 'Mean', 'Standard deviation', 'Min', 'Max'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...summary.agents.map((a) => el('tr', {}, el('th', { scope: 'row' }, untrusted(a.agent)), ...[String(a.episodes), formatValue(a.mean), formatValue(a.sd), formatValue(a.min), formatValue(a.max)].map((t) => el('td', {}, t))))),
  );
  return [el('p', { class: 'note' }, 'Bars: mean credit; line: lowest to highest credit across episodes.'), plot, screenReaderTable(table)];
}

function countTable<T>(caption: string, head: string, rows: T[], name: (row: T) => Node | string, count: (row: T) => number, testid: string): HTMLElement {
  const largest = Math.max(1, ...rows.map(count));
  return el(
    'table',
    { class: 'counts' },
    el('caption', { class: 'sr-only' }, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, head), el('th', { scope: 'col' }, 'First errors'))),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el('tr', { 'data-testid': testid }, el('th', { scope: 'row' }, name(row)), el('td', {}, styled(el('span', { class: 'meter', 'aria-hidden': 'true' }), { width: `${(count(row) / largest) * 6}rem` }), String(count(row)))),
      ),
    ),
  );
}

/** `<ac-dataset-overview>`: episodes, success rate, credit per agent across episodes with its spread, first errors per agent and per step. Set `signals` to the dataset's Signals. */
export class DatasetOverviewElement extends ComponentElement {
  protected readonly css = CSS;
  #signals: readonly Signals[] = [];

  /** The Signals of every episode of the dataset. */
  get signals(): readonly Signals[] {
    return this.#signals;
  }
  /** The Signals of every episode of the dataset. */
  set signals(value: readonly Signals[]) {
    this.#signals = checked<readonly Signals[]>(TAG, 'signals', value, signalsListIssues, []);
    this.requestRender();
  }

  protected render(): Node[] {
    const summary = summarizeChecked(this.#signals);
    if (!summary.episodes) return [el('p', { class: 'empty' }, 'No episodes.')];
    const fact = (term: string, value: string, testid: string) => el('div', {}, el('dt', {}, term), el('dd', { 'data-testid': testid }, value));
    const facts = el(
      'dl',
      { class: 'facts' },
      fact('Episodes', summary.episodes.toLocaleString('en-US'), 'dataset-episodes'),
      fact('Succeeded', `${summary.successes.toLocaleString('en-US')} (${percent(summary.successes, summary.episodes)})`, 'dataset-successes'),
      fact('Failed', summary.failures.toLocaleString('en-US'), 'dataset-failures'),
      fact('Failed, first error not located', summary.unlocated.toLocaleString('en-US'), 'dataset-unlocated'),
    );
    const errors = summary.firstErrorsByAgent.length
      ? el(
          'div',
          { class: 'columns' },
          el('div', {}, el('h3', {}, 'First errors per agent'), countTable('First errors per agent', 'Agent', summary.firstErrorsByAgent, (r) => untrusted(r.agent), (r) => r.count, 'errors-by-agent')),
          el('div', {}, el('h3', {}, 'First errors per message index'), countTable('First errors per message index', 'Message', summary.firstErrorsByStep, (r) => `#${r.index}`, (r) => r.count, 'errors-by-step')),
        )
      : el('p', { class: 'note' }, 'No first error located in these episodes.');
    return [facts, el('h3', {}, 'Credit per agent across episodes'), ...creditPlot(summary), errors];
  }
}

defineElement(TAG, DatasetOverviewElement);

declare global {
  interface HTMLElementTagNameMap {
    'ac-dataset-overview': DatasetOverviewElement;
  }
}
