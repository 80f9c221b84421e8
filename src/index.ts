export { shapley, banzhaf, interactions, DEFAULT_BUDGET } from './shapley.js';
export type { Game, ShapleyOptions, ShapleyResult, InteractionResult } from './shapley.js';
export { shapleyBatch } from './batch.js';
export {
  soumGame, quadraticGame, airportGame, votingGame, randomSoumGame,
  closedFormShapley, closedFormBanzhaf,
} from './games.js';
export type { BuiltinGame, BuiltinKind, UnanimityTerm } from './games.js';
export { EXACT_MAX_PLAYERS } from './table.js';
export type { TableGame } from './table.js';
export { InputError } from './errors.js';
export type { InputIssue } from './errors.js';
export { playersSchema, tableGameSchema, shapleyOptionsSchema } from './schemas.js';
export type { EvaluatorGame, EvaluatorOptions, EvaluatorResult } from './evaluator-game.js';
export { EVALUATOR_MAX_PLAYERS, EVALUATOR_EXACT_MAX_PLAYERS } from './evaluator-game.js';
export type { Evaluate, EvaluateContext } from './evaluator.js';
export { CoalitionCache } from './coalition-cache.js';
export type { CoalitionCacheJSON } from './coalition-cache.js';
export { EvaluatorError } from './errors.js';
export type { Progress, StopReason } from './sampler-driver.js';
export { evaluatorGameSchema, evaluatorOptionsSchema } from './schemas.js';
export { episodeSchema, messageSchema, agentSchema, outcomeSchema, coalitionSchema, repairSchema, messageLabelSchema, parseEpisode, EpisodeError, MESSAGE_LABELS } from './episode.js';
export type { Episode, EpisodeMessage, EpisodeRecord, MessageLabel, RecordSource } from './episode.js';
export { ablate } from './ablate.js';
export type { CounterfactualEpisode } from './ablate.js';
export { fromOpenAI, fromAG2, fromAutoGen, fromLangChain, fromWhoWhen, episodeFrom, INPUT_FORMATS } from './adapters/index.js';
export type { AdapterDefaults, InputFormat } from './adapters/index.js';
export { attributeEpisode, attributeEpisodes, attributeOptionsSchema } from './attribute.js';
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
