// Games evaluated inside Wasm: a value table, and built-in games with known
// exact values for tests and benchmarks at sizes where no table fits.
// Parameters are an f64 array at `params` laid out per kind (see src/core/games.ts).

export const GAME_TABLE: i32 = 0;
export const GAME_SOUM: i32 = 1;
export const GAME_QUADRATIC: i32 = 2;
export const GAME_AIRPORT: i32 = 3;
export const GAME_VOTING: i32 = 4;

// @ts-ignore: decorator
@inline
function f64At(base: usize, index: i32): f64 {
  return load<f64>(base + (<usize>index << 3));
}

/** v(mask) for any game kind; masks are u64, so built-in games take n <= 64. */
export function gameValue(kind: i32, params: usize, n: i32, mask: u64): f64 {
  switch (kind) {
    case GAME_TABLE:
      return load<f64>(params + (<usize>mask << 3));
    case GAME_SOUM: {
      // [termCount, coef x termCount, mask (u64) x termCount, then the index
      // prefixSoum reads: size x termCount, offset x (n+1), term ids by player]
      const terms = <i32>f64At(params, 0);
      const masks = params + (<usize>(1 + terms) << 3);
      let value: f64 = 0;
      for (let t = 0; t < terms; t++) {
        const term = load<u64>(masks + (<usize>t << 3));
        if ((mask & term) == term) value += f64At(params, 1 + t);
      }
      return value;
    }
    case GAME_QUADRATIC: {
      // [a x n, b x n*n]: v = sum a_i + sum_{i<j} b_ij
      let value: f64 = 0;
      let bits = mask;
      while (bits != 0) {
        const i = <i32>ctz(bits);
        value += f64At(params, i);
        let later = bits & (bits - 1);
        while (later != 0) {
          const j = <i32>ctz(later);
          value += f64At(params, n + i * n + j);
          later &= later - 1;
        }
        bits &= bits - 1;
      }
      return value;
    }
    case GAME_AIRPORT: {
      // [c x n]: v = max cost in the coalition (0 when empty)
      let value: f64 = 0;
      let bits = mask;
      while (bits != 0) {
        const c = f64At(params, <i32>ctz(bits));
        if (c > value) value = c;
        bits &= bits - 1;
      }
      return value;
    }
    default: {
      // GAME_VOTING [quota, w x n]: v = 1 when the coalition's weight reaches the quota
      let weight: f64 = 0;
      let bits = mask;
      while (bits != 0) {
        weight += f64At(params, 1 + <i32>ctz(bits));
        bits &= bits - 1;
      }
      return weight >= f64At(params, 0) ? 1.0 : 0.0;
    }
  }
}

/**
 * Values of the n+1 prefixes of an order into values[0..n]: the order's
 * players are the i32s at order, order + step, ... (step -4 walks an order
 * backwards, so a permutation's reverse needs no copy). Incremental where
 * the game allows, so one permutation costs O(n) for airport and voting
 * games. Tables read both prefixes of a pair in one loop (tablePairValues
 * in sampling/permutation.ts) and reach here only by the general path.
 */
export function prefixValues(kind: i32, params: usize, n: i32, order: usize, step: i32, values: usize): void {
  let mask: u64 = 0;
  if (kind == GAME_SOUM && <i32>f64At(params, 0) <= MAX_INCREMENTAL_TERMS) {
    prefixSoum(params, n, order, step, values);
  } else if (kind == GAME_QUADRATIC) {
    let value: f64 = 0;
    store<f64>(values, 0);
    for (let k = 0; k < n; k++) {
      const p = load<i32>(order + <usize>(k * step));
      value += f64At(params, p);
      for (let q = 0; q < k; q++) {
        const r = load<i32>(order + <usize>(q * step));
        value += p < r ? f64At(params, n + p * n + r) : f64At(params, n + r * n + p);
      }
      store<f64>(values + (<usize>(k + 1) << 3), value);
    }
  } else if (kind == GAME_AIRPORT) {
    let value: f64 = 0;
    store<f64>(values, 0);
    for (let k = 0; k < n; k++) {
      const c = f64At(params, load<i32>(order + <usize>(k * step)));
      if (c > value) value = c;
      store<f64>(values + (<usize>(k + 1) << 3), value);
    }
  } else if (kind == GAME_VOTING) {
    const quota = f64At(params, 0);
    let weight: f64 = 0;
    store<f64>(values, 0 >= quota ? 1.0 : 0.0);
    for (let k = 0; k < n; k++) {
      weight += f64At(params, 1 + load<i32>(order + <usize>(k * step)));
      store<f64>(values + (<usize>(k + 1) << 3), weight >= quota ? 1.0 : 0.0);
    }
  } else {
    store<f64>(values, gameValue(kind, params, n, 0));
    for (let k = 0; k < n; k++) {
      mask |= <u64>1 << <u64>load<i32>(order + <usize>(k * step));
      store<f64>(values + (<usize>(k + 1) << 3), gameValue(kind, params, n, mask));
    }
  }
}

const MAX_INCREMENTAL_TERMS: i32 = 4096;
const missing = memory.data(MAX_INCREMENTAL_TERMS * 4, 16);

/**
 * SOUM prefixes in O(terms + sum of term sizes): each term counts its members
 * still missing, and pays its coefficient when the count reaches zero.
 */
function prefixSoum(params: usize, n: i32, order: usize, step: i32, values: usize): void {
  const terms = <i32>f64At(params, 0);
  const sizes = 1 + 2 * terms;
  const offsets = sizes + terms;
  const ids = offsets + n + 1;
  let value: f64 = 0;
  for (let t = 0; t < terms; t++) {
    const size = <i32>f64At(params, sizes + t);
    store<i32>(missing + (<usize>t << 2), size);
    if (size == 0) value += f64At(params, 1 + t);
  }
  store<f64>(values, value);
  for (let k = 0; k < n; k++) {
    const player = load<i32>(order + <usize>(k * step));
    const end = <i32>f64At(params, offsets + player + 1);
    for (let e = <i32>f64At(params, offsets + player); e < end; e++) {
      const t = <i32>f64At(params, ids + e);
      const slot = missing + (<usize>t << 2);
      const left = load<i32>(slot) - 1;
      store<i32>(slot, left);
      if (left == 0) value += f64At(params, 1 + t);
    }
    store<f64>(values + (<usize>(k + 1) << 3), value);
  }
}

/** Writes v(mask) for the masks [first, first + count) of a built-in game to `out`: the whole table (first 0, count 2^n), or a worker's range of it. */
export function tabulateRange(kind: i32, params: usize, n: i32, first: f64, count: i32, out: usize): void {
  const start = <u64>first;
  for (let i = 0; i < count; i++) {
    store<f64>(out + (<usize>i << 3), gameValue(kind, params, n, start + <u64>i));
  }
}
