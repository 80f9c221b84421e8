// The one-pass kernel over a whole table copied into Wasm memory: the
// reference for passes that split the table into chunks (exactPass streams a
// Float64Array of more than one chunk, so it cannot serve as that reference).
import type { ExactPass, IndexKind } from '../../src/core/exact-chunks.js';
import type { KernelExports } from '../../src/core/wasm/module.js';
import { withWindow } from '../../src/core/wasm/window.js';

export function onePass(core: KernelExports, table: Float64Array, n: number, index: IndexKind): ExactPass {
  return withWindow(core, (window) => {
    const slot = window.add(table.length);
    const out = window.add(n);
    window.f64(slot, table.length).set(table);
    const kernel = index === 'shapley' ? core.shapleyExact : core.banzhafExact;
    const total = kernel(window.pointer(slot), n, window.pointer(out));
    return { values: window.f64(out, n).slice(), total };
  });
}
