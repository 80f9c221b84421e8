// Counterfactual episodes for an evaluator: what the run looks like when only
// some agents speak. Users feed these to their judge inside `evaluate`.
import { asEpisode, type Episode, type EpisodeMessage } from './episode.js';
import { InputError } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';

/** The part of an episode a judge sees: no outcome, no coalition table. */
export interface CounterfactualEpisode {
  id: string;
  task?: string;
  /** The players kept. */
  agents: string[];
  /** The context speakers, all kept: they are part of every counterfactual. */
  context: string[];
  messages: EpisodeMessage[];
}

/**
 * The episode with only the messages of `agents` and of the context speakers
 * (user, system, tools: never players) kept, in their original order (ids
 * unchanged, so judges can refer back to the full run).
 *
 * @example
 * const evaluate = (coalition) => judge(ablate(episode, coalition));
 * await attributeEpisode(episode, { evaluate });
 */
export function ablate(episode: Episode | unknown, agents: readonly string[]): CounterfactualEpisode {
  const full = asEpisode(episode);
  if (!Array.isArray(agents)) throw new InputError('agents: expected an array of agent ids');
  const known = new Set(full.agents);
  const context = new Set(full.context);
  const keep = new Set<string>();
  agents.forEach((agent, i) => {
    if (!known.has(agent)) {
      const what = context.has(agent) ? `${JSON.stringify(agent)} is context, not a player (context messages are always kept)` : `unknown agent ${JSON.stringify(agent)}`;
      throw new InputError(`agents[${i}]: ${what}; episode ${JSON.stringify(full.id)} has ${full.agents.map(terminalText).join(', ')}`);
    }
    keep.add(agent);
  });
  const counterfactual: CounterfactualEpisode = {
    id: full.id,
    agents: full.agents.filter((agent) => keep.has(agent)),
    context: [...full.context],
    messages: full.messages.filter((message) => keep.has(message.agent) || context.has(message.agent)),
  };
  if (full.task !== undefined) counterfactual.task = full.task;
  return counterfactual;
}
