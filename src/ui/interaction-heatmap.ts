// <ac-interaction-heatmap>: the pairwise Shapley interaction index as a table
// of coloured cells. Symmetric by construction: each pair's value is taken
// once (the mean of its two entries, equal up to rounding in the kernel),
// rounded once, and written into both cells. With credits known, the diagonal
// holds each agent's main effect, φᵢ − ½ Σⱼ Iᵢⱼ: the main effect plus half of
// each interaction in its row is the agent's Shapley credit. The table is its own text alternative.
import { defineElement, el, isolatedText, styled, untrusted } from './dom.js';
import { divergingColour, divergingRgb, extentOf, formatValue, textColourOn } from './format.js';
import { creditsOf, interactionsOf, type InteractionResult, type ShapleyResult, type Signals } from './sources.js';
import { ComponentElement } from './element.js';
import { checked, interactionResultIssues, shapleyResultIssues, signalsIssues } from './property-checks.js';

const CSS = `
table { font-variant-numeric: tabular-nums; font-size: 0.875em; }
th, td { border: 1px solid #fff; padding: 0.3rem 0.4rem; text-align: center; }
thead th { vertical-align: bottom; font-weight: 600; min-width: 4.5rem; max-width: 9rem; overflow-wrap: anywhere; }
tbody th { text-align: start; font-weight: 600; max-width: min(12rem, 30vw); overflow-wrap: anywhere; }
td.diagonal { border: 2px solid #374151; font-style: italic; }
td.diagonal.unknown { background: #f3f4f6; color: #374151; }
.hint { font-size: 0.875em; color: #1f2937; margin: 0.25rem 0; }
.legend { display: flex; align-items: center; gap: 0.5rem; font-size: 0.8125em; flex-wrap: wrap; margin-top: 0.4rem; }
.ramp { width: 8rem; height: 0.8rem; border: 1px solid #6b7280; }
`;

const TAG = 'ac-interaction-heatmap';

/** `<ac-interaction-heatmap>`: pairwise interactions, symmetric, main effects on the diagonal. Set `signals`, or `result` (from interactions()) with `credits`. */
export class InteractionHeatmapElement extends ComponentElement {
  protected readonly css = CSS;
  #signals: Signals | null = null;
  #result: InteractionResult | null = null;
  #credits: ShapleyResult | null = null;
  #observer: ResizeObserver | null = null;

  /** The episode's Signals (interactions and credits); replaces `result`. */
  get signals(): Signals | null {
    return this.#signals;
  }
  /** The episode's Signals (interactions and credits); replaces `result`. */
  set signals(value: Signals | null) {
    this.#signals = checked(TAG, 'signals', value, signalsIssues, null);
    this.#result = null;
    this.requestRender();
  }

  /** An InteractionResult (from interactions()); replaces `signals`. */
  get result(): InteractionResult | null {
    return this.#result;
  }
  /** An InteractionResult (from interactions()); replaces `signals`. */
  set result(value: InteractionResult | null) {
    this.#result = checked(TAG, 'result', value, interactionResultIssues, null);
    this.#signals = null;
    this.requestRender();
  }

  /** The game's ShapleyResult, for main effects on the diagonal beside an InteractionResult. */
  get credits(): ShapleyResult | null {
    return this.#credits;
  }
  /** The game's ShapleyResult, for main effects on the diagonal beside an InteractionResult. */
  set credits(value: ShapleyResult | null) {
    this.#credits = checked(TAG, 'credits', value, shapleyResultIssues, null);
    this.requestRender();
  }

  /** Stops watching the matrix's width once the element leaves the document. */
  disconnectedCallback(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }

