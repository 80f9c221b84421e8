// The results view of one attribution run: an episode chooser when the input
// held several, then credit, interactions, timeline, preferences, downloads.
import { creditChart } from './credit-chart.js';
import { h, replaceChildren } from './dom.js';
import { downloadButtons } from './downloads.js';
import { formatMs, formatNumber } from './format.js';
import { interactionHeatmap } from './heatmap.js';
import { preferenceList } from './preferences.js';
import type { AttributionResult, EpisodeView, InputProblem } from './protocol.js';
import { timeline } from './timeline.js';

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h('section', { class: 'panel result-section' }, h('h3', {}, title), ...content);
}

/** Beyond this many agents the heatmap takes a whole row of its own. */
const HEATMAP_HALF_WIDTH_AGENTS = 4;

function outcomeBadge(episode: EpisodeView): HTMLElement | null {
  if (episode.success === null) return null;
  return h('span', { class: `badge ${episode.success ? 'success' : 'failure'}` }, episode.success ? 'success' : 'failure');
}

function episodeSummary(episode: EpisodeView): HTMLElement {
  const facts = [
    `${episode.agentNames.length} agents`,
    episode.messages.length ? `${episode.messages.length} messages` : null,
    `credit: ${episode.method}`,
    episode.firstError ? `first error: #${episode.firstError.index} by ${episode.firstError.agent}` : null,
  ].filter(Boolean);
  return h(
    'header',
    { class: 'episode-header' },
    h('h2', {}, h('span', { class: 'episode-id' }, episode.id), ' ', outcomeBadge(episode)),
    episode.task ? h('p', { class: 'task' }, episode.task) : null,
    h('p', { class: 'facts muted' }, facts.join(' · ')),
  );
}

function interactionSection({ players, matrix }: { players: string[]; matrix: number[] }): HTMLElement {
  const panel = section('Interactions', interactionHeatmap(players, matrix));
  if (players.length > HEATMAP_HALF_WIDTH_AGENTS) panel.classList.add('full-row');
  return panel;
}

function episodeView(episode: EpisodeView): HTMLElement {
  const topCredit = [...episode.agents].sort((a, b) => b.credit - a.credit)[0];
  return h(
    'article',
    { class: 'episode' },
    episodeSummary(episode),
    h(
      'div',
      { class: 'charts' },
      episode.agents.length
        ? section(
            'Agent credit',
            topCredit ? h('p', { class: 'lead' }, `Most credit: ${topCredit.agent} (${formatNumber(topCredit.credit, 3)})`) : null,
            creditChart(episode.agents),
          )
        : section(
            'Agent credit',
            h('p', { class: 'muted' }, 'This episode brings no coalition values, so there is no Shapley credit to show; its message rewards come from the first error and the corrective attempts.'),
          ),
      episode.interactions && episode.interactions.players.length > 1 ? interactionSection(episode.interactions) : null,
    ),
    episode.messages.length
      ? section(
          'Conversation and message rewards',
          h(
            'p',
            { class: 'hint' },
            'Each message carries its reward as a colour (red: blame, green: credit) and a number. The first error and corrective attempts are marked; a repair is shown beside the message it repairs.',
          ),
          timeline(episode),
        )
      : section('Conversation', h('p', { class: 'muted' }, 'This input is a value table: it has no messages to reward.')),
    episode.messages.length ? section('Preference pairs (as exported)', preferenceList(episode)) : null,
  );
}

/** Renders `result`; with several episodes a chooser switches between them. */
export function showResult(container: HTMLElement, result: AttributionResult): void {
  const slot = h('div', { class: 'episode-slot' });
  const show = (index: number) => replaceChildren(slot, episodeView(result.episodes[index]));
  let chooser: HTMLElement | null = null;
  if (result.episodes.length > 1) {
    const select = h(
      'select',
      { id: 'episode-picker' },
      ...result.episodes.map((episode, i) => h('option', { value: String(i) }, `${i + 1}. ${episode.id}${episode.success === false ? ' (failed)' : ''}`)),
    );
    select.addEventListener('change', () => show(Number(select.value)));
    chooser = h('label', { class: 'field episode-chooser' }, h('span', {}, `Episode (${result.episodes.length} in this input)`), select);
  }
  replaceChildren(
    container,
    h(
      'div',
      { class: 'panel result-toolbar' },
      h(
        'p',
        { class: 'muted' },
        `${result.source} · format ${result.format} · ${result.episodes.length} ${result.episodes.length === 1 ? 'episode' : 'episodes'} in ${formatMs(result.elapsedMs)}`,
      ),
      chooser,
      downloadButtons(result),
    ),
    slot,
  );
  show(0);
}

/** Problems listed at most; a file with thousands of bad lines still shows its first ones. */
const PROBLEMS_SHOWN = 50;

export function showProblems(container: HTMLElement, problems: InputProblem[]): void {
  if (!problems.length) {
    container.replaceChildren();
    return;
  }
  const hidden = problems.length - PROBLEMS_SHOWN;
  replaceChildren(
    container,
    h(
      'div',
      { class: 'problems' },
      h('h4', {}, problems.length === 1 ? 'The input has a problem' : `The input has ${problems.length} problems`),
      h(
        'ul',
        {},
        ...problems.slice(0, PROBLEMS_SHOWN).map((problem) =>
          h(
            'li',
            { 'data-testid': 'input-problem', 'data-line': problem.line ?? '', 'data-field': problem.field },
            problem.line !== null ? h('span', { class: 'where' }, `line ${problem.line}`) : null,
            problem.field ? h('code', { class: 'field-path' }, problem.field) : null,
            h('span', { class: 'message' }, problem.message),
          ),
        ),
      ),
      hidden > 0 ? h('p', {}, `…and ${hidden} more.`) : null,
    ),
  );
}
