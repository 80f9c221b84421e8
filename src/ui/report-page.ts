// The script of an `agent-credit attribute --report` file: reads the report's
// data block and draws the dataset overview, a searchable list of every
// episode, and the chosen episode with every component. Bundled at build time
// (scripts/bundle-report.js) and inlined by the CLI; it loads nothing else.
import './credit-bars.js';
import './credit-waterfall.js';
import './dataset-overview.js';
import './interaction-heatmap.js';
import './reward-timeline.js';
import './transcript.js';
import { el, untrusted } from './dom.js';
import { formatValue } from './format.js';
import { REPORT_DATA_ID, type ReportData } from './report-data.js';

/** Rows of the episode list drawn at a time; "show more" adds as many. */
const PAGE = 50;

type Entry = ReportData['episodes'][number];

function component<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]>): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), properties);
}

function section(title: string, id: string, ...children: Array<Node | null>): HTMLElement {
  return el('section', { 'aria-labelledby': `${id}-title`, id }, el('h2', { id: `${id}-title` }, title), ...children);
}

function episodeView({ episode, signals }: Entry): HTMLElement {
  const hasCredit = signals.agents.every((a) => a.credit !== null);
  const outcome = `${signals.success ? 'succeeded' : 'failed'} · score ${formatValue(episode.outcome.score)}`;
  const firstError = signals.firstError
    ? el('p', {}, `First error: message #${signals.firstError.index} by `, untrusted(signals.firstError.agent), ` (found by ${signals.firstError.strategy}).`)
    : null;
  return el(
    'article',
    { 'aria-labelledby': 'episode-title', 'data-testid': 'report-episode', 'data-id': episode.id },
    el('h2', { id: 'episode-title', tabindex: -1 }, 'Episode ', untrusted(episode.id)),
    el('p', { class: signals.success ? 'outcome success' : 'outcome failure' }, outcome),
    firstError,
    el('h3', {}, 'Credit per agent'),
    component('ac-credit-bars', { signals }),
    hasCredit ? el('h3', {}, 'From v(∅) to v(team)') : null,
    hasCredit ? component('ac-credit-waterfall', { signals, episode, emptyValue: episode.emptyValue }) : null,
    signals.interactions && signals.agents.length > 1 ? el('h3', {}, 'Interactions') : null,
    signals.interactions && signals.agents.length > 1 ? component('ac-interaction-heatmap', { signals }) : null,
    el('h3', {}, 'Rewards by message'),
    component('ac-reward-timeline', { signals, episode }),
    el('h3', {}, 'Transcript'),
    component('ac-transcript', { signals, episode }),
  );
}

function matches(entry: Entry, query: string, outcome: string): boolean {
  if (outcome === 'success' && !entry.signals.success) return false;
  if (outcome === 'failure' && entry.signals.success) return false;
  if (!query) return true;
  const { episode } = entry;
  const text = query.toLowerCase();
  return episode.id.toLowerCase().includes(text) || (episode.task ?? '').toLowerCase().includes(text) || episode.agents.some((a) => a.toLowerCase().includes(text));
}

function start(): void {
  const holder = document.getElementById(REPORT_DATA_ID);
  const app = document.getElementById('app');
  if (!holder || !app) return;
  const data = JSON.parse(holder.textContent ?? '{}') as ReportData;
  const detail = el('div', { id: 'episode' });
  const list = el('ol', { class: 'episode-list', 'data-testid': 'episode-list' });
  const count = el('p', { role: 'status', class: 'note' });
  const more = el('button', { type: 'button' }, 'Show more episodes');
  const search = el('input', { type: 'search', id: 'episode-search' });
  const outcome = el('select', { id: 'episode-outcome' }, el('option', { value: 'all' }, 'All outcomes'), el('option', { value: 'success' }, 'Succeeded'), el('option', { value: 'failure' }, 'Failed'));
  let shown: Entry[] = [];
  let drawn = 0;

  const show = (entry: Entry) => {
    detail.replaceChildren(episodeView(entry));
    (detail.querySelector('#episode-title') as HTMLElement).focus();
  };
  const drawMore = () => {
    for (const entry of shown.slice(drawn, drawn + PAGE)) {
      const button = el('button', { type: 'button', class: 'link', 'data-id': entry.episode.id }, untrusted(entry.episode.id));
      button.addEventListener('click', () => show(entry));
      const facts = `${entry.signals.success ? 'succeeded' : 'failed'}${entry.signals.firstError ? ` · first error #${entry.signals.firstError.index}` : ''} · ${entry.episode.agents.length} agents`;
      list.appendChild(el('li', {}, button, ' ', el('span', { class: 'note' }, facts)));
    }
    drawn = Math.min(shown.length, drawn + PAGE);
    more.hidden = drawn >= shown.length;
  };
  const filter = () => {
    shown = data.episodes.filter((entry) => matches(entry, search.value.trim(), outcome.value));
    drawn = 0;
    list.replaceChildren();
    count.textContent = `${shown.length.toLocaleString('en-US')} of ${data.episodes.length.toLocaleString('en-US')} episodes`;
    drawMore();
  };
  search.addEventListener('input', filter);
  outcome.addEventListener('change', filter);
  more.addEventListener('click', drawMore);

  const problems = data.problems.length
    ? section('Records not attributed', 'problems', el('ul', {}, ...data.problems.map((p) => el('li', { 'data-testid': 'report-problem' }, untrusted(p)))))
    : null;
  app.replaceChildren(
    el('h1', {}, 'agent-credit report'),
    el('p', { class: 'note' }, `Inputs: `, untrusted(data.inputs.join(', '))),
    section('Dataset', 'overview', component('ac-dataset-overview', { signals: data.episodes.map((e) => e.signals) })),
    ...(problems ? [problems] : []),
    section(
      'Episodes',
      'episodes',
      el(
        'div',
        { class: 'filters' },
        el('label', { for: 'episode-search' }, 'Search id, task or agent '),
        search,
        el('label', { for: 'episode-outcome' }, ' Outcome '),
        outcome,
      ),
      count,
      list,
      more,
    ),
    detail,
  );
  filter();
  if (data.episodes.length) show(data.episodes[0]);
  window.scrollTo(0, 0);
}

start();
