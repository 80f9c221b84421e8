// <ac-credit-waterfall>: from v(∅), the value of the empty team, to v(team)
// through each agent's Shapley credit, one step per agent. By efficiency the
// steps add up to v(team) − v(∅); a sampled estimate may leave a residual,
// which is drawn as its own step rather than hidden.
import { defineElement, el, screenReaderTable, untrusted } from './dom.js';
import { formatValue } from './format.js';
import { axisRow, scaleOver, segment, zeroLine } from './scale.js';
import { byCredit, creditsOf, emptyValueOf, type EpisodeLike, type ShapleyResult, type Signals } from './sources.js';
import { ComponentElement } from './element.js';
import { checked, episodeIssues, finiteIssues, shapleyResultIssues, signalsIssues } from './property-checks.js';
import { AXIS_END_CSS } from './styles.js';

const CSS = `${AXIS_END_CSS}
.row.total .name { font-weight: 600; }
.bar.residual { background: repeating-linear-gradient(45deg, #6b7280 0 3px, #fff 3px 6px); border: 1px solid #6b7280; }
`;

const TAG = 'ac-credit-waterfall';

interface Step {
  kind: 'start' | 'agent' | 'residual' | 'end';
  label: string;
  from: number;
  to: number;
}

/** `<ac-credit-waterfall>`: v(∅) to v(team) through each agent's credit. Set `signals` or `result`, and `episode` (or `emptyValue`/`teamValue`). */
export class CreditWaterfallElement extends ComponentElement {
  protected readonly css = CSS;
  #signals: Signals | null = null;
  #result: ShapleyResult | null = null;
  #episode: EpisodeLike | null = null;
  #emptyValue: number | null = null;
  #teamValue: number | null = null;

  /** The episode's Signals; replaces `result`. */
  get signals(): Signals | null {
    return this.#signals;
  }
  /** The episode's Signals; replaces `result`. */
  set signals(value: Signals | null) {
    this.#signals = checked(TAG, 'signals', value, signalsIssues, null);
    this.#result = null;
    this.requestRender();
  }

  /** A ShapleyResult; replaces `signals`. */
  get result(): ShapleyResult | null {
    return this.#result;
  }
  /** A ShapleyResult; replaces `signals`. */
  set result(value: ShapleyResult | null) {
    this.#result = checked(TAG, 'result', value, shapleyResultIssues, null);
    this.#signals = null;
    this.requestRender();
  }

  /** The episode: v(∅) from its coalition table, v(team) from its outcome score. */
  get episode(): EpisodeLike | null {
    return this.#episode;
  }
  /** The episode: v(∅) from its coalition table, v(team) from its outcome score. */
  set episode(value: EpisodeLike | null) {
    this.#episode = checked(TAG, 'episode', value, episodeIssues, null);
    this.requestRender();
  }

  /** v(∅), when there is no episode to read it from (default 0). */
  get emptyValue(): number | null {
    return this.#emptyValue;
  }
  /** v(∅), when there is no episode to read it from (default 0). */
  set emptyValue(value: number | null) {
    this.#emptyValue = checked(TAG, 'emptyValue', value, finiteIssues, null);
    this.requestRender();
  }

  /** v(team), when there is no episode to read it from (default: v(∅) plus the credits). */
  get teamValue(): number | null {
    return this.#teamValue;
  }
  /** v(team), when there is no episode to read it from (default: v(∅) plus the credits). */
  set teamValue(value: number | null) {
    this.#teamValue = checked(TAG, 'teamValue', value, finiteIssues, null);
    this.requestRender();
  }

  #steps(): Step[] | null {
    const credits = creditsOf(this.#signals, this.#result);
    if (!credits) return null;
    const start = this.#emptyValue ?? emptyValueOf(this.#episode) ?? 0;
    const steps: Step[] = [{ kind: 'start', label: 'v(∅)', from: 0, to: start }];
    let level = start;
    for (const row of byCredit(credits.rows)) {
      steps.push({ kind: 'agent', label: row.agent, from: level, to: level + row.credit });
      level += row.credit;
    }
    const end = this.#teamValue ?? this.#episode?.outcome?.score ?? level;
    // The exact kernel's rounding is far below this; anything larger is a real gap.
    if (Math.abs(end - level) > 1e-9 * Math.max(1, Math.abs(end), Math.abs(start))) {
      steps.push({ kind: 'residual', label: 'sampling residual', from: level, to: end });
    }
    steps.push({ kind: 'end', label: 'v(team)', from: 0, to: end });
    return steps;
  }

  protected render(): Node[] {
    const steps = this.#steps();
    if (!steps) return [el('p', { class: 'empty' }, 'No credit to show: the episode has no coalition values.')];
    const scale = scaleOver(steps.flatMap((s) => [s.from, s.to]));
    const plot = el('div', { class: 'plot', 'aria-hidden': 'true' });
    for (const step of steps) {
      const total = step.kind === 'start' || step.kind === 'end';
      const barClass = total ? 'bar total' : step.kind === 'residual' ? 'bar residual' : `bar ${step.to < step.from ? 'negative' : 'positive'}`;
      const change = step.to - step.from;
      plot.appendChild(
        el(
          'div',
          { class: `row ${step.kind}${total ? ' total' : ''}`, 'data-testid': `waterfall-${step.kind}`, 'data-label': step.label, 'data-from': String(step.from), 'data-to': String(step.to) },
          el('div', { class: 'name' }, step.kind === 'agent' ? untrusted(step.label) : step.label),
          el('div', { class: 'track' }, zeroLine(scale), segment(scale, step.from, step.to, barClass)),
          el('div', { class: 'value' }, total ? formatValue(step.to) : formatValue(change, true)),
        ),
      );
    }
    plot.appendChild(axisRow(scale, 'value'));
    const first = steps[0];
    const last = steps[steps.length - 1];
    const table = el(
      'table',
      {},
      el('caption', {}, 'From v(∅) to v(team): each step is one agent’s Shapley credit'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Step'), el('th', { scope: 'col' }, 'Change'), el('th', { scope: 'col' }, 'Running value'))),
      el(
        'tbody',
        {},
        ...steps.map((step) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, step.kind === 'agent' ? untrusted(step.label) : step.label),
            el('td', {}, step.kind === 'start' || step.kind === 'end' ? '' : formatValue(step.to - step.from, true)),
            el('td', {}, formatValue(step.to)),
          ),
        ),
      ),
    );
    return [
      el(
        'figure',
        { class: 'waterfall' },
        el('figcaption', {}, `From v(∅) = ${formatValue(first.to)} to v(team) = ${formatValue(last.to)}: each agent adds its Shapley credit, largest first.`),
        plot,
        screenReaderTable(table),
      ),
    ];
  }
}

defineElement(TAG, CreditWaterfallElement);

declare global {
  interface HTMLElementTagNameMap {
    'ac-credit-waterfall': CreditWaterfallElement;
  }
}
