export { allocate, release } from './memory/scratch';
export { shapleyExact, banzhafExact, referencedExact } from './exact/exact';
export { interactionsExact } from './exact/interactions';
export { permutationBlocks } from './sampling/permutation';
export { tabulateRange } from './games/games';
export { shapleyBatch, interactionsBatch } from './exact/batch';
export {
  permutationSamplerBytes, permutationSamplerInit, permutationSamplerMasks, permutationSamplerValues,
  permutationSamplerAsk, permutationSamplerTell, permutationSamplerEstimate,
} from './sampling/permutation-sampler';
export { designCreate, designFree, designAsk, designTell, designMasks, designValues, designTold } from './sampling/design';
export { evaluateMasks } from './games/evaluate';
export { proxyFit } from './estimators/proxy';
export { strataEstimate } from './estimators/strata';
export { kernelEstimate } from './estimators/kernelshap';
export {
  stratifiedCreate, stratifiedFree, stratifiedAsk, stratifiedTell, stratifiedMasks, stratifiedValues,
  stratifiedTold, stratifiedEstimate,
} from './sampling/stratified';
export { membershipChunk } from './exact/exact-chunks';
