// A dataset of attributed episodes, summed up: how many, how many succeeded,
// each agent's credit across the episodes that have credit (mean, spread,
// range), and where the first errors fall, per agent and per message index.
import { InputError, type InputIssue } from '../core/errors.js';
import { describe, isRecord } from '../core/validate.js';
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

/** Sums up a dataset's Signals: outcomes, credit per agent (mean, sd, range), first errors per agent and per message index. */
export function summarize(all: readonly Signals[]): DatasetSummary {
  checkSignalsList(all);
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

/**
 * Throws an InputError naming the first item of `all` at fault and its
 * fields: plain JavaScript callers can pass anything, and a credit read as
 * text ("0.5") would turn the means into string concatenations in silence.
 */
function checkSignalsList(all: unknown): void {
  if (!Array.isArray(all)) throw new InputError([{ path: 'all', message: `expected an array of Signals (what attributeEpisodes returns), got ${describe(all)}` }], 'summarize');
  for (let k = 0; k < all.length; k++) {
    const issues = signalsIssues(all[k], `all[${k}]`);
    if (issues.length > 0) throw new InputError(issues, 'summarize');
  }
}

/** What summarize reads of one episode's Signals, and where it is wrong. */
function signalsIssues(signals: unknown, path: string): InputIssue[] {
  if (!isRecord(signals)) return [{ path, message: `expected the Signals of an episode { success, agents, firstError }, got ${describe(signals)}` }];
  const issues: InputIssue[] = [];
  if (typeof signals.success !== 'boolean') issues.push({ path: `${path}.success`, message: `expected true or false, got ${describe(signals.success)}` });
  const { agents, firstError } = signals;
  if (!Array.isArray(agents)) issues.push({ path: `${path}.agents`, message: `expected an array of { agent, credit }, got ${describe(agents)}` });
  else {
    agents.forEach((entry: unknown, i) => {
      const at = `${path}.agents[${i}]`;
      if (!isRecord(entry)) issues.push({ path: at, message: `expected { agent, credit }, got ${describe(entry)}` });
      else {
        if (typeof entry.agent !== 'string') issues.push({ path: `${at}.agent`, message: `expected the agent's name as a string, got ${describe(entry.agent)}` });
        if (entry.credit !== null && !Number.isFinite(entry.credit)) issues.push({ path: `${at}.credit`, message: `expected a finite number or null, got ${describe(entry.credit)}` });
      }
    });
  }
  if (firstError !== null && firstError !== undefined) {
    if (!isRecord(firstError)) issues.push({ path: `${path}.firstError`, message: `expected null or the first error { agent, index }, got ${describe(firstError)}` });
    else {
      if (typeof firstError.agent !== 'string') issues.push({ path: `${path}.firstError.agent`, message: `expected the agent's name as a string, got ${describe(firstError.agent)}` });
      if (!(Number.isInteger(firstError.index) && (firstError.index as number) >= 0)) issues.push({ path: `${path}.firstError.index`, message: `expected the message index, an integer from 0, got ${describe(firstError.index)}` });
    }
  }
  return issues;
}
