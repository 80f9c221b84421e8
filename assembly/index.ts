export { allocate, release } from './scratch';
export { shapleyExact, banzhafExact, interactionsExact } from './exact';
export { tableSum } from './membership';
export { permutationBlocks } from './permutation';
export { tabulateGame, tabulateRange } from './games';
export { shapleyBatch, interactionsBatch } from './batch';
export {
  permutationSamplerBytes, permutationSamplerInit, permutationSamplerMasks, permutationSamplerValues,
  permutationSamplerAsk, permutationSamplerTell, permutationSamplerEstimate, permutationSamplerPairs,
} from './permutation-sampler';
export { designCreate, designFree, designAsk, designTell, designMasks, designValues, designTold } from './design';
export { evaluateMasks } from './evaluate';
export { proxyFit } from './proxy';
export { strataEstimate } from './strata';
export { kernelEstimate } from './kernelshap';
export {
  stratifiedCreate, stratifiedFree, stratifiedAsk, stratifiedTell, stratifiedMasks, stratifiedValues,
  stratifiedTold, stratifiedEstimate,
} from './stratified';
export { membershipChunk } from './exact-chunks';
