export { shapley, banzhaf, interactions, DEFAULT_BUDGET } from './attribution/shapley.js';
export type { Game, ShapleyOptions, ShapleyResult, InteractionResult } from './attribution/shapley.js';
export { shapleyBatch } from './attribution/batch.js';
export {
  soumGame, quadraticGame, airportGame, votingGame, randomSoumGame,
  closedFormShapley, closedFormBanzhaf,
} from './core/games.js';
export type { BuiltinGame, BuiltinKind, UnanimityTerm } from './core/games.js';
export { EXACT_MAX_PLAYERS } from './core/table.js';
export { createTable } from './core/wasm-table.js';
export type { WasmTable } from './core/wasm-table.js';
export type { TableGame } from './core/table.js';
export { InputError } from './core/errors.js';
export type { InputIssue } from './core/errors.js';
export { playersSchema, tableGameSchema, shapleyOptionsSchema } from './core/schemas.js';
export type { Method } from './core/schemas.js';
export type { EvaluatorGame, EvaluatorOptions, EvaluatorResult } from './evaluator/evaluator-game.js';
export { EVALUATOR_MAX_PLAYERS, EVALUATOR_EXACT_MAX_PLAYERS } from './evaluator/evaluator-game.js';
export type { Evaluate, EvaluateContext } from './evaluator/calls.js';
export { CoalitionCache } from './evaluator/coalition-cache.js';
export type { CoalitionCacheJSON } from './evaluator/coalition-cache.js';
export { EvaluatorError } from './evaluator/evaluator-error.js';
export type { Progress, StopReason } from './evaluator/driver.js';
export { evaluatorGameSchema, evaluatorOptionsSchema } from './core/schemas.js';
export type { Pool, PoolHandle, PoolOptions } from './pool/contract.js';
export { WorkerError } from './core/errors.js';
export { owen } from './attribution/owen.js';
export type { OwenOptions, OwenResult } from './attribution/owen.js';
export { seededRandom } from './core/seeded-random.js';
