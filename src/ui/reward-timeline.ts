// <ac-reward-timeline>: every message's reward in one lane per agent, the
// columns numbered as the transcript numbers its messages, so a bar lines up
// with the message it rewards. Bars rise for credit and fall for blame from
// each lane's midline; the first error and the corrective messages are marked
// above their columns; an axis, a legend and a table carry the same numbers.
import { defineElement, el, screenReaderTable, styled, untrusted } from './dom.js';
import { extentOf, formatValue } from './format.js';
import { messagesOf, type EpisodeLike, type ShownMessage, type Signals } from './sources.js';
import { ComponentElement } from './element.js';
import { checked, episodeIssues, signalsIssues } from './property-checks.js';

const CSS = `
.lanes { display: grid; column-gap: 1px; row-gap: 0; align-items: stretch; min-width: min-content; }
.lane-name { padding-inline-end: 0.5rem; font-size: 0.875em; max-width: min(12rem, 30vw); overflow-wrap: anywhere; align-self: center; }
.lane-name .role { color: #4b5563; font-size: 0.875em; }
.cell { position: relative; height: 2.4rem; border-bottom: 1px solid #e5e7eb; }
.cell.midline::after { content: ''; position: absolute; left: 0; right: 0; top: 50%; border-top: 1px solid #9ca3af; }
.cell.first-error-column { background: #fef2f2; }
.cell .bar { left: 15%; right: 15%; top: auto; bottom: auto; min-height: 2px; }
.cell .bar.positive { bottom: 50%; }
.cell .bar.negative { top: 50%; }
.mark { text-align: center; font-size: 0.75em; font-weight: 700; height: 1.2rem; }
.mark.first-error { color: rgb(185, 28, 28); }
.mark.corrective { color: #6d28d9; }
.index { text-align: center; font-size: 0.6875em; color: #4b5563; font-variant-numeric: tabular-nums; padding-top: 0.15rem; white-space: nowrap; }
.axis-title { font-size: 0.75em; color: #4b5563; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; font-size: 0.8125em; margin-top: 0.4rem; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; vertical-align: -0.1rem; margin-inline-end: 0.25rem; }
.swatch.positive { background: rgb(21, 112, 61); } .swatch.negative { background: rgb(185, 28, 28); }
.legend .first-error { color: rgb(185, 28, 28); font-weight: 700; } .legend .corrective { color: #6d28d9; font-weight: 700; }
`;

const TAG = 'ac-reward-timeline';

/** Column labels every `step` messages: about one per 2.5rem of width. */
const LABEL_EVERY = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

function laneNames(signals: Signals | null, messages: ShownMessage[]): { agents: string[]; context: string[] } {
  const agents = signals ? signals.agents.map((a) => a.agent) : [];
  const known = new Set(agents);
  const context: string[] = [];
  for (const message of messages) {
    if (known.has(message.agent)) continue;
    known.add(message.agent);
    (signals ? context : agents).push(message.agent);
  }
  return { agents, context };
}

/** `<ac-reward-timeline>`: each message's reward in its agent's lane, first error and corrective messages marked. Set `signals` and `episode`. */
export class RewardTimelineElement extends ComponentElement {
  protected readonly css = CSS;
  #signals: Signals | null = null;
  #episode: EpisodeLike | null = null;

  /** The episode's Signals: rewards, agents and the first error. */
  get signals(): Signals | null {
    return this.#signals;
  }
  /** The episode's Signals: rewards, agents and the first error. */
  set signals(value: Signals | null) {
    this.#signals = checked(TAG, 'signals', value, signalsIssues, null);
    this.requestRender();
  }

  /** The episode, for its full transcript (context speakers too) and its corrective labels. */
  get episode(): EpisodeLike | null {
    return this.#episode;
  }
  /** The episode, for its full transcript (context speakers too) and its corrective labels. */
  set episode(value: EpisodeLike | null) {
    this.#episode = checked(TAG, 'episode', value, episodeIssues, null);
    this.requestRender();
  }

