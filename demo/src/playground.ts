// The speed playground: pick n and a built-in game; the worker times exact
// and sampled Shapley on it and the page shows both, side by side.
import { creditChart } from './credit-chart.js';
import { byId, h, replaceChildren } from './dom.js';
import { formatCount, formatMs } from './format.js';
import type { PlaygroundRequest, PlaygroundResult } from './protocol.js';
import { RunCancelled, RunFailed, WorkerRunner } from './runner.js';

/** Rows drawn in the chart; beyond this the table of timings says enough. */
const CHART_MAX_PLAYERS = 24;

function perSecond(evaluations: number, ms: number): string {
  return ms > 0 ? `${formatCount((evaluations / ms) * 1000)} / s` : '—';
}

function resultView(result: PlaygroundResult): HTMLElement {
  const { exact, sampled } = result;
  // A budget that buys every coalition makes permutation sampling exact too.
  const covered = result.budget >= 2 ** result.n;
  const table = h(
    'table',
    { class: 'timings' },
    h('caption', {}, `${result.game} game, n = ${result.n}, seed ${result.seed}`),
    h(
      'thead',
      {},
      h('tr', {}, ...['Method', 'Time', 'Evaluations of v', 'Rate', 'Accuracy'].map((title) => h('th', { scope: 'col' }, title))),
    ),
    h(
      'tbody',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Exact (2ⁿ coalitions)'),
        h('td', { 'data-testid': 'playground-exact-ms' }, formatMs(exact.ms)),
        h('td', {}, formatCount(exact.evaluations)),
        h('td', {}, perSecond(exact.evaluations, exact.ms)),
        h('td', {}, `max |exact − closed form| = ${exact.closedFormError.toExponential(1)}`),
      ),
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, covered ? 'Permutation, budget ≥ 2ⁿ (exact)' : 'Sampled (antithetic permutations)'),
        h('td', { 'data-testid': 'playground-sampled-ms' }, formatMs(sampled.ms)),
        h('td', {}, formatCount(sampled.evaluations)),
        h('td', {}, perSecond(sampled.evaluations, sampled.ms)),
        h('td', {}, `max |sampled − exact| = ${sampled.maxError.toExponential(1)}, max stderr ${Math.max(...sampled.stderr).toExponential(1)}`),
      ),
    ),
  );
  const chart =
    result.n <= CHART_MAX_PLAYERS
      ? creditChart(
          result.players.map((agent, i) => ({ agent, credit: sampled.values[i], stderr: sampled.stderr[i] })),
          {
            testHooks: false,
            reference: exact.values,
            caption: covered
              ? 'Bars: Shapley values from the permutation method, exact here since the budget covers all 2ⁿ coalitions; dark ticks: the exact values.'
              : 'Bars: sampled Shapley values with ±1 standard error; dark ticks: the exact values.',
          },
        )
      : null;
  return h('div', {}, h('div', { class: 'scroll-x' }, table), chart);
}

export function setUpPlayground(): void {
  const runner = new WorkerRunner();
  const form = byId<HTMLFormElement>('playground-form');
  const nInput = byId<HTMLInputElement>('playground-n');
  const nValue = byId<HTMLOutputElement>('playground-n-value');
  const game = byId<HTMLSelectElement>('playground-game');
  const budget = byId<HTMLSelectElement>('playground-budget');
  const seed = byId<HTMLInputElement>('playground-seed');
  const cancel = byId<HTMLButtonElement>('playground-cancel');
  const status = byId<HTMLOutputElement>('playground-status');
  const results = byId('playground-results');

  const request = (): PlaygroundRequest => ({
    game: game.value as PlaygroundRequest['game'],
    n: Number(nInput.value),
    budget: Number(budget.value),
    seed: Math.max(0, Math.floor(Number(seed.value) || 0)),
  });

  async function run(): Promise<void> {
    const started = performance.now();
    const wanted = request();
    status.value = `running: exact over ${formatCount(2 ** wanted.n)} coalitions, then ${formatCount(wanted.budget)} sampled evaluations…`;
    cancel.disabled = false;
    try {
      const result = await runner.run<PlaygroundResult>({ kind: 'playground', request: wanted });
      replaceChildren(results, resultView(result));
      status.value = `done in ${formatMs(performance.now() - started)}`;
    } catch (error) {
      if (error instanceof RunCancelled) {
        // A newer run replaced this one, or the user pressed Cancel.
        if (!runner.busy) status.value = 'cancelled';
        return;
      }
      status.value = `failed: ${error instanceof RunFailed ? error.message : String(error)}`;
    } finally {
      if (!runner.busy) cancel.disabled = true;
    }
  }

  nInput.addEventListener('input', () => (nValue.value = nInput.value));
  // Range inputs fire 'change' when released or on each key press: run then, not on every pixel of a drag.
  for (const control of [nInput, game, budget, seed]) control.addEventListener('change', () => void run());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  cancel.addEventListener('click', () => runner.cancel());
}
