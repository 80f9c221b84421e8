// Wires the page: two views (attribution, speed playground), loading input,
// the setup step, the run with its state at the top of the results, and the
// results themselves.
import './styles.css';
import { INPUT_FORMATS, FORMAT_LABELS } from 'agent-credit/episodes';
import { byId, h, replaceChildren } from './dom.js';
import { formatMs } from './format.js';
import { setUpLoading } from './load.js';
import { setUpPlayground } from './playground.js';
import type { AttributionResult, Draft, JudgeConnection, LoadedSource, PreferenceRows, RunOptions } from './protocol.js';
import { ResultsView, showProblems } from './results.js';
import { RunCancelled, RunFailed, WorkerRunner } from './runner.js';
import { showSetup, type SetupForm } from './setup.js';

const runner = new WorkerRunner();
const status = byId<HTMLOutputElement>('run-status');
const progress = byId<HTMLProgressElement>('run-progress');
const detail = byId('run-detail');
const cancel = byId<HTMLButtonElement>('cancel-run');
const problems = byId('problems');
const resultsRegion = byId('results');
// A download asks the worker for its text: the worker keeps the last run's rows.
// Preference rows too, once the run is done (asked for during a run, they would be partial).
const results = new ResultsView(
  byId('result-view'),
  (kind) => runner.query<string>({ kind: 'export', export: kind }),
  async (index) => {
    if (runner.busy) return null;
    // A worker started since the run (a Cancel that had to terminate it) no longer has the rows.
    if (runner.generation !== rowsGeneration) return 'lost';
    const rows = await runner.query<PreferenceRows>({ kind: 'preferences', index });
    return runner.generation === rowsGeneration ? rows : 'lost';
  },
);
/** The worker that holds the shown run's preference rows (see WorkerRunner.generation). */
let rowsGeneration = 0;
const format = byId<HTMLSelectElement>('format-select');
const method = byId<HTMLSelectElement>('method-select');
const budget = byId<HTMLInputElement>('budget-input');
const seed = byId<HTMLInputElement>('seed-input');
const runButton = byId<HTMLButtonElement>('run-button');
const setupContainer = byId('setup');

const LABELS: Record<string, string> = { auto: 'detect automatically', ...FORMAT_LABELS, table: 'value table { players, values }' };
for (const value of [...INPUT_FORMATS, 'table']) format.appendChild(h('option', { value }, LABELS[value] ?? value));

const judgeUrl = byId<HTMLInputElement>('judge-url');
const judgeModel = byId<HTMLInputElement>('judge-model');
const judgeKey = byId<HTMLInputElement>('judge-key');
const judgeUse = byId<HTMLInputElement>('judge-use');

/** What "Use the judge" lacks (its URL or model), or null: a run must not quietly go on without the judge asked for. */
function judgeMissing(): { field: HTMLInputElement; message: string } | null {
  if (!judgeUse.checked) return null;
  const missing = [!judgeUrl.value.trim() && 'the endpoint URL', !judgeModel.value.trim() && 'the model'].filter(Boolean);
  if (missing.length === 0) return null;
  return { field: judgeUrl.value.trim() ? judgeModel : judgeUrl, message: `"Use the judge" is ticked but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} empty: fill ${missing.length > 1 ? 'them' : 'it'} in, or untick it` };
}

/** The judge to run with, when the user connected one (the key is read from its field, kept nowhere else). */
function judgeConnection(): JudgeConnection | null {
  if (!judgeUse.checked || !judgeUrl.value.trim() || !judgeModel.value.trim()) return null;
  return { baseURL: judgeUrl.value.trim(), model: judgeModel.value.trim(), ...(judgeKey.value ? { apiKey: judgeKey.value } : {}) };
}

function options(): RunOptions {
  return {
    format: format.value,
    method: method.value as RunOptions['method'],
    budget: Math.max(1, Math.floor(Number(budget.value) || 1)),
    seed: Math.max(0, Math.floor(Number(seed.value) || 0)),
  };
}

let current: LoadedSource | null = null;
let setup: SetupForm = showSetup(setupContainer, null, () => undefined);
/** Runs finished so far, on the status element as `data-runs`, so a watcher can tell a new outcome from the last one. */
let finishedRuns = 0;

function finish(state: 'done' | 'error' | 'cancelled'): void {
  status.value = state;
  status.dataset.runs = String(++finishedRuns);
}

