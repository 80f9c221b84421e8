// The episode's normal form and its vocabulary, shared by the schema
// (episode.ts) and the fast validation path (fast-validation.ts).

/** The labels a judge may give a message. */
export const MESSAGE_LABELS = ['helpful', 'neutral', 'redundant', 'harmful', 'error', 'corrective'] as const;
/** One of {@link MESSAGE_LABELS}. */
export type MessageLabel = (typeof MESSAGE_LABELS)[number];

/** Exact attribution enumerates 2^n coalitions; a table beyond this is not a JSON record anyone writes. */
export const EPISODE_MAX_TABLE_AGENTS = 20;

/** The keys episode v1 reads, per object; annotations is free-form. */
export const EPISODE_FIELDS = {
  episode: ['id', 'task', 'agents', 'context', 'messages', 'outcome', 'coalitions', 'repairs', 'annotations'],
  agent: ['id', 'role'],
  message: ['id', 'agent', 'content', 'label', 'score', 'prefixValue'],
  outcome: ['score', 'success'],
  coalition: ['agents', 'value'],
  repair: ['message', 'content'],
} as const satisfies Record<string, readonly string[]>;

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
  /** The players: the speakers who get credit, rewards and blame. */
  agents: string[];
  /**
   * Speakers whose messages are part of the transcript but who are not players
   * (the user, a system prompt, tool outputs, a human): their messages stay in
   * every transcript, prompt and counterfactual, and get no credit, reward or
   * blame. Empty for records without `context`.
   */
  context: string[];
  roles: Array<string | undefined>;
  messages: EpisodeMessage[];
  outcome: { score: number; success: boolean };
  /** values[mask] = v(S), bit i = agents[i]; null when the record brings no coalitions. */
  table: Float64Array | null;
  repairs: Array<{ message: string; content: string }>;
  /**
   * What a dataset says about the run beside the transcript (Who&When's
   * mistake_agent, mistake_step, mistake_reason, ground_truth, level; TRAIL's
   * located errors), passed through as it is. The signals carry it and say
   * whether the library's first error agrees with it.
   */
  annotations?: Record<string, unknown>;
  /**
   * Paths of the record's keys outside episode v1 (e.g. `metadata`,
   * `messages[2].timestamp`), which were dropped; the signals warn of them.
   */
  ignoredFields?: string[];
}


/** The players' messages' indices, in order: the messages that earn credit, rewards and blame. */
export function playerMessageIndices(episode: Pick<Episode, 'agents' | 'messages'>): number[] {
  const players = new Set(episode.agents);
  const indices: number[] = [];
  episode.messages.forEach((message, m) => {
    if (players.has(message.agent)) indices.push(m);
  });
  return indices;
}
