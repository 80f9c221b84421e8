// Values of many coalitions of a game held in Wasm (table or built-in), so a
// sampler's batch is evaluated in one call.

import { gameValue } from './games';

/** out[k] = v(masks[k]) for k < count; masks are u64. */
export function evaluateMasks(kind: i32, params: usize, n: i32, masks: usize, count: i32, out: usize): void {
  for (let k = 0; k < count; k++) {
    store<f64>(out + (<usize>k << 3), gameValue(kind, params, n, load<u64>(masks + (<usize>k << 3))));
  }
}
