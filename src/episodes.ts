// The `agent-credit/episodes` entry: from multi-agent episodes to training
// signals. A subpath of its own so that apps that only need Shapley values
// keep the main entry within its size budget.
export { episodeSchema, messageSchema, parseEpisode, EpisodeError, MESSAGE_LABELS } from './episodes/episode.js';
export type { Episode, EpisodeMessage, EpisodeRecord, MessageLabel, RecordSource } from './episodes/episode.js';
export { fileEpisodeId, distinctEpisodeId } from './episodes/episode-ids.js';
export { ablate } from './episodes/ablate.js';
export type { CounterfactualEpisode } from './episodes/ablate.js';
export {
  fromOpenAI, fromOpenAIResponses, fromAG2, fromAutoGen, fromLangChain, fromOtel, fromText, fromWhoWhen,
  episodeFrom, episodesFrom, detectFormat, formatOf, INPUT_FORMATS, RECORD_FORMATS, FORMAT_LABELS,
} from './episodes/adapters/index.js';
export type { AdapterDefaults, ContentOptions, InputFormat, OtelOptions, RecordFormat, ResponsesOptions, TextOptions } from './episodes/adapters/index.js';
export { annotationAgreement } from './episodes/annotations.js';
export type { AnnotationAgreement } from './episodes/annotations.js';
export { attributeEpisode, attributeEpisodes } from './episodes/attribute.js';
export type { Signals, AttributeOptions, AttributeEpisodesOptions, BatchAttributeOptions, EpisodeEvaluator } from './episodes/attribute.js';
export type { SignalSources, MessageSource, ValueSource } from './episodes/fill.js';
export type { EpisodeJudge, JudgeUsage, MessageJudgement, JudgementOptions } from './episodes/judge-contract.js';
export type { CoalitionEvaluator } from './episodes/credit.js';
export { splitCredit, messageQuality } from './episodes/refine.js';
export { failureRewards } from './episodes/repair.js';
export { findFirstError, searchFirstError } from './episodes/first-error.js';
export type { FirstError, FirstErrorOptions, FirstErrorStrategy, RecoverableOracle } from './episodes/first-error.js';
export { preferencesOf } from './episodes/preferences.js';
export type { Preference, PreferencePair, UnpairedPreference } from './episodes/preferences.js';
export { agentView, foldSystemTurn } from './episodes/agent-view.js';
export type { Turn, SystemTurn } from './episodes/agent-view.js';
export { toDpo, toKto, toPrm, toRewards, toJsonl, dpoRows, ktoRows, prmRows, rewardRows } from './episodes/export.js';
export type { DpoRow, KtoRow, PrmRow, RewardRow, RowIdentity, ExportOptions, PrmOptions } from './episodes/export.js';
