// Wires the page: loading input, options, the run with its status, progress
// and Cancel, the results, and the speed playground.
import './styles.css';
import { byId, h } from './dom.js';
import { formatMs } from './format.js';
import { FORMAT_LABELS } from './formats.js';
import { setUpLoading } from './load.js';
import { setUpPlayground } from './playground.js';
import type { AttributionResult, LoadedSource, RunOptions } from './protocol.js';
import { showProblems, showResult } from './results.js';
import { RunCancelled, RunFailed, WorkerRunner } from './runner.js';


const runner = new WorkerRunner();
const status = byId<HTMLOutputElement>('run-status');
const progress = byId<HTMLProgressElement>('run-progress');
const detail = byId('run-detail');
const cancel = byId<HTMLButtonElement>('cancel-run');
const problems = byId('problems');
const results = byId('results');
const format = byId<HTMLSelectElement>('format-select');
const method = byId<HTMLSelectElement>('method-select');
const budget = byId<HTMLInputElement>('budget-input');
const seed = byId<HTMLInputElement>('seed-input');

for (const [value, label] of Object.entries(FORMAT_LABELS)) format.appendChild(h('option', { value }, label));

function options(): RunOptions {
  return {
    format: format.value,
    method: method.value as RunOptions['method'],
    budget: Math.max(1, Math.floor(Number(budget.value) || 1)),
    seed: Math.max(0, Math.floor(Number(seed.value) || 0)),
  };
}

let current: LoadedSource | null = null;
/** Runs finished so far, on the status element as `data-runs`, so a watcher can tell a new outcome from the last one. */
let finishedRuns = 0;

function finish(state: 'done' | 'error' | 'cancelled'): void {
  status.value = state;
  status.dataset.runs = String(++finishedRuns);
}

async function run(source: LoadedSource): Promise<void> {
  current = source;
  status.value = 'running';
  detail.textContent = `Attributing ${source.name}…`;
  progress.hidden = false;
  progress.removeAttribute('value');
  cancel.disabled = false;
  showProblems(problems, []);
  const started = performance.now();
  try {
    const result = await runner.run<AttributionResult>({ kind: 'attribute', source, options: options() }, (done, total) => {
      progress.max = total;
      progress.value = done;
      detail.textContent = `Attributing ${source.name}: ${done} of ${total} records…`;
    });
    showResult(results, result);
    showProblems(problems, result.problems);
    finish('done');
    const skipped = result.problems.length ? ` Some records could not be attributed: see the problems above.` : '';
    detail.textContent = `${source.name}: done in ${formatMs(performance.now() - started)}.${skipped}`;
  } catch (error) {
    if (error instanceof RunCancelled) {
      if (runner.busy) return;
      finish('cancelled');
      detail.textContent = `Cancelled ${source.name}; earlier results stay on the page.`;
    } else {
      finish('error');
      detail.textContent = `${source.name} could not be attributed.`;
      showProblems(problems, error instanceof RunFailed ? error.problems : [{ line: null, field: '', message: String(error) }]);
    }
  } finally {
    if (!runner.busy) {
      progress.hidden = true;
      cancel.disabled = true;
    }
  }
}

setUpLoading((source) => void run(source));
cancel.addEventListener('click', () => runner.cancel());
for (const control of [format, method, budget, seed]) {
  control.addEventListener('change', () => {
    if (current) void run(current);
  });
}
setUpPlayground();
