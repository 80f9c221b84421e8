// Exact enumeration as a CoalitionSampler: hands out every coalition once,
// in mask order, fills a table with the values, then runs the exact kernel.
import type { CoalitionSampler, MaskBatch, SamplerEstimate } from './ask-tell.js';
import type { KernelExports } from '../core/wasm/module.js';
import { withWindow } from '../core/wasm/window.js';

/** Coalitions handed out per ask at most: large enough that batches keep every evaluation lane busy. */
export const EXACT_BATCH = 4096;

/**
 * Enumerates all 2^n coalitions (n <= 26, one u32 word per mask). Only a
 * budget covering all of them lets it finish: a smaller `max` gets an empty
 * batch. estimate() has NaN values until the table is complete.
 */
export function createExactSampler(core: KernelExports, n: number): CoalitionSampler {
  const size = 2 ** n;
  const table = new Float64Array(size);
  let next = 0;
  let pendingStart = 0;
  let pending = 0;
  let exact: Float64Array | null = null;
  return {
    players: n,
    ask(max: number): MaskBatch {
      const count = Math.min(EXACT_BATCH, size - next);
      if (count > max || count === 0) return new Uint32Array(0);
      const masks = new Uint32Array(count);
      for (let i = 0; i < count; i++) masks[i] = next + i;
      pendingStart = next;
      pending = count;
      next += count;
      return masks;
    },
    tell(values: Float64Array): void {
      if (values.length !== pending) {
        throw new RangeError(`exact sampler: tell() expected ${pending} values (one per coalition asked), got ${values.length}`);
      }
      table.set(values, pendingStart);
      pending = 0;
    },
    estimate(): SamplerEstimate {
      if (next < size || pending > 0) return { values: new Float64Array(n).fill(NaN), stderr: null };
      exact ??= withWindow(core, (window) => {
        const input = window.add(size);
        const output = window.add(n);
        window.f64(input, size).set(table);
        core.shapleyExact(window.pointer(input), n, window.pointer(output));
        return window.f64(output, n).slice();
      });
      return { values: exact, stderr: null };
    },
    dispose(): void {},
  };
}