  protected render(): Node[] {
    this.#observer?.disconnect();
    const data = interactionsOf(this.#signals, this.#result);
    if (!data || data.players.length < 2) {
      return [el('p', { class: 'empty' }, this.#signals ? 'No interactions: they need the value of every coalition of at least two agents.' : 'No interactions to show.')];
    }
    const { players, matrix } = data;
    const n = players.length;
    const pair = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const value = (matrix[i * n + j] + matrix[j * n + i]) / 2;
        pair[i * n + j] = value;
        pair[j * n + i] = value;
      }
    }
    const credits = creditsOf(this.#signals, this.#credits);
    // A main effect is a difference of sums; what is left below this is the sums' rounding, shown as 0.
    const noise = 1e-12 * Math.max(1, extentOf(pair), extentOf(credits?.rows.map((r) => r.credit) ?? []));
    // Each player's credit by name: `credits` is set apart from `result` and may list the players in another order, or other players.
    const creditOf = new Map(credits?.rows.map((row) => [row.agent, row.credit]));
    const main = creditOf.size === n && new Set(players).size === n && players.every((player) => creditOf.has(player))
      ? players.map((player, i) => {
          const effect = creditOf.get(player)! - pair.subarray(i * n, i * n + n).reduce((s, v, j) => (j === i ? s : s + v / 2), 0);
          return Math.abs(effect) < noise ? 0 : effect;
        })
      : null;
    const extent = extentOf([...pair, ...(main ?? [])]);

    const cell = (value: number, i: number, j: number, label: string, className?: string) => {
      const rgb = divergingRgb(value, extent);
      const text = formatValue(value, true);
      return styled(
        el('td', { class: className, 'data-i': i, 'data-j': j, 'data-value': String(value), title: label }, text),
        { background: divergingColour(value, extent), color: textColourOn(rgb) },
      );
    };
    const rows = players.map((rowPlayer, i) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, untrusted(rowPlayer)),
        ...players.map((colPlayer, j) => {
          if (i === j) {
            if (!main) return el('td', { class: 'diagonal unknown', 'data-i': i, 'data-j': j }, '—');
            return cell(main[i], i, j, `${isolatedText(rowPlayer)}: main effect ${formatValue(main[i], true)}`, 'diagonal');
          }
          const value = pair[i * n + j];
          const kind = value > 0 ? 'synergy' : value < 0 ? 'redundancy' : 'no interaction';
          return cell(value, i, j, `${isolatedText(rowPlayer)} × ${isolatedText(colPlayer)}: ${formatValue(value, true)} (${kind})`);
        }),
      ),
    );
    const table = el(
      'table',
      {},
      el('caption', { class: 'sr-only' }, `Pairwise Shapley interaction of ${n} agents${main ? '; the diagonal holds each agent’s main effect' : ''}`),
      el('thead', {}, el('tr', {}, el('td'), ...players.map((p) => el('th', { scope: 'col' }, untrusted(p))))),
      el('tbody', {}, ...rows),
    );
    const hint = el('p', { class: 'hint', hidden: true }, `Scroll sideways to see all ${n} agents.`);
    const scroller = el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Interaction matrix (scrolls sideways when wider than the page)' }, table);
    if (typeof ResizeObserver !== 'undefined') {
      this.#observer = new ResizeObserver(() => {
        hint.hidden = scroller.scrollWidth <= scroller.clientWidth;
      });
      this.#observer.observe(scroller);
    }
    const legend = el(
      'div',
      { class: 'legend', 'aria-hidden': 'true' },
      el('span', {}, `${formatValue(-extent, true)} redundant`),
      styled(el('span', { class: 'ramp' }), { background: `linear-gradient(to right, ${divergingColour(-extent, extent)}, ${divergingColour(0, extent)}, ${divergingColour(extent, extent)})` }),
      el('span', {}, `synergy ${formatValue(extent, true)}`),
    );
    const caption = main
      ? 'Above zero a pair is worth more together (synergy), below zero they overlap (redundancy). Diagonal: each agent’s main effect, its credit less half of each of its interactions (φᵢ − ½ Σⱼ Iᵢⱼ).'
      : 'Above zero a pair is worth more together (synergy), below zero they overlap (redundancy).';
    return [el('figure', { class: 'heatmap' }, hint, scroller, legend, el('figcaption', {}, caption))];
  }
}

defineElement(TAG, InteractionHeatmapElement);

declare global {
  interface HTMLElementTagNameMap {
    'ac-interaction-heatmap': InteractionHeatmapElement;
  }
}
