// A dataset of attributed episodes, summed up: how many, how many succeeded,
// each agent's credit across the episodes that have credit (mean, spread,
// range), and where the first errors fall, per agent and per message index.
import { InputError } from '../core/errors.js';
import { signalsListIssues } from './property-checks.js';
import type { Signals } from './sources.js';

/** One agent's credit across the episodes in which it has credit. */
export interface AgentSummary {
  agent: string;
  /** Episodes in which the agent has credit. */
  episodes: number;
  mean: number;
  /** Sample standard deviation across those episodes (0 for one). */
  sd: number;
  min: number;
  max: number;
}

/** What summarize() finds in a dataset. */
export interface DatasetSummary {
  episodes: number;
  successes: number;
  failures: number;
  /** Failed episodes with no first error located. */
  unlocated: number;
  agents: AgentSummary[];
  /** First errors per agent, most first. */
  firstErrorsByAgent: Array<{ agent: string; count: number }>;
  /** First errors per message index, in index order. */
  firstErrorsByStep: Array<{ index: number; count: number }>;
}

/**
 * Sums up a dataset's Signals: outcomes, credit per agent (mean, sd, range),
 * first errors per agent and per message index. An item that is not Signals
 * is an InputError naming it and its field: plain JavaScript callers can pass
 * anything, and a credit read as text ("0.5") would turn the means into
 * string concatenations in silence.
 */
export function summarize(all: readonly Signals[]): DatasetSummary {
  const issues = signalsListIssues(all, 'all');
  if (issues.length > 0) throw new InputError(issues, 'summarize');
  return summarizeChecked(all);
}

/** summarize of Signals already checked (the overview checks them when they are set). */
export function summarizeChecked(all: readonly Signals[]): DatasetSummary {
  const credit = new Map<string, { n: number; mean: number; m2: number; min: number; max: number }>();
  const byAgent = new Map<string, number>();
  const byStep = new Map<number, number>();
  let successes = 0;
  let unlocated = 0;
  for (const signals of all) {
    if (signals.success) successes++;
    else if (!signals.firstError) unlocated++;
    if (signals.firstError) {
      byAgent.set(signals.firstError.agent, (byAgent.get(signals.firstError.agent) ?? 0) + 1);
      byStep.set(signals.firstError.index, (byStep.get(signals.firstError.index) ?? 0) + 1);
    }
    for (const { agent, credit: value } of signals.agents) {
      if (value === null) continue;
      // Welford's update: one pass, no cancellation for large datasets.
      const s = credit.get(agent) ?? { n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
      s.n++;
      const delta = value - s.mean;
      s.mean += delta / s.n;
      s.m2 += delta * (value - s.mean);
      s.min = Math.min(s.min, value);
      s.max = Math.max(s.max, value);
      credit.set(agent, s);
    }
  }
  return {
    episodes: all.length,
    successes,
    failures: all.length - successes,
    unlocated,
    agents: [...credit].map(([agent, s]) => ({ agent, episodes: s.n, mean: s.mean, sd: s.n > 1 ? Math.sqrt(s.m2 / (s.n - 1)) : 0, min: s.min, max: s.max }))
      .sort((a, b) => b.mean - a.mean),
    firstErrorsByAgent: [...byAgent].map(([agent, count]) => ({ agent, count })).sort((a, b) => b.count - a.count || (a.agent < b.agent ? -1 : 1)),
    firstErrorsByStep: [...byStep].map(([index, count]) => ({ index, count })).sort((a, b) => a.index - b.index),
  };
}
