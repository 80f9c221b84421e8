export { allocate, release } from './scratch';
export { shapleyExact, banzhafExact, interactionsExact, tableSum } from './exact';
export { permutationBlocks } from './permutation';
export { tabulateGame } from './games';
export { shapleyBatch, interactionsBatch } from './batch';
export {
  permutationSamplerBytes, permutationSamplerInit, permutationSamplerMasks, permutationSamplerValues,
  permutationSamplerAsk, permutationSamplerTell, permutationSamplerEstimate, permutationSamplerPairs,
} from './permutation-sampler';
