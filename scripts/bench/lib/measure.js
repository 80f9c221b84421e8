// Timing helpers: the best of several runs, since these machines are shared
// and noisy; targets are ratios of timings taken in the same run.

/** Best (smallest) wall time in ms of `repeat` runs of fn, after one warm-up. */
export async function bestTime(fn, repeat = 5) {
  await fn();
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export function fixed(x, digits = 1) {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

export function verdict(ok) {
  return ok ? 'met' : 'NOT met';
}

export { seededRandom } from '../../../dist/core/seeded-random.js';
