// One episode drawn with the agent-credit/ui components, led by "credit and
// blame": per agent its Shapley credit, the sum of its message rewards and
// its first error, with the one rule that links them in this episode.
import 'agent-credit/ui';
import { h } from './dom.js';
import { formatNumber } from './format.js';
import { preferenceSection, type PreferenceLoader } from './preferences.js';
import type { EpisodeEntry, TableEntry } from './protocol.js';

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h('section', { class: 'panel result-section' }, h('h3', {}, title), ...content);
}

function component<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]>): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), properties);
}

const name = (text: string) => h('bdi', {}, text);

/** The rule that turns credit into rewards in this episode, in one sentence. */
function rule({ signals }: EpisodeEntry): string {
  const hasCredit = signals.agents.every((a) => a.credit !== null);
  if (signals.success) {
    return hasCredit
      ? 'The run succeeded: each agent’s Shapley credit is split over its own messages, so its rewards add up to its credit.'
      : 'The run succeeded, but without coalition values there is no credit to split over the messages.';
  }
  if (signals.firstError) {
    return 'The run failed: rewards come from the first error, not from credit. The first error gets the most negative reward, messages that build on it are blamed and corrective ones rewarded, while Shapley credit still measures what each agent added across all coalitions; an agent can therefore hold credit and still be blamed.';
  }
  return 'The run failed and no first error was located, so no message is rewarded or blamed.';
}

function reconciliation(entry: EpisodeEntry): HTMLElement {
  const { signals } = entry;
  const sums = new Map<string, number>();
  for (const message of signals.messages) sums.set(message.agent, (sums.get(message.agent) ?? 0) + message.reward);
  const rows = signals.agents.map(({ agent, credit, stderr }) => {
    const own = signals.firstError?.agent === agent;
    return h(
      'tr',
      { 'data-testid': 'blame-row', 'data-agent': agent },
      h('th', { scope: 'row' }, name(agent)),
      h('td', { 'data-testid': 'blame-credit' }, credit === null ? '—' : `${formatNumber(credit, 4)}${stderr !== null ? ` ± ${stderr.toFixed(4)}` : ''}`),
      h('td', { 'data-testid': 'blame-rewards' }, formatNumber(sums.get(agent) ?? 0, 4)),
      h('td', { 'data-testid': 'blame-first-error' }, own ? `message #${signals.firstError!.index}` : '—'),
    );
  });
  const annotations = signals.annotations as { mistake_agent?: unknown; mistake_step?: unknown } | undefined;
  const annotated =
    annotations && (annotations.mistake_agent !== undefined || annotations.mistake_step !== undefined)
      ? h(
          'p',
          { 'data-testid': 'annotation' },
          'The dataset’s annotation: the mistake is by ',
          name(String(annotations.mistake_agent ?? 'unknown')),
          ` at step ${String(annotations.mistake_step ?? 'unknown')}; the library found `,
          signals.firstError ? h('span', {}, `message #${signals.firstError.index} by `, name(signals.firstError.agent)) : 'no first error',
          signals.annotationAgreement ? ` (${describeAgreement(signals.annotationAgreement)}).` : '.',
        )
      : null;
  return section(
    'Credit and blame',
    h('p', { class: 'rule', 'data-testid': 'blame-rule' }, rule(entry)),
    h(
      'div',
      { class: 'scroll-x', tabindex: 0, role: 'region', 'aria-label': 'Credit and blame per agent' },
      h(
        'table',
        { class: 'blame' },
        h('thead', {}, h('tr', {}, ...['Agent', 'Shapley credit', 'Sum of its message rewards', 'Its first error'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...rows),
      ),
    ),
    annotated,
  );
}

function describeAgreement(agreement: NonNullable<EpisodeEntry['signals']['annotationAgreement']>): string {
  const word = (value: boolean | null) => (value === null ? 'not comparable' : value ? 'agrees' : 'differs');
  return `agent ${word(agreement.agent)}, step ${word(agreement.step)}`;
}

function header(entry: EpisodeEntry): HTMLElement {
  const { episode, signals } = entry;
  const facts = [
    `${signals.agents.length} agents`,
    `${episode.messages.length} messages`,
    `credit: ${entry.method}`,
    signals.firstError ? `first error: #${signals.firstError.index} by ${signals.firstError.agent}` : null,
  ].filter(Boolean);
  return h(
    'header',
    { class: 'episode-header' },
    h('h2', { tabindex: -1 }, h('bdi', { class: 'episode-id' }, episode.id), ' ', h('span', { class: `badge ${signals.success ? 'success' : 'failure'}` }, signals.success ? 'success' : 'failure')),
    episode.task ? h('p', { class: 'task' }, h('bdi', {}, episode.task)) : null,
    h('p', { class: 'facts muted' }, facts.join(' · ')),
  );
}

export function episodeView(entry: EpisodeEntry, loadPreferences: PreferenceLoader): HTMLElement {
  const { signals, episode } = entry;
  const hasCredit = signals.agents.every((a) => a.credit !== null);
  return h(
    'article',
    { class: 'episode', 'data-id': episode.id },
    header(entry),
    reconciliation(entry),
    h(
      'div',
      { class: 'charts' },
      section('Agent credit', component('ac-credit-bars', { signals })),
      hasCredit ? section('From v(∅) to v(team)', component('ac-credit-waterfall', { signals, episode, emptyValue: episode.emptyValue })) : null,
      signals.interactions && signals.agents.length > 1 ? section('Interactions', component('ac-interaction-heatmap', { signals })) : null,
    ),
    section('Rewards by message', component('ac-reward-timeline', { signals, episode })),
    section('Conversation', component('ac-transcript', { signals, episode })),
    section('Preference pairs (as exported)', preferenceSection(entry.index, entry.preferenceCount, loadPreferences)),
  );
}

export function tableView(entry: TableEntry): HTMLElement {
  const { result, interactions } = entry;
  const shapleyResult = { players: result.players, values: Float64Array.from(result.values), stderr: result.stderr ? Float64Array.from(result.stderr) : null, method: result.method as 'exact', evaluations: result.evaluations };
  return h(
    'article',
    { class: 'episode', 'data-id': entry.id },
    h('header', { class: 'episode-header' }, h('h2', { tabindex: -1 }, h('bdi', { class: 'episode-id' }, entry.id)), h('p', { class: 'facts muted' }, `${result.players.length} players · credit: ${result.method}`)),
    h(
      'div',
      { class: 'charts' },
      section('Shapley values', component('ac-credit-bars', { result: shapleyResult })),
      section('Interactions', component('ac-interaction-heatmap', { result: { players: interactions.players, matrix: Float64Array.from(interactions.matrix) }, credits: shapleyResult })),
    ),
  );
}
