// The line that ends every `agent-credit attribute` run on stderr, also one stopped
// by a bad record or a failing judge: what was read, what was written, how long it took, and a rate
// only when there is one to measure: a run shorter than a second, or of a handful of
// episodes, is mostly start-up ("5 episodes/s" on 5 episodes says nothing).
export interface RunCounts {
  episodes: number;
  success: number;
  failure: number;
  skipped: number;
  rows: number;
}

export interface RunSummary {
  counts: RunCounts;
  format: string;
  /** The one agent whose rows were kept (--agent). */
  agent?: string;
  /** The -o file, when there is one. */
  output?: string;
  seconds: number;
  /** Whether skipped records are counted (--skip-invalid). */
  skipInvalid: boolean;
  /** What stopped the run early ('a bad record', 'a judge failure'), or null for a run that went through. */
  stoppedAt: string | null;
}

/** A run reports a rate only when it took at least this many seconds... */
export const MIN_SECONDS_FOR_RATE = 1;
/** ...and attributed at least this many episodes. */
export const MIN_EPISODES_FOR_RATE = 10;

export const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function runSummaryLine({ counts, format, agent, output, seconds, skipInvalid, stoppedAt }: RunSummary): string {
  const read = `${counted(counts.episodes, 'episode')} (${counts.success} success, ${counts.failure} failure${skipInvalid ? `, ${counts.skipped} skipped` : ''})`;
  const written = format === 'summary' ? 'summary' : `${counted(counts.rows, `${format} row`)}${agent === undefined ? '' : ` of ${agent}`}`;
  const perSecond = counts.episodes / seconds;
  // Two significant digits for slow runs (an LLM judge: 0.83 episodes/s), whole numbers for fast ones.
  const rate = seconds >= MIN_SECONDS_FOR_RATE && counts.episodes >= MIN_EPISODES_FOR_RATE ? ` (${perSecond >= 100 ? Math.round(perSecond) : perSecond.toPrecision(2)} episodes/s)` : '';
  return `attribute: ${stoppedAt ? `stopped at ${stoppedAt} after ` : ''}${read} -> ${written}${output ? ` in ${output}` : ''}, ${seconds.toFixed(2)} s${rate}`;
}
