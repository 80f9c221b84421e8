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
export type { Pool, PoolOptions } from './pool-contract.js';
export { WorkerError } from './errors.js';
export { owen } from './owen.js';
export type { OwenOptions, OwenResult } from './owen.js';
export { seededRandom } from './seeded-random.js';