/** The status detail: the input's name is untrusted text, isolated so its bidi controls cannot reorder the sentence. */
function say(before: string, name: string, after: string): void {
  replaceChildren(detail, before, h('bdi', {}, name), after);
}

/** On a narrow screen the results sit below the controls: bring them into view. */
function revealResults(): void {
  if (window.matchMedia('(max-width: 900px)').matches) {
    resultsRegion.focus({ preventScroll: true });
    resultsRegion.scrollIntoView({ block: 'start' });
  }
}

/**
 * Attributes `source`. `reveal`: the user started this run (a load, the Run
 * button), so on a narrow screen the results come into view; a run that a
 * changed field starts leaves focus in that field.
 */
async function run(source: LoadedSource, reveal = false): Promise<void> {
  const judgeGap = judgeMissing();
  if (judgeGap) {
    showProblems(problems, [{ line: null, field: 'judge', message: judgeGap.message }]);
    finish('error');
    say('', source.name, ' was not attributed: the judge is not set up.');
    byId<HTMLDetailsElement>('judge-panel').open = true;
    if (reveal) judgeGap.field.focus();
    return;
  }
  status.value = 'running';
  say('Attributing ', source.name, '…');
  progress.hidden = false;
  progress.removeAttribute('value');
  cancel.disabled = false;
  showProblems(problems, []);
  results.start();
  if (reveal) revealResults();
  const started = performance.now();
  try {
    const request = runner.run<AttributionResult>(
      { kind: 'attribute', source, options: options(), setup: setup.read(), judge: judgeConnection() },
      (done, total) => {
        progress.max = total;
        progress.value = done;
        say('Attributing ', source.name, `: ${done} of ${total} records…`);
      },
      (entries) => results.add(entries),
    );
    rowsGeneration = runner.generation;
    const result = await request;
    results.finish(result);
    showProblems(problems, result.problems);
    finish('done');
    const skipped = result.problems.length ? ' Some records could not be attributed: see the problems above.' : '';
    say('', source.name, `: done in ${formatMs(performance.now() - started)}.${skipped}`);
  } catch (error) {
    if (error instanceof RunCancelled) {
      if (runner.busy) return;
      results.catchUp();
      finish('cancelled');
      say('Cancelled ', source.name, '; the episodes attributed so far stay below.');
    } else {
      results.clear();
      finish('error');
      say('', source.name, ' could not be attributed.');
      showProblems(problems, error instanceof RunFailed ? error.problems : [{ line: null, field: '', message: String(error) }]);
    }
  } finally {
    if (!runner.busy) {
      progress.hidden = true;
      cancel.disabled = true;
    }
  }
}

/** A new input: old results go, the setup step reads it, and it runs as it is. */
async function load(source: LoadedSource): Promise<void> {
  current = source;
  runButton.disabled = false;
  results.clear();
  // Reading a large input takes a while: the status says so and Cancel works from here on.
  status.value = 'running';
  say('Reading ', source.name, '…');
  progress.hidden = false;
  progress.removeAttribute('value');
  cancel.disabled = false;
  let draft: Draft | null = null;
  try {
    draft = await runner.run<Draft | null>({ kind: 'inspect', source, options: options() });
  } catch (error) {
    if (error instanceof RunCancelled) {
      // A newer input replaced this one; otherwise the user pressed Cancel.
      if (runner.busy) return;
      finish('cancelled');
      say('Cancelled reading ', source.name, '.');
      progress.hidden = true;
      cancel.disabled = true;
      return;
    }
    // Unreadable input: the run below reports where.
  }
  setup = showSetup(setupContainer, draft, () => undefined);
  await run(source, true);
}

setUpLoading((source) => void load(source));
runButton.addEventListener('click', () => {
  if (current) void run(current, true);
});
cancel.addEventListener('click', () => runner.cancel());
for (const control of [format, method, budget, seed]) {
  control.addEventListener('change', () => {
    if (current) void run(current);
  });
}

// Two views: the playground's section stays hidden (and idle) until chosen.
const views = [byId<HTMLButtonElement>('view-attribute'), byId<HTMLButtonElement>('view-playground')];
for (const button of views) {
  button.addEventListener('click', () => {
    for (const other of views) {
      other.setAttribute('aria-pressed', String(other === button));
      byId(other.dataset.view!).hidden = other !== button;
    }
  });
}
setUpPlayground();
