// The `agent-credit/episodes` entry: from multi-agent episodes to training
// signals. A subpath of its own so that apps that only need Shapley values
// keep the main entry within its size budget.
export { episodeSchema, messageSchema, parseEpisode, EpisodeError, MESSAGE_LABELS } from './episode.js';
export type { Episode, EpisodeMessage, EpisodeRecord, MessageLabel, RecordSource } from './episode.js';
export { ablate } from './ablate.js';
export type { CounterfactualEpisode } from './ablate.js';
export { fromOpenAI, fromAG2, fromAutoGen, fromLangChain, fromWhoWhen, episodeFrom, INPUT_FORMATS } from './adapters/index.js';
export type { AdapterDefaults, InputFormat } from './adapters/index.js';
export { attributeEpisode, attributeEpisodes } from './attribute.js';
export type { Signals, AttributeOptions, BatchAttributeOptions } from './attribute.js';
export type { CoalitionEvaluator } from './credit.js';
export { splitCredit, messageQuality } from './refine.js';
export { failureRewards } from './repair.js';
export { findFirstError, searchFirstError } from './first-error.js';
export type { FirstError, FirstErrorOptions, FirstErrorStrategy, RecoverableOracle } from './first-error.js';
export { preferencesOf } from './preferences.js';
export type { Preference, PreferencePair, UnpairedPreference, Turn } from './preferences.js';
export { toDpo, toKto, toPrm, toRewards } from './export.js';
export type { DpoRow, KtoRow, PrmRow, RewardRow } from './export.js';
