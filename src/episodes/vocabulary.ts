// The episode's normal form and its vocabulary, shared by the schema
// (episode.ts) and the fast validation path (episode-fast.ts).

/** The labels a judge may give a message. */
export const MESSAGE_LABELS = ['helpful', 'neutral', 'redundant', 'harmful', 'error', 'corrective'] as const;
/** One of {@link MESSAGE_LABELS}. */
export type MessageLabel = (typeof MESSAGE_LABELS)[number];

/** Exact attribution enumerates 2^n coalitions; a table beyond this is not a JSON record anyone writes. */
export const EPISODE_MAX_TABLE_AGENTS = 20;

/** A message of a validated episode; `id` defaults to the message's index. */
export interface EpisodeMessage {
  id: string;
  agent: string;
  content: string;
  label?: MessageLabel;
  score?: number;
  prefixValue?: number;
}

/** A validated episode in normal form: agent ids, message ids filled in. */
export interface Episode {
  id: string;
  task?: string;
  agents: string[];
  roles: Array<string | undefined>;
  messages: EpisodeMessage[];
  outcome: { score: number; success: boolean };
  /** values[mask] = v(S), bit i = agents[i]; null when the record brings no coalitions. */
  table: Float64Array | null;
  repairs: Array<{ message: string; content: string }>;
}

