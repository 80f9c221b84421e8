// Many episodes: the overview (<ac-dataset-overview>), then a list to search
// and filter, drawn a page at a time; choosing an episode shows it below.
import 'agent-credit/ui';
import { h } from './dom.js';
import type { ResultEntry } from './protocol.js';

/** Rows of the list drawn at a time. */
const PAGE = 50;

const idOf = (entry: ResultEntry) => (entry.kind === 'episode' ? entry.episode.id : entry.id);

function matches(entry: ResultEntry, query: string, outcome: string): boolean {
  if (entry.kind === 'table') return outcome === 'all' && (!query || entry.id.toLowerCase().includes(query));
  if (outcome === 'success' && !entry.signals.success) return false;
  if (outcome === 'failure' && entry.signals.success) return false;
  if (!query) return true;
  const { episode } = entry;
  return episode.id.toLowerCase().includes(query) || (episode.task ?? '').toLowerCase().includes(query) || episode.agents.some((a) => a.toLowerCase().includes(query));
}

export interface DatasetView {
  element: HTMLElement;
  /** Adds entries that arrived; the overview and list follow. */
  add(entries: ResultEntry[]): void;
}

export function datasetView(entries: ResultEntry[], choose: (entry: ResultEntry) => void): DatasetView {
  const overview = document.createElement('ac-dataset-overview');
  const list = h('ol', { class: 'episode-list', 'data-testid': 'episode-list' });
  const count = h('p', { class: 'muted', role: 'status' });
  const more = h('button', { type: 'button' }, 'Show more episodes');
  const search = h('input', { type: 'search', id: 'episode-search', 'data-testid': 'episode-search' });
  const outcome = h('select', { id: 'episode-outcome', 'data-testid': 'episode-outcome' }, h('option', { value: 'all' }, 'All outcomes'), h('option', { value: 'success' }, 'Succeeded'), h('option', { value: 'failure' }, 'Failed'));
  let shown: ResultEntry[] = [];
  let drawn = 0;

  const drawMore = () => {
    for (const entry of shown.slice(drawn, drawn + PAGE)) {
      const button = h('button', { type: 'button', class: 'link-button', 'data-id': idOf(entry) }, h('bdi', {}, idOf(entry)));
      button.addEventListener('click', () => choose(entry));
      const facts = entry.kind === 'episode'
        ? `${entry.signals.success ? 'succeeded' : 'failed'}${entry.signals.firstError ? ` · first error #${entry.signals.firstError.index} by ` : ''}`
        : 'value table';
      list.appendChild(h('li', {}, button, ' ', h('span', { class: 'muted' }, facts, entry.kind === 'episode' && entry.signals.firstError ? h('bdi', {}, entry.signals.firstError.agent) : null)));
    }
    drawn = Math.min(shown.length, drawn + PAGE);
    more.hidden = drawn >= shown.length;
  };
  const refilter = () => {
    const query = search.value.trim().toLowerCase();
    shown = entries.filter((entry) => matches(entry, query, outcome.value));
    count.textContent = `${shown.length.toLocaleString('en-US')} of ${entries.length.toLocaleString('en-US')} episodes`;
    more.hidden = drawn >= shown.length;
  };
  const filter = () => {
    refilter();
    drawn = 0;
    list.replaceChildren();
    drawMore();
  };
  search.addEventListener('input', filter);
  outcome.addEventListener('change', filter);
  more.addEventListener('click', drawMore);

  const element = h(
    'section',
    { class: 'panel dataset', 'data-testid': 'dataset-view', 'aria-labelledby': 'dataset-title' },
    h('h2', { id: 'dataset-title', tabindex: -1 }, 'Dataset'),
    overview,
    h('h3', {}, 'Episodes'),
    h('div', { class: 'filters' }, h('label', { for: 'episode-search' }, 'Search id, task or agent'), search, h('label', { for: 'episode-outcome' }, 'Outcome'), outcome),
    count,
    list,
    more,
  );
  const update = () => {
    overview.signals = entries.flatMap((entry) => (entry.kind === 'episode' ? [entry.signals] : []));
    filter();
  };
  update();
  return {
    element,
    add(added) {
      entries.push(...added);
      // The overview is summed up again per batch (cheap); the list only grows while its first page is not full.
      overview.signals = entries.flatMap((entry) => (entry.kind === 'episode' ? [entry.signals] : []));
      refilter();
      if (drawn < PAGE) drawMore();
    },
  };
}
