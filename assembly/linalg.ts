// Dense symmetric positive (semi)definite solves for the regression
// estimators: Cholesky in place on a row-major matrix, SIMD dot products.
// Directions with no information (a pivot that vanishes) are dropped: their
// coefficient is set to zero instead of blowing up.

// @ts-ignore: decorator
@inline
function dot(a: usize, b: usize, count: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    const offset = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + offset), v128.load(b + offset)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(a + offset, 16), v128.load(b + offset, 16)));
  }
  const acc = f64x2.add(acc0, acc1);
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; k < count; k++) sum += load<f64>(a + (<usize>k << 3)) * load<f64>(b + (<usize>k << 3));
  return sum;
}

/**
 * Overwrites the lower triangle of the p x p matrix at `m` with its Cholesky
 * factor L (m = L L^T). A pivot below `tolerance` times its diagonal marks the
 * direction as dropped (L[j][j] = 0, column j zero).
 */
export function cholesky(m: usize, p: i32, tolerance: f64): void {
  const row = <usize>p << 3;
  for (let j = 0; j < p; j++) {
    const rj = m + <usize>j * row;
    const diagonal = load<f64>(rj + (<usize>j << 3));
    const pivot = diagonal - dot(rj, rj, j);
    const keep = pivot > tolerance * diagonal && pivot > 0;
    const root = keep ? Math.sqrt(pivot) : 0;
    store<f64>(rj + (<usize>j << 3), root);
    const inverse = keep ? 1.0 / root : 0;
    let i = j + 1;
    // Two rows at a time share the loads of row j.
    for (; i + 1 < p; i += 2) {
      const ri = m + <usize>i * row;
      const rk = ri + row;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let k = 0;
      for (; k + 2 <= j; k += 2) {
        const offset = <usize>k << 3;
        const l = v128.load(rj + offset);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(ri + offset), l));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(rk + offset), l));
      }
      let s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      let s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
      if (k < j) {
        const l = load<f64>(rj + (<usize>k << 3));
        s0 += load<f64>(ri + (<usize>k << 3)) * l;
        s1 += load<f64>(rk + (<usize>k << 3)) * l;
      }
      const at0 = ri + (<usize>j << 3);
      const at1 = rk + (<usize>j << 3);
      store<f64>(at0, keep ? (load<f64>(at0) - s0) * inverse : 0);
      store<f64>(at1, keep ? (load<f64>(at1) - s1) * inverse : 0);
    }
    if (i < p) {
      const ri = m + <usize>i * row;
      const at = ri + (<usize>j << 3);
      store<f64>(at, keep ? (load<f64>(at) - dot(ri, rj, j)) * inverse : 0);
    }
  }
}

/** Solves L L^T x = b in place (b becomes x), skipping dropped directions. */
export function choleskySolve(m: usize, p: i32, b: usize): void {
  const row = <usize>p << 3;
  for (let i = 0; i < p; i++) {
    const ri = m + <usize>i * row;
    const diagonal = load<f64>(ri + (<usize>i << 3));
    const at = b + (<usize>i << 3);
    store<f64>(at, diagonal > 0 ? (load<f64>(at) - dot(ri, b, i)) / diagonal : 0);
  }
  for (let i = p - 1; i >= 0; i--) {
    const diagonal = load<f64>(m + <usize>i * row + (<usize>i << 3));
    let sum = load<f64>(b + (<usize>i << 3));
    for (let k = i + 1; k < p; k++) sum -= load<f64>(m + <usize>k * row + (<usize>i << 3)) * load<f64>(b + (<usize>k << 3));
    store<f64>(b + (<usize>i << 3), diagonal > 0 ? sum / diagonal : 0);
  }
}
