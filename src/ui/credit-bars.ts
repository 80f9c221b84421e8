// <ac-credit-bars>: Shapley credit per agent as bars from zero, largest first,
// on one shared axis; whiskers of ±1 standard error when the credit was
// sampled; the same numbers in a table for screen readers.
import { defineElement, el, screenReaderTable, untrusted } from './dom.js';
import { formatEstimate, formatValue } from './format.js';
import { axisRow, scaleOver, segment, zeroLine } from './scale.js';
import { byCredit, creditsOf, type Credits, type ShapleyResult, type Signals } from './sources.js';
import { ComponentElement } from './element.js';
import { checked, shapleyResultIssues, signalsIssues } from './property-checks.js';
import { AXIS_END_CSS } from './styles.js';

const CSS = `${AXIS_END_CSS}
.whisker { position: absolute; top: 50%; height: 0; border-top: 2px solid #111827; }
.whisker::before, .whisker::after { content: ''; position: absolute; top: -0.35rem; height: 0.6rem; border-left: 2px solid #111827; }
.whisker::before { left: -1px; } .whisker::after { right: -1px; }
`;

const TAG = 'ac-credit-bars';

function creditTable(credits: Credits, rows: Credits['rows']): HTMLTableElement {
  return el(
    'table',
    {},
    el('caption', {}, `Shapley credit per agent (${credits.exact ? 'exact' : 'sampled, with standard errors'})`),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Agent'), el('th', { scope: 'col' }, 'Credit'), credits.exact ? null : el('th', { scope: 'col' }, 'Standard error'))),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el('tr', {}, el('th', { scope: 'row' }, untrusted(row.agent)), el('td', {}, formatValue(row.credit)), row.stderr === null ? null : el('td', {}, formatValue(row.stderr))),
      ),
    ),
  );
}

/**
 * `<ac-credit-bars>`: Shapley credit per agent, sorted, on one axis. Set `signals` (from attributeEpisode) or `result` (from shapley()).
 *
 * @example
 * import 'agent-credit/ui';
 * document.querySelector('ac-credit-bars').signals = await attributeEpisode(episode);
 */
export class CreditBarsElement extends ComponentElement {
  protected readonly css = CSS;
  #signals: Signals | null = null;
  #result: ShapleyResult | null = null;

  /** The episode's Signals (from attributeEpisode); replaces `result`. */
  get signals(): Signals | null {
    return this.#signals;
  }
  /** The episode's Signals (from attributeEpisode); replaces `result`. */
  set signals(value: Signals | null) {
    this.#signals = checked(TAG, 'signals', value, signalsIssues, null);
    this.#result = null;
    this.requestRender();
  }

  /** A ShapleyResult (from shapley()); replaces `signals`. */
  get result(): ShapleyResult | null {
    return this.#result;
  }
  /** A ShapleyResult (from shapley()); replaces `signals`. */
  set result(value: ShapleyResult | null) {
    this.#result = checked(TAG, 'result', value, shapleyResultIssues, null);
    this.#signals = null;
    this.requestRender();
  }

  protected render(): Node[] {
    const credits = creditsOf(this.#signals, this.#result);
    if (!credits) {
      const why = this.#signals ? 'This episode has no coalition values, so no agent has Shapley credit.' : 'No credit to show.';
      return [el('p', { class: 'empty' }, why)];
    }
    const rows = byCredit(credits.rows);
    const scale = scaleOver(rows.flatMap((r) => (r.stderr ? [r.credit - r.stderr, r.credit + r.stderr] : [r.credit])));
    const total = rows.reduce((sum, r) => sum + r.credit, 0);
    const plot = el('div', { class: 'plot', 'aria-hidden': 'true' });
    for (const row of rows) {
      const track = el('div', { class: 'track' }, zeroLine(scale), segment(scale, 0, row.credit, `bar ${row.credit < 0 ? 'negative' : 'positive'}`));
      if (row.stderr) track.appendChild(segment(scale, row.credit - row.stderr, row.credit + row.stderr, 'whisker'));
      plot.appendChild(
        el(
          'div',
          { class: 'row', 'data-testid': 'agent-credit-row', 'data-agent': row.agent, 'data-value': String(row.credit), 'data-stderr': row.stderr === null ? undefined : String(row.stderr) },
          el('div', { class: 'name' }, untrusted(row.agent)),
          track,
          el('div', { class: 'value' }, formatEstimate(row.credit, row.stderr)),
        ),
      );
    }
    plot.appendChild(axisRow(scale, 'credit'));
    const how = credits.exact
      ? `Exact Shapley credit (${credits.method}).`
      : `Sampled Shapley credit (${credits.method}): value ± one standard error, drawn as whiskers.`;
    return [
      el(
        'figure',
        { class: 'credit-chart' },
        el('figcaption', {}, `${how} The credits add up to ${formatValue(total)} = v(team) − v(∅).`),
        plot,
        screenReaderTable(creditTable(credits, rows)),
      ),
    ];
  }
}

defineElement(TAG, CreditBarsElement);

declare global {
  interface HTMLElementTagNameMap {
    'ac-credit-bars': CreditBarsElement;
  }
}
