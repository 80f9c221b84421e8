// Seeded random episodes for property tests: random agents, labels, scores,
// prefix values and a full coalition table.
import { MESSAGE_LABELS } from '../../src/episodes/episode.js';
import { seededRandom } from '../../src/core/seeded-random.js';

export { seededRandom };

export interface RandomEpisodeOptions {
  agents?: number;
  messages?: number;
  success?: boolean;
  /** Probability that a message has a label / a score. */
  labelled?: number;
  scored?: number;
  harmful?: boolean;
  /** Context speakers (user0, user1, ...; not players) whose messages are mixed in. Default 0. */
  context?: number;
}

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)];

export function randomEpisode(seed: number, options: RandomEpisodeOptions = {}): Record<string, unknown> & { agents: string[]; messages: Array<Record<string, unknown>> } {
  const random = seededRandom(seed);
  const n = options.agents ?? 2 + Math.floor(random() * 4);
  const agents = Array.from({ length: n }, (_, i) => `agent${i}`);
  const count = options.messages ?? n + Math.floor(random() * 8);
  const labels = options.harmful === false ? MESSAGE_LABELS.filter((label) => label !== 'harmful' && label !== 'error') : MESSAGE_LABELS;
  const context = Array.from({ length: options.context ?? 0 }, (_, i) => `user${i}`);
  const messages = Array.from({ length: count }, (_, m) => {
    const speaker = m < n ? agents[m] : context.length > 0 && random() < 0.3 ? pick(context, random) : pick(agents, random);
    const message: Record<string, unknown> = { id: `m${m}`, agent: speaker, content: `message ${m}` };
    if (random() < (options.labelled ?? 0.6)) message.label = pick(labels, random);
    if (random() < (options.scored ?? 0.5)) message.score = Math.round((2 * random() - 1) * 100) / 100;
    if (random() < 0.5) message.prefixValue = Math.round(random() * 100) / 100;
    return message;
  });
  const size = 2 ** n;
  const coalitions = [];
  for (let mask = 0; mask < size; mask++) {
    const members = agents.filter((_, i) => mask & (1 << i));
    coalitions.push({ agents: members, value: mask === 0 ? 0 : Math.round((random() * members.length * 0.4 - 0.1) * 1000) / 1000 });
  }
  const score = coalitions[size - 1].value;
  const record = { id: `ep-${seed}`, task: `task ${seed}`, agents, messages, outcome: { score, success: options.success ?? random() < 0.5 }, coalitions };
  return context.length > 0 ? { ...record, context } : record;
}

/**
 * A random run for the export tests: one to four agents (some with roles),
 * with or without a task, half of the runs with context speakers (a user, a
 * tool), runs of several messages by one speaker, errors, corrections by the
 * same or another agent, and repairs; failed or not.
 */
export function randomRun(seed: number): Record<string, unknown> {
  const random = seededRandom(seed);
  const n = 1 + Math.floor(random() * 4);
  const ids = Array.from({ length: n }, (_, i) => `agent${i}`);
  const agents = ids.map((id) => (random() < 0.5 ? { id, role: `does part ${id.slice(5)} of the work` } : id));
  const count = 1 + Math.floor(random() * 12);
  const labels = ['helpful', 'error', 'harmful', 'corrective', 'neutral'] as const;
  const context = random() < 0.5 ? ['user', 'tool'] : [];
  const speakers = [...ids, ...context];
  let speaker = pick(speakers, random);
  const messages = Array.from({ length: count }, (_, m) => {
    if (random() < 0.45) speaker = pick(speakers, random);
    const message: Record<string, unknown> = { id: `m${m}`, agent: speaker, content: `${speaker} says ${m}` };
    if (random() < 0.7) message.label = pick(labels, random);
    return message;
  });
  const repairs = messages.filter((message) => ids.includes(message.agent as string) && random() < 0.2).map((message) => ({ message: message.id, content: `better ${message.id}` }));
  const size = 2 ** n;
  const coalitions = [];
  for (let mask = 0; mask < size; mask++) {
    const members = ids.filter((_, i) => mask & (1 << i));
    coalitions.push({ agents: members, value: mask === 0 ? 0 : Math.round(random() * 1000) / 1000 });
  }
  const record: Record<string, unknown> = {
    id: `run-${seed}`, agents, messages, outcome: { score: coalitions[size - 1].value, success: random() < 0.3 }, coalitions, repairs,
  };
  if (random() < 0.5) record.task = `task ${seed}`;
  if (context.length > 0) record.context = context;
  return record;
}