  protected render(): Node[] {
    const messages = messagesOf(this.#episode, this.#signals);
    if (!messages.length) return [el('p', { class: 'empty' }, 'No messages to show.')];
    const firstError = this.#signals?.firstError ?? null;
    const { agents, context } = laneNames(this.#signals, messages);
    const lanes = [...agents, ...context];
    const extent = extentOf(messages.map((m) => m.reward ?? 0)) || 1;
    const step = LABEL_EVERY.find((k) => messages.length / k <= 40) ?? 2000;
    const grid = styled(el('div', { class: 'lanes', 'aria-hidden': 'true' }), { 'grid-template-columns': `max-content repeat(${messages.length}, minmax(1rem, 2.5rem))` });

    const isFirstError = (m: ShownMessage) => firstError !== null && firstError.id === m.id;
    grid.appendChild(el('span'));
    for (const message of messages) {
      const mark = isFirstError(message) ? ['first-error', '✕'] : message.label === 'corrective' ? ['corrective', '↺'] : null;
      grid.appendChild(el('span', { class: `mark${mark ? ` ${mark[0]}` : ''}` }, mark ? mark[1] : ''));
    }
    for (const lane of lanes) {
      const isContext = context.includes(lane);
      grid.appendChild(el('span', { class: 'lane-name' }, untrusted(lane), isContext ? el('span', { class: 'role' }, ' (context)') : null));
      for (const message of messages) {
        const cell = el('span', { class: `cell midline${isFirstError(message) ? ' first-error-column' : ''}` });
        if (message.agent === lane && message.reward !== null) {
          const height = (Math.abs(message.reward) / extent) * 50;
          cell.appendChild(
            styled(el('span', { class: `bar ${message.reward < 0 ? 'negative' : 'positive'}`, 'data-testid': 'timeline-bar', 'data-index': message.index, 'data-agent': lane, 'data-value': String(message.reward) }), { height: `${height}%` }),
          );
        }
        grid.appendChild(cell);
      }
    }
    grid.appendChild(el('span', { class: 'axis-title' }, 'message #'));
    for (const message of messages) grid.appendChild(el('span', { class: 'index' }, message.index % step === 0 ? String(message.index) : ''));

    const scroller = el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Reward timeline (scrolls sideways when wider than the page)' }, grid);
    const legend = el(
      'p',
      { class: 'legend', 'aria-hidden': 'true' },
      el('span', {}, el('span', { class: 'swatch positive' }), 'credit (up)'),
      el('span', {}, el('span', { class: 'swatch negative' }), 'blame (down)'),
      el('span', {}, el('span', { class: 'first-error' }, '✕'), ' first error'),
      el('span', {}, el('span', { class: 'corrective' }, '↺'), ' corrective'),
      el('span', {}, `bar height: |reward| / ${formatValue(extent)}`),
    );
    const table = el(
      'table',
      {},
      el('caption', {}, 'Reward of each message'),
      el('thead', {}, el('tr', {}, ...['Message', 'Agent', 'Reward', 'Note'].map((h) => el('th', { scope: 'col' }, h)))),
      el(
        'tbody',
        {},
        ...messages.map((m) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, `#${m.index}`),
            el('td', {}, untrusted(m.agent)),
            el('td', {}, m.reward === null ? 'none' : formatValue(m.reward, true)),
            el('td', {}, isFirstError(m) ? 'first error' : m.label === 'corrective' ? 'corrective' : ''),
          ),
        ),
      ),
    );
    const caption = firstError
      ? el('figcaption', {}, `Reward of each message, one lane per agent. The first error is message #${firstError.index}, by `, untrusted(firstError.agent), `, found by ${firstError.strategy}.`)
      : el('figcaption', {}, 'Reward of each message, one lane per agent.');
    return [el('figure', { class: 'timeline' }, caption, scroller, legend, screenReaderTable(table))];
  }
}

defineElement(TAG, RewardTimelineElement);

declare global {
  interface HTMLElementTagNameMap {
    'ac-reward-timeline': RewardTimelineElement;
  }
}
