// One episode record through the library's pipeline (adapter, validation,
// attributeEpisode, exporters), with what the user set in the setup step
// applied, gathered into what the page draws and the rows each download
// holds. Runs in the worker.
import {
  attributeEpisode, toDpo, toKto, toPrm, toRewards,
  type Episode, type EpisodeJudge, type Signals,
} from 'agent-credit/episodes';
import type { EpisodeEntry, ExportKind, PreferenceRows, Setup } from './protocol.js';

export interface AttributedEpisode {
  /** What the page draws: the preference rows and the Signals' preferences stay here (they are most of the bytes). */
  entry: EpisodeEntry;
  preferences: PreferenceRows;
  /** Export rows of this episode, per kind (signals: one row, the Signals object). */
  rows: Record<ExportKind, unknown[]>;
}

/**
 * The user's mark wins over the judge's labels: the marked message becomes the
 * first error (labelled error) and damaging labels before it are lifted.
 */
export function markFirstError(episode: Episode, id: string): void {
  const index = episode.messages.findIndex((message) => message.id === id);
  if (index < 0) return;
  episode.messages.forEach((message, k) => {
    if (k < index && (message.label === 'error' || message.label === 'harmful')) message.label = 'neutral';
    if (k < index && message.score !== undefined && message.score < -0.5) delete message.score;
  });
  episode.messages[index].label = 'error';
}

function entryOf(episode: Episode, signals: Signals, method: string, preferenceCount: number): EpisodeEntry {
  return {
    kind: 'episode',
    index: -1,
    episode: {
      id: episode.id,
      ...(episode.task === undefined ? {} : { task: episode.task }),
      agents: episode.agents,
      messages: episode.messages.map((m) => ({ id: m.id, agent: m.agent, content: m.content, ...(m.label ? { label: m.label } : {}) })),
      outcome: episode.outcome,
      repairs: episode.repairs,
      emptyValue: episode.table ? episode.table[0] : null,
    },
    signals: { ...signals, preferences: [] },
    method,
    preferenceCount,
  };
}

/** Attributes one validated episode (setup already applied); throws the library's error when it cannot. */
export async function attributeOne(
  episode: Episode,
  setup: Setup,
  /** The file's name, each row's `source` column, as the CLI writes it for a file input. */
  source: string,
  /** Fills in what the episode lacks (coalition values, labels, the first error), when connected. */
  judge: EpisodeJudge | null,
): Promise<AttributedEpisode> {
  if (setup.firstError) markFirstError(episode, setup.firstError);
  // An episode's credit comes from its own coalition table (exact), as the library computes it.
  const signals = await attributeEpisode(episode, judge ? { judge } : {});
  const dpo = toDpo(signals, { source });
  const kto = toKto(signals, { source });
  // The page lists each DPO pair, then the KTO rows that no pair already shows.
  const unpaired = toKto({ ...signals, preferences: signals.preferences.filter((p) => p.type === 'unpaired') }, { source });
  const hasCredit = signals.agents.every((a) => a.credit !== null);
  const method = !hasCredit ? 'none (no coalition values)' : signals.agents.some((a) => a.stderr !== null) ? 'sampled' : 'exact';
  const preferences: PreferenceRows = [...dpo.map((row) => ({ kind: 'dpo' as const, row })), ...unpaired.map((row) => ({ kind: 'kto' as const, row }))];
  return {
    entry: entryOf(episode, signals, method, preferences.length),
    preferences,
    rows: { signals: [signals], dpo, kto, prm: toPrm(signals, episode, { source }), rewards: toRewards(signals, episode, { source }) },
  };
}
