// The pairwise Shapley interaction matrix as a heatmap: synergy (the pair is
// worth more together) in green, redundancy (they overlap) in red, with a legend.
import { h } from './dom.js';
import { divergingColour, formatNumber, symmetricExtent, textOn } from './format.js';

export function interactionHeatmap(players: string[], matrix: number[]): HTMLElement {
  const n = players.length;
  const offDiagonal = matrix.filter((_, k) => Math.floor(k / n) !== k % n);
  const extent = symmetricExtent(offDiagonal);

  const header = h('tr', {}, h('td', { class: 'corner' }), ...players.map((p) => h('th', { scope: 'col', title: p }, p)));
  const body = players.map((rowPlayer, i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', title: rowPlayer }, rowPlayer),
      ...players.map((colPlayer, j) => {
        if (i === j) return h('td', { class: 'diagonal', 'aria-label': `${rowPlayer} with itself: not defined` }, '·');
        const value = matrix[i * n + j];
        const kind = value > 0 ? 'synergy' : value < 0 ? 'redundancy' : 'no interaction';
        return h(
          'td',
          {
            style: `background: ${divergingColour(value, extent)}; color: ${textOn(value, extent)}`,
            title: `${rowPlayer} × ${colPlayer}: ${value} (${kind})`,
            'aria-label': `${rowPlayer} with ${colPlayer}: ${formatNumber(value, 4)}, ${kind}`,
          },
          formatNumber(value, 2),
        );
      }),
    ),
  );

  const stops = [-1, -0.5, 0, 0.5, 1].map((t) => divergingColour(t * extent, extent)).join(', ');
  const legend = h(
    'div',
    { class: 'legend', 'aria-hidden': 'true' },
    h('span', { class: 'legend-end' }, `${formatNumber(-extent, 2)} redundant`),
    h('span', { class: 'legend-ramp', style: `background: linear-gradient(to right, ${stops})` }),
    h('span', { class: 'legend-end' }, `synergy ${formatNumber(extent, 2)}`),
  );

  return h(
    'figure',
    { class: 'heatmap' },
    h('div', { class: 'scroll-x' }, h('table', {}, h('thead', {}, header), h('tbody', {}, ...body))),
    legend,
    h(
      'figcaption',
      {},
      'Pairwise Shapley interaction: above zero the two agents are worth more together (synergy), below zero they overlap (redundancy).',
    ),
  );
}
