// The results of one run: a toolbar (source, format, downloads or what is
// missing), the dataset view when the input held several records, and the
// chosen episode. Entries arrive in batches while the run goes on; each batch
// is drawn in its own task, so a long run never freezes the page.
import { h, replaceChildren } from './dom.js';
import { datasetView, type DatasetView } from './dataset-view.js';
import { downloadButtons } from './downloads.js';
import { episodeView, tableView } from './episode-view.js';
import { formatMs } from './format.js';
import type { PreferenceLoader } from './preferences.js';
import type { AttributionResult, ExportKind, InputProblem, ResultEntry } from './protocol.js';

/** How often the dataset view catches up with a run in progress. */
const CATCH_UP_MS = 400;

export class ResultsView {
  private entries: ResultEntry[] = [];
  private dataset: DatasetView | null = null;
  /** Entries the dataset view holds so far. */
  private drawn = 0;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private readonly toolbar = h('div', { class: 'panel result-toolbar' });
  private readonly datasetSlot = h('div');
  private readonly episodeSlot = h('div', { class: 'episode-slot' });

  constructor(
    private readonly container: HTMLElement,
    private readonly exportText: (kind: ExportKind) => Promise<string>,
    private readonly loadPreferences: PreferenceLoader,
  ) {}

  /** Removes every result (a new input was loaded, or the run failed). */
  clear(message = ''): void {
    if (this.pending !== null) clearTimeout(this.pending);
    this.pending = null;
    this.entries = [];
    this.dataset = null;
    this.drawn = 0;
    replaceChildren(this.container, message ? h('p', { class: 'empty muted' }, message) : null);
  }

  /** A new run: the old results go at once. */
  start(): void {
    this.clear();
    replaceChildren(this.toolbar);
    replaceChildren(this.datasetSlot);
    replaceChildren(this.episodeSlot);
    replaceChildren(this.container, this.toolbar, this.datasetSlot, this.episodeSlot);
  }

  add(entries: ResultEntry[]): void {
    if (!this.entries.length && entries.length) this.show(entries[0]);
    this.entries.push(...entries);
    if (this.entries.length < 2) return;
    if (!this.dataset) {
      this.dataset = datasetView(this.entries.slice(), (entry) => this.show(entry, true));
      this.drawn = this.entries.length;
      replaceChildren(this.datasetSlot, this.dataset.element);
      return;
    }
    // Batches arrive faster than anyone reads; the overview and list catch up a few times a second.
    this.pending ??= setTimeout(() => this.catchUp(), CATCH_UP_MS);
  }

  /** Brings the dataset view up to the entries received so far. */
  catchUp(): void {
    if (this.pending !== null) clearTimeout(this.pending);
    this.pending = null;
    if (!this.dataset || this.drawn === this.entries.length) return;
    this.dataset.add(this.entries.slice(this.drawn));
    this.drawn = this.entries.length;
  }

  finish(result: AttributionResult): void {
    this.catchUp();
    const summary = h(
      'p',
      { class: 'muted' },
      // The file name is untrusted: isolated for bidi, so it cannot reorder the rest.
      h('bdi', {}, result.source),
      ` · format ${result.format} · ${result.entries} ${result.entries === 1 ? 'episode' : 'episodes'} in ${formatMs(result.elapsedMs)}`,
    );
    const missing = result.missing.length
      ? h('div', { class: 'missing', 'data-testid': 'missing' }, h('h3', {}, 'Nothing to export yet'), h('ul', {}, ...result.missing.map((text) => h('li', {}, text))))
      : null;
    replaceChildren(this.toolbar, summary, missing ?? downloadButtons(result, this.exportText));
  }

  private show(entry: ResultEntry, focus = false): void {
    replaceChildren(this.episodeSlot, entry.kind === 'episode' ? episodeView(entry, this.loadPreferences) : tableView(entry));
    if (focus) (this.episodeSlot.querySelector('h2') as HTMLElement | null)?.focus();
  }
}

/** Problems listed at most; a file with thousands of bad lines still shows its first ones. */
const PROBLEMS_SHOWN = 50;

/** Fields of the run's settings rather than of the input: their problems are the settings', with no input line. */
const SETTING_FIELDS = new Set(['budget', 'method', 'seed', 'judge', 'options.budget', 'options.method', 'options.seed']);

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
      h('h3', {}, problems.every((problem) => SETTING_FIELDS.has(problem.field))
        ? (problems.length === 1 ? 'The settings have a problem' : `The settings have ${problems.length} problems`)
        : (problems.length === 1 ? 'The input has a problem' : `The input has ${problems.length} problems`)),
      h(
        'ul',
        {},
        ...problems.slice(0, PROBLEMS_SHOWN).map((problem) =>
          h(
            'li',
            { 'data-testid': 'input-problem', 'data-line': problem.line ?? '', 'data-field': problem.field },
            problem.line !== null && !SETTING_FIELDS.has(problem.field) ? h('span', { class: 'where' }, `line ${problem.line}`) : null,
            problem.field ? h('code', { class: 'field-path' }, problem.field) : null,
            h('bdi', { class: 'message' }, problem.message),
          ),
        ),
      ),
      hidden > 0 ? h('p', {}, `…and ${hidden} more.`) : null,
    ),
  );
}
