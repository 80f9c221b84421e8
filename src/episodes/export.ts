// Rows for Hugging Face TRL, field names exactly as its trainers read them:
//   DPO  { prompt, chosen, rejected }      conversational: lists of { role, content, name }
//   KTO  { prompt, completion, label }     unpaired preference
//   PRM  { prompt, completions, labels }   stepwise supervision
// and per-message rewards for policy-gradient trainers.
import type { Signals } from './attribute.js';
import { asEpisode, type Episode } from './episode.js';
import { InputError } from '../core/errors.js';
import type { Turn } from './preferences.js';

/** A row of a TRL DPO dataset (conversational preference). */
export interface DpoRow {
  prompt: Turn[];
  chosen: Turn[];
  rejected: Turn[];
}

/** A row of a TRL KTO dataset (conversational unpaired preference). */
export interface KtoRow {
  prompt: Turn[];
  completion: Turn[];
  label: boolean;
}

/** A row of a TRL PRM dataset (stepwise supervision). */
export interface PrmRow {
  prompt: string;
  completions: string[];
  labels: boolean[];
}

/** The reward of one message, for policy-gradient trainers. */
export interface RewardRow {
  episode: string;
  message: string;
  agent: string;
  reward: number;
}

/** DPO pairs: each repair against the message it repairs, each corrective attempt against its error. */
export function toDpo(signals: Signals): DpoRow[] {
  const rows: DpoRow[] = [];
  for (const preference of signals.preferences) {
    if (preference.type === 'pair') rows.push({ prompt: preference.prompt, chosen: preference.chosen, rejected: preference.rejected });
  }
  return rows;
}

/**
 * KTO rows: the unpaired preferences, plus both sides of every pair (chosen
 * true, rejected false), each distinct row once.
 */
export function toKto(signals: Signals): KtoRow[] {
  const rows: KtoRow[] = [];
  const seen = new Set<string>();
  const add = (prompt: Turn[], completion: Turn[], label: boolean) => {
    const key = `${label}\u0000${prompt.length}\u0000${completion[0].name}\u0000${completion[0].content}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push({ prompt, completion, label });
  };
  for (const preference of signals.preferences) {
    if (preference.type === 'unpaired') add(preference.prompt, preference.completion, preference.label);
  }
  for (const preference of signals.preferences) {
    if (preference.type !== 'pair') continue;
    add(preference.prompt, preference.chosen, true);
    add(preference.prompt, preference.rejected, false);
  }
  return rows;
}

/**
 * One PRM row per episode: the task as prompt, each player message a step
 * ("agent: content"), labelled true before the first error and false from it
 * on. Context messages (user, system, tools) are not steps: those before the
 * first player message join the prompt, later ones open the next step's text
 * (each on its own "speaker: content" line), so nothing of the transcript is
 * lost and no context turn gets a label. A failed episode whose first error is
 * unknown gives no row (its steps cannot be labelled honestly).
 */
export function toPrm(signals: Signals, episode: Episode | unknown): PrmRow[] {
  const checked = asEpisode(episode);
  if (checked.id !== signals.id) throw new InputError(`episode: signals are for ${JSON.stringify(signals.id)}, episode is ${JSON.stringify(checked.id)}`);
  if (!signals.success && !signals.firstError) return [];
  const errorAt = signals.firstError ? signals.firstError.index : checked.messages.length;
  const players = new Set(checked.agents);
  const lines = (from: number, to: number) => checked.messages.slice(from, to).map((message) => `${message.agent}: ${message.content}`);
  const steps = checked.messages.flatMap((message, m) => (players.has(message.agent) ? [m] : []));
  const opening = lines(0, steps.length > 0 ? steps[0] : 0);
  return [{
    prompt: [...(checked.task === undefined ? [] : [checked.task]), ...opening].join('\n'),
    completions: steps.map((m, k) => lines(k === 0 ? m : steps[k - 1] + 1, m + 1).join('\n')),
    labels: steps.map((m) => m < errorAt),
  }];
}

/** One row per message: { episode, message, agent, reward }. */
export function toRewards(signals: Signals): RewardRow[] {
  return signals.messages.map((message) => ({ episode: signals.id, message: message.id, agent: message.agent, reward: message.reward }));
}

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/**
 * One row as a JSONL line (with its "\n"): JSON.stringify, with U+2028 and
 * U+2029 escaped as `\u2028` / `\u2029`. Both are valid raw in JSON strings,
 * but line-splitting readers (Python's `str.splitlines()`, some JSONL
 * loaders) cut rows at them; escaped, the line parses to the same value.
 */
export function toJsonl(row: unknown): string {
  return JSON.stringify(row).replace(LINE_SEPARATORS, (separator) => (separator === '\u2028' ? '\\u2028' : '\\u2029')) + '\n';
}
