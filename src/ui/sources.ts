// The library's result objects, read into the rows the components draw.
// Components take these objects as they come (Signals from attributeEpisode,
// ShapleyResult from shapley(), InteractionResult from interactions(), an
// Episode from parseEpisode or an adapter) and convert nothing else.
import type { InteractionResult, ShapleyResult } from '../attribution/shapley.js';
import type { Signals } from '../episodes/attribute.js';
import type { Episode } from '../episodes/vocabulary.js';
import type { MessageJudgement } from '../episodes/judge-contract.js';

export type { InteractionResult, ShapleyResult, Signals, Episode, MessageJudgement };

export interface CreditRow {
  agent: string;
  credit: number;
  /** Standard error when sampled; null when exact. */
  stderr: number | null;
}

export interface Credits {
  rows: CreditRow[];
  /** How the credit was computed, as the result states it. */
  method: string;
  exact: boolean;
}

/** Credit per agent from Signals or a ShapleyResult; null when the episode has no credit (no coalition values). */
export function creditsOf(signals: Signals | null, result: ShapleyResult | null): Credits | null {
  if (result) {
    const rows = result.players.map((agent, i) => ({ agent, credit: result.values[i], stderr: result.stderr ? result.stderr[i] : null }));
    // A sampler whose budget covered all 2^n coalitions returns exact values with zero stderr (ShapleyOptions.method).
    const covered = result.stderr !== null && result.evaluations >= 2 ** result.players.length && result.stderr.every((error) => error === 0);
    return { rows, method: result.method, exact: result.stderr === null || covered };
  }
  if (!signals || signals.agents.some((a) => a.credit === null)) return null;
  // A stderr left out (a record written by hand) is an exact credit, not a column of "undefined".
  const rows = signals.agents.map((a) => ({ agent: a.agent, credit: a.credit as number, stderr: a.stderr ?? null }));
  const exact = rows.every((row) => row.stderr === null);
  return { rows, method: exact ? 'exact' : 'sampled', exact };
}

/** Rows ordered by credit, largest first (ties keep the result's order). */
export function byCredit(rows: CreditRow[]): CreditRow[] {
  return rows.map((row, i) => ({ row, i })).sort((a, b) => b.row.credit - a.row.credit || a.i - b.i).map(({ row }) => row);
}

export interface Interactions {
  players: string[];
  /** n x n, row-major. */
  matrix: ArrayLike<number>;
}

export function interactionsOf(signals: Signals | null, result: InteractionResult | null): Interactions | null {
  if (result) return { players: result.players, matrix: result.matrix };
  if (!signals?.interactions) return null;
  return { players: signals.agents.map((a) => a.agent), matrix: signals.interactions.flat() };
}

/** A message of an episode in the shape the transcript and timeline need. */
export interface ShownMessage {
  id: string;
  index: number;
  agent: string;
  content: string | null;
  label: string | null;
  reward: number | null;
}

/** A message as the transcript reads it: an EpisodeMessage or its record. */
export interface EpisodeMessageLike {
  id?: string;
  agent: string;
  content: string;
  label?: string;
}

/** An Episode, or the record it was parsed from (message ids default to their index, as the schema does). */
export interface EpisodeLike {
  id?: string;
  task?: string;
  messages: EpisodeMessageLike[];
  agents?: Array<string | { id: string }>;
  context?: string[];
  repairs?: Array<{ message: string; content: string }>;
  outcome?: { score: number; success: boolean };
  table?: Float64Array | null;
  coalitions?: Array<{ agents: string[]; value: number }>;
}

/** The transcript's messages with each one's reward (matched by id: context messages have none). */
export function messagesOf(episode: EpisodeLike | null, signals: Signals | null): ShownMessage[] {
  const rewards = new Map((signals?.messages ?? []).map((m) => [m.id, m.reward]));
  if (episode) {
    return episode.messages.map((message, index) => {
      const id = message.id ?? String(index);
      return { id, index, agent: message.agent, content: message.content, label: message.label ?? null, reward: rewards.get(id) ?? null };
    });
  }
  return (signals?.messages ?? []).map((message, index) => ({ id: message.id, index, agent: message.agent, content: null, label: null, reward: message.reward }));
}

/** v(empty coalition) of an episode: its table's first entry or the coalition with no agents; null when unknown. */
export function emptyValueOf(episode: EpisodeLike | null): number | null {
  if (!episode) return null;
  if (episode.table) return episode.table[0];
  const empty = episode.coalitions?.find((c) => c.agents.length === 0);
  return empty ? empty.value : null;
}
