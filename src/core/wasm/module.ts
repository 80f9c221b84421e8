// Owns the Wasm plumbing: decode the embedded binary, compile it once, and
// instantiate it once per thread. Workers receive the compiled Module.

/** The raw exports of the AssemblyScript core; pointers are byte offsets into `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  allocate(bytes: number): number;
  release(pointer: number): void;
  /** Returns the pass's weighted total: finite exactly when every entry is (and no sum overflows). */
  shapleyExact(table: number, n: number, out: number): number;
  banzhafExact(table: number, n: number, out: number): number;
  /** Shapley (index 0) or Banzhaf (index 1) values summed over the table less its additive reference, for n >= 8. */
  referencedExact(table: number, n: number, index: number, out: number): number;
  interactionsExact(table: number, n: number, out: number): number;
  permutationBlocks(
    kind: number, params: number, n: number, seedLow: number, seedHigh: number,
    firstBlock: number, blockCount: number, blockPairs: number, totalPairs: number, out: number,
  ): void;
  shapleyBatch(tables: number, sizes: number, count: number, out: number): void;
  interactionsBatch(tables: number, sizes: number, count: number, out: number): void;
  permutationSamplerBytes(n: number, pairsPerAsk: number): number;
  permutationSamplerInit(
    state: number, n: number, seedLow: number, seedHigh: number, totalPairs: number, blockPairs: number, pairsPerAsk: number,
  ): void;
  permutationSamplerMasks(state: number): number;
  permutationSamplerValues(state: number): number;
  permutationSamplerAsk(state: number, max: number): number;
  permutationSamplerTell(state: number): void;
  permutationSamplerEstimate(state: number): number;
  designCreate(n: number, budget: number, seedLow: number, seedHigh: number, plan: number, enumerate: number, single: number): number;
  designFree(state: number): void;
  designAsk(state: number, max: number): number;
  designTell(state: number): void;
  designMasks(state: number): number;
  designValues(state: number): number;
  designTold(state: number): number;
  evaluateMasks(kind: number, params: number, n: number, masks: number, count: number, out: number): void;
  proxyFit(state: number, folds: number, degree: number, pairDegree: number, ridge: number, scratch: number, coefs: number): void;
  strataEstimate(state: number, folds: number, degree: number, pairDegree: number, coefs: number, residuals: number, values: number, stderr: number): void;
  kernelEstimate(state: number, matrix: number, rhs: number, values: number): void;
  stratifiedCreate(n: number, budget: number, seedLow: number, seedHigh: number): number;
  stratifiedFree(state: number): void;
  stratifiedAsk(state: number, max: number): number;
  stratifiedTell(state: number): void;
  stratifiedMasks(state: number): number;
  stratifiedValues(state: number): number;
  stratifiedTold(state: number): number;
  stratifiedEstimate(state: number, values: number, stderr: number): void;
  /** blockSums: 0 to read the chunk block by block, as pool workers do; for a Shapley chunk (n >= 3) just copied into cache, 16 bytes a block (read pattern-major). */
  membershipChunk(chunk: number, n: number, firstHi: number, count: number, index: number, out: number, blockSums: number): void;
  tabulateRange(kind: number, params: number, n: number, first: number, count: number, out: number): void;
}

let compiled: Promise<WebAssembly.Module> | undefined;
let instantiated: Promise<KernelExports> | undefined;

export function decodeBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The compiled core, compiled on first use and shared afterwards. The bytes
 * are imported here, not at the top: bundlers put them in a chunk of their
 * own, loaded with the first computation, so a page that imports the library
 * does not download and parse the Wasm before it needs it.
 */
export function wasmModule(): Promise<WebAssembly.Module> {
  compiled ??= import('./binary.js').then(({ wasmBytes }) => WebAssembly.compile(decodeBytes(wasmBytes) as BufferSource));
  return compiled;
}

/**
 * The core imports nothing: it is built without AssemblyScript's abort (its
 * only import), so an allocation that fails traps, and the callers turn the
 * trap into a RangeError (window.ts).
 */
const imports = {};

/** Instantiates a Module (for workers that received one); not cached. */
export async function instantiate(module: WebAssembly.Module): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, imports);
  return instance.exports as unknown as KernelExports;
}

let loaded: KernelExports | undefined;

/** This thread's instance of the core. */
export function kernelExports(): Promise<KernelExports> {
  instantiated ??= wasmModule().then(instantiate).then((core) => (loaded = core));
  return instantiated;
}

/** This thread's instance if it is already loaded (then memory views may point into it), else undefined. */
export function loadedKernel(): KernelExports | undefined {
  return loaded;
}
