// One episode record through the library's pipeline (adapter, validation,
// attributeEpisode, exporters), gathered into what the page shows and the
// rows each download holds. Runs in the worker.
import {
  attributeEpisode, episodeFrom, toDpo, toKto, toPrm, toRewards,
  type AttributeOptions, type Episode, type InputFormat, type Signals,
} from 'agent-credit/episodes';
import type { EpisodeView, ExportKind, RunOptions } from './protocol.js';

export interface AttributedEpisode {
  view: EpisodeView;
  /** Export rows of this episode, per kind (signals: one row, the Signals object). */
  rows: Record<ExportKind, unknown[]>;
}

/** v(S) from the episode's own coalition table, for sampled credit through the evaluator path. */
function tableEvaluator(episode: Episode, table: Float64Array): NonNullable<AttributeOptions['evaluate']> {
  const bit = new Map(episode.agents.map((agent, i) => [agent, 2 ** i]));
  return (coalition: string[]) => table[coalition.reduce((mask, agent) => mask + (bit.get(agent) ?? 0), 0)];
}

function attributeOptions(episode: Episode, options: RunOptions): AttributeOptions {
  // With a full coalition table the library's credit is exact; 'sampled' asks
  // for the permutation estimate of the same game, stderr and all.
  if (options.method !== 'permutation' || !episode.table) return {};
  return { evaluate: tableEvaluator(episode, episode.table), method: 'permutation', budget: options.budget, seed: options.seed };
}

function viewOf(episode: Episode, signals: Signals, method: string, preferences: EpisodeView['preferences']): EpisodeView {
  const n = signals.agents.length;
  const hasCredit = signals.agents.every((a) => a.credit !== null);
  const rewardOf = new Map(signals.messages.map((message) => [message.id, message.reward]));
  return {
    id: signals.id,
    task: episode.task ?? null,
    success: signals.success,
    method: hasCredit ? method : 'none (no coalition values)',
    agentNames: signals.agents.map((a) => a.agent),
    agents: hasCredit ? signals.agents.map((a) => ({ agent: a.agent, credit: a.credit!, stderr: a.stderr })) : [],
    interactions: signals.interactions && n > 1 ? { players: signals.agents.map((a) => a.agent), matrix: signals.interactions.flat() } : null,
    // Context messages (user, system, tools) have no reward row: rewards are looked up by message id.
    messages: episode.messages.map((message, index) => ({
      id: message.id,
      index,
      agent: message.agent,
      content: message.content,
      label: message.label ?? null,
      reward: rewardOf.get(message.id) ?? null,
      corrective: message.label === 'corrective',
    })),
    firstError: signals.firstError
      ? { id: signals.firstError.id, index: signals.firstError.index, agent: signals.firstError.agent, strategy: signals.firstError.strategy }
      : null,
    repairs: episode.repairs,
    preferences,
  };
}

/** Adapts, validates and attributes one record; throws the library's EpisodeError when it is not a valid episode. */
export async function attributeRecord(
  format: InputFormat,
  record: unknown,
  defaults: { id: string; file: string; line?: number },
  options: RunOptions,
  /** The file's name, each row's `source` column, as the CLI writes it for a file input. */
  source: string,
): Promise<AttributedEpisode> {
  const episode = episodeFrom(format, record, { file: defaults.file, line: defaults.line }, { id: defaults.id });
  const attributeWith = attributeOptions(episode, options);
  const signals = await attributeEpisode(episode, attributeWith);
  const dpo = toDpo(signals, { source });
  const kto = toKto(signals, { source });
  // The page lists each DPO pair, then the KTO rows that no pair already shows.
  const unpaired = toKto({ ...signals, preferences: signals.preferences.filter((p) => p.type === 'unpaired') }, { source });
  const method = !attributeWith.evaluate
    ? 'exact'
    : options.budget >= 2 ** episode.agents.length
      ? 'exact (permutation with a budget that covers all 2ⁿ coalitions)'
      : 'sampled (permutation)';
  return {
    view: viewOf(episode, signals, method, [
      ...dpo.map((row) => ({ kind: 'dpo' as const, row })),
      ...unpaired.map((row) => ({ kind: 'kto' as const, row })),
    ]),
    rows: { signals: [signals], dpo, kto, prm: toPrm(signals, episode, { source }), rewards: toRewards(signals, episode, { source }) },
  };
}
