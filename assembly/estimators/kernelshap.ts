// KernelSHAP on the paired size-class design: the Shapley values are the
// solution of min sum_S mu(S) (v(S) - v(empty) - sum_{i in S} phi_i)^2 subject
// to sum phi = v(N) - v(empty), mu the Shapley kernel
// (n-1) / (C(n,s) s (n-s)). An enumerated size enters with its exact weights;
// a sampled size's coalitions share its total kernel mass equally. The
// constraint is solved exactly (Lagrange), so efficiency holds to rounding.

import { Design } from '../sampling/design';
import { cholesky, choleskySolve } from './linalg';
import { countClasses } from './proxy';
import { binomial } from '../exact/weights';

const MAX_PLAYERS = 64;
const classCount = memory.data((MAX_PLAYERS + 1) * 8, 16);
const classWeight = memory.data((MAX_PLAYERS + 1) * 8, 16);

/** matrix: n x n scratch; rhs: 2n scratch; values: n out. */
export function kernelEstimate(state: usize, matrix: usize, rhs: usize, values: usize): void {
  const d = changetype<Design>(state);
  const n = d.n;
  const row = <usize>n << 3;
  memory.fill(matrix, 0, <usize>n * row);
  memory.fill(rhs, 0, row * 2);
  const empty = load<f64>(d.values);
  const total = load<f64>(d.values + 8) - empty;
  countClasses(d, classCount);
  for (let c = 1; c < n; c++) {
    const m = load<f64>(classCount + (<usize>c << 3));
    const size = binomial(n, c);
    const mass = <f64>(n - 1) / <f64>(c * (n - c));
    store<f64>(classWeight + (<usize>c << 3), m > 0 ? mass / min(m, size) : 0);
  }
  for (let j = 2; j < d.told; j++) {
    const mask = load<u64>(d.masks + (<usize>j << 3));
    const weight = load<f64>(classWeight + (<usize>popcnt(mask) << 3));
    const y = weight * (load<f64>(d.values + (<usize>j << 3)) - empty);
    let bits = mask;
    while (bits != 0) {
      const i = <i32>ctz(bits);
      const start = matrix + <usize>i * row;
      let earlier = mask & ((<u64>1 << <u64>i) - 1);
      while (earlier != 0) {
        const at = start + (<usize>ctz(earlier) << 3);
        store<f64>(at, load<f64>(at) + weight);
        earlier &= earlier - 1;
      }
      const diagonal = start + (<usize>i << 3);
      store<f64>(diagonal, load<f64>(diagonal) + weight);
      const at = rhs + (<usize>i << 3);
      store<f64>(at, load<f64>(at) + y);
      bits &= bits - 1;
    }
  }
  let trace: f64 = 0;
  for (let i = 0; i < n; i++) trace += load<f64>(matrix + <usize>i * row + (<usize>i << 3));
  for (let i = 0; i < n; i++) {
    const at = matrix + <usize>i * row + (<usize>i << 3);
    store<f64>(at, load<f64>(at) + 1e-12 * trace / <f64>n + 1e-300);
    store<f64>(rhs + row + (<usize>i << 3), 1);
  }
  cholesky(matrix, n, 1e-12);
  choleskySolve(matrix, n, rhs);
  choleskySolve(matrix, n, rhs + row);
  let sumX: f64 = 0;
  let sumU: f64 = 0;
  for (let i = 0; i < n; i++) {
    sumX += load<f64>(rhs + (<usize>i << 3));
    sumU += load<f64>(rhs + row + (<usize>i << 3));
  }
  const multiplier = sumU > 0 ? (sumX - total) / sumU : 0;
  for (let i = 0; i < n; i++) {
    store<f64>(values + (<usize>i << 3), load<f64>(rhs + (<usize>i << 3)) - multiplier * load<f64>(rhs + row + (<usize>i << 3)));
  }
}
