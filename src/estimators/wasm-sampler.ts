// The host half of a sampler whose state lives in Wasm: ask copies the new
// coalitions out of Wasm memory (u64 masks -> MaskBatch words), tell copies
// their values in. Shared by every Wasm estimator, which only differ in
// their kernels (SamplerOps) and in how they estimate.
import { maskWords, type CoalitionSampler, type MaskBatch, type SamplerEstimate } from './ask-tell.js';
import type { KernelExports } from '../core/wasm/module.js';
import { allocateBlock } from '../core/wasm/window.js';

/** The kernels of one sampler kind; each takes the state pointer. */
export interface SamplerOps {
  /** Appends whole units of at most `max` new coalitions; returns how many. */
  ask(state: number, max: number): number;
  /** Values of the pending coalitions were written at values + 8 * told. */
  tell(state: number): void;
  masks(state: number): number;
  values(state: number): number;
  told(state: number): number;
  free(state: number): void;
}

export class WasmSampler implements CoalitionSampler {
  private pending = 0;
  /**
   * Smallest batch ask() hands out before it caps batches at the number of
   * coalitions already known (0: no cap). Drivers that estimate after every
   * batch then estimate O(log budget) times, not once per small batch.
   */
  batchFloor = 0;

  constructor(
    protected readonly core: KernelExports,
    readonly players: number,
    private state: number,
    private readonly ops: SamplerOps,
    private readonly estimator: (state: number) => SamplerEstimate,
  ) {}

  protected live(): number {
    if (this.state === 0) throw new Error('agent-credit: this sampler has been disposed');
    return this.state;
  }

  ask(max: number): MaskBatch {
    const state = this.live();
    if (this.pending > 0) throw new Error('agent-credit: tell() the values of the last batch before asking again');
    const told = this.ops.told(state);
    const cap = this.batchFloor > 0 ? Math.max(this.batchFloor, told) : 2 ** 31 - 1;
    const count = this.ops.ask(state, Math.max(0, Math.min(Math.floor(max), cap, 2 ** 31 - 1)));
    this.pending = count;
    const first = this.ops.masks(state) + 8 * told;
    const raw = new Uint32Array(this.core.memory.buffer, first, 2 * count);
    if (maskWords(this.players) === 2) return raw.slice();
    const masks = new Uint32Array(count);
    for (let k = 0; k < count; k++) masks[k] = raw[2 * k];
    return masks;
  }

  tell(values: Float64Array): void {
    const state = this.live();
    if (values.length !== this.pending) {
      throw new Error(`agent-credit: expected ${this.pending} values for the last batch, got ${values.length}`);
    }
    const first = this.ops.values(state) + 8 * this.ops.told(state);
    new Float64Array(this.core.memory.buffer, first, values.length).set(values);
    this.ops.tell(state);
    this.pending = 0;
  }

  /** Distinct coalitions whose values are known. */
  get evaluations(): number {
    return this.state === 0 ? 0 : this.ops.told(this.state);
  }

  estimate(): SamplerEstimate {
    return this.estimator(this.live());
  }

  /**
   * Runs to completion on a game held in Wasm: ask, evaluate in Wasm, tell,
   * in batches as large as the budget, with nothing copied through the host.
   */
  runInWasm(kindId: number, params: Float64Array): void {
    const state = this.live();
    const slot = allocateBlock(this.core, params.length * 8);
    try {
      new Float64Array(this.core.memory.buffer, slot, params.length).set(params);
      for (;;) {
        const asked = this.ops.ask(state, 2 ** 31 - 1);
        if (asked === 0) break;
        const told = this.ops.told(state);
        this.core.evaluateMasks(kindId, slot, this.players, this.ops.masks(state) + 8 * told, asked, this.ops.values(state) + 8 * told);
        this.ops.tell(state);
      }
    } finally {
      this.core.release(slot);
    }
  }

  dispose(): void {
    if (this.state !== 0) this.ops.free(this.state);
    this.state = 0;
  }
}
