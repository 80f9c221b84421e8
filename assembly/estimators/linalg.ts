// Dense symmetric positive (semi)definite solves for the regression
// estimators: Cholesky in place on a row-major matrix, SIMD dot products.
// Directions with no information (a pivot that vanishes) are dropped: their
// coefficient is set to zero instead of blowing up.

/** Sixteen zero bytes (see cholesky). */
const zeroVector = memory.data(16, 16);

// Not inlined: its three callers' loops dwarf a call, and inlining it cost
// 344 bytes of the Wasm size budget.
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

/** Columns of L computed together: each pass over the rows below serves four columns. */
const PANEL = 4;
const panelInverse = memory.data(PANEL * 8, 16);

/**
 * Overwrites the lower triangle of the p x p matrix at `m` with its Cholesky
 * factor L (m = L L^T). A pivot below `tolerance` times its diagonal marks the
 * direction as dropped (L[j][j] = 0, column j zero).
 *
 * Left-looking by panels of four columns: the panel's own 4 x 4 triangle one
 * column at a time, then the rows below two at a time, each pair of rows
 * dotted with the panel's four rows in one sweep (eight sums sharing six loads
 * per step), which is what keeps a matrix larger than the cache streaming.
 */
export function cholesky(m: usize, p: i32, tolerance: f64): void {
  const row = <usize>p << 3;
  let j = 0;
  for (; j + PANEL <= p; j += PANEL) {
    // The panel's diagonal block, column by column.
    for (let c = j; c < j + PANEL; c++) store<f64>(panelInverse + (<usize>(c - j) << 3), column(m, row, c, j + PANEL, tolerance));
    const r0 = m + <usize>j * row;
    const r1 = r0 + row;
    const r2 = r1 + row;
    const r3 = r2 + row;
    // Rows below the panel two at a time (the last one paired with itself when p - j is odd).
    for (let i = j + PANEL; i < p; i += 2) {
      const ri = m + <usize>i * row;
      const rk = i + 1 < p ? ri + row : ri;
      // Zeros read from memory: as a constant, each of the eight would be
      // written out in full (18 bytes) in the Wasm size budget.
      const zero = v128.load(zeroVector);
      let a0 = zero;
      let a1 = zero;
      let a2 = zero;
      let a3 = zero;
      let b0 = zero;
      let b1 = zero;
      let b2 = zero;
      let b3 = zero;
      // j is a multiple of 4: no odd tail.
      for (let k = 0; k < j; k += 2) {
        const offset = <usize>k << 3;
        const x = v128.load(ri + offset);
        const y = v128.load(rk + offset);
        const l0 = v128.load(r0 + offset);
        const l1 = v128.load(r1 + offset);
        const l2 = v128.load(r2 + offset);
        const l3 = v128.load(r3 + offset);
        a0 = f64x2.add(a0, f64x2.mul(x, l0));
        a1 = f64x2.add(a1, f64x2.mul(x, l1));
        a2 = f64x2.add(a2, f64x2.mul(x, l2));
        a3 = f64x2.add(a3, f64x2.mul(x, l3));
        b0 = f64x2.add(b0, f64x2.mul(y, l0));
        b1 = f64x2.add(b1, f64x2.mul(y, l1));
        b2 = f64x2.add(b2, f64x2.mul(y, l2));
        b3 = f64x2.add(b3, f64x2.mul(y, l3));
      }
      finishPanelRow(ri, r0, row, j, a0, a1, a2, a3);
      if (rk != ri) finishPanelRow(rk, r0, row, j, b0, b1, b2, b3);
    }
  }
  // The last p mod 4 columns one at a time.
  for (; j < p; j++) column(m, row, j, p, tolerance);
}

/**
 * Column c of L in rows c..end, from columns 0..c; returns 1 / L[c][c], or 0
 * when the direction is dropped (the column is then zero).
 */
function column(m: usize, row: usize, c: i32, end: i32, tolerance: f64): f64 {
  const rc = m + <usize>c * row;
  const at = rc + (<usize>c << 3);
  const diagonal = load<f64>(at);
  const pivot = diagonal - dot(rc, rc, c);
  const keep = pivot > tolerance * diagonal && pivot > 0;
  const root = keep ? Math.sqrt(pivot) : 0;
  store<f64>(at, root);
  const inverse = keep ? 1.0 / root : 0;
  for (let i = c + 1; i < end; i++) {
    const ri = m + <usize>i * row;
    const entry = ri + (<usize>c << 3);
    store<f64>(entry, keep ? (load<f64>(entry) - dot(ri, rc, c)) * inverse : 0);
  }
  return inverse;
}

/**
 * Row ri's entries in the panel's columns j..j+3, given its dots with the
 * panel's rows over columns 0..j (lane pairs a0..a3): the part inside the
 * panel is added column by column, since it uses the entries just computed.
 */
function finishPanelRow(ri: usize, r0: usize, row: usize, j: i32, a0: v128, a1: v128, a2: v128, a3: v128): void {
  const at = ri + (<usize>j << 3);
  const l1 = r0 + row + (<usize>j << 3);
  const l2 = l1 + row;
  const l3 = l2 + row;
  const p0 = load<f64>(panelInverse);
  const p1 = load<f64>(panelInverse, 8);
  const p2 = load<f64>(panelInverse, 16);
  const p3 = load<f64>(panelInverse, 24);
  const x0 = p0 != 0 ? (load<f64>(at) - (f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1))) * p0 : 0;
  const x1 = p1 != 0
    ? (load<f64>(at, 8) - (f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1)) - x0 * load<f64>(l1)) * p1
    : 0;
  const x2 = p2 != 0
    ? (load<f64>(at, 16) - (f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1)) - x0 * load<f64>(l2) - x1 * load<f64>(l2, 8)) * p2
    : 0;
  const x3 = p3 != 0
    ? (load<f64>(at, 24) - (f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1)) - x0 * load<f64>(l3) - x1 * load<f64>(l3, 8) -
      x2 * load<f64>(l3, 16)) * p3
    : 0;
  store<f64>(at, x0);
  store<f64>(at, x1, 8);
  store<f64>(at, x2, 16);
  store<f64>(at, x3, 24);
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
  // L^T x = y by rows of L (contiguous): once x_k is known, subtract x_k L[k][0..k) from y.
  for (let k = p - 1; k >= 0; k--) {
    const rk = m + <usize>k * row;
    const diagonal = load<f64>(rk + (<usize>k << 3));
    const x = diagonal > 0 ? load<f64>(b + (<usize>k << 3)) / diagonal : 0;
    store<f64>(b + (<usize>k << 3), x);
    const f = f64x2.splat(-x);
    let i = 0;
    for (; i + 2 <= k; i += 2) {
      const offset = <usize>i << 3;
      v128.store(b + offset, f64x2.add(v128.load(b + offset), f64x2.mul(f, v128.load(rk + offset))));
    }
    if (i < k) store<f64>(b + (<usize>i << 3), load<f64>(b + (<usize>i << 3)) - x * load<f64>(rk + (<usize>i << 3)));
  }
}
