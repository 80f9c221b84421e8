// Straightforward implementations of the textbook formulas, used as the
// reference in tests and as the plain-JavaScript baseline in benchmarks.

function factorials(n) {
  const f = [1];
  for (let k = 1; k <= n; k++) f[k] = f[k - 1] * k;
  return f;
}

function popcount(mask) {
  let count = 0;
  for (let m = mask; m; m &= m - 1) count++;
  return count;
}

/** phi_i = sum over S without i of |S|!(n-|S|-1)!/n! (v(S+i) - v(S)). */
export function textbookShapley(values, n) {
  const f = factorials(n);
  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    for (let mask = 0; mask < 1 << n; mask++) {
      if (mask & bit) continue;
      const s = popcount(mask);
      phi[i] += ((f[s] * f[n - s - 1]) / f[n]) * (values[mask | bit] - values[mask]);
    }
  }
  return phi;
}

/** beta_i = 2^-(n-1) * sum over S without i of (v(S+i) - v(S)). */
export function textbookBanzhaf(values, n) {
  const beta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bit = 1 << i;
    for (let mask = 0; mask < 1 << n; mask++) {
      if (!(mask & bit)) beta[i] += values[mask | bit] - values[mask];
    }
    beta[i] /= 2 ** (n - 1);
  }
  return beta;
}

/** I_ij = sum over S without i, j of |S|!(n-|S|-2)!/(n-1)! * (v(S+i+j) - v(S+i) - v(S+j) + v(S)). */
export function textbookInteractions(values, n) {
  const f = factorials(n);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const bi = 1 << i;
      const bj = 1 << j;
      let sum = 0;
      for (let mask = 0; mask < 1 << n; mask++) {
        if (mask & (bi | bj)) continue;
        const s = popcount(mask);
        const w = (f[s] * f[n - s - 2]) / f[n - 1];
        sum += w * (values[mask | bi | bj] - values[mask | bi] - values[mask | bj] + values[mask]);
      }
      matrix[i * n + j] = sum;
    }
  }
  return matrix;
}

/** Plain-JS antithetic permutation sampling over v(mask); returns marginal contributions computed. */
export function textbookPermutationSampling(value, n, pairs, random) {
  const sum = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let p = 0; p < pairs; p++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (const direction of [1, -1]) {
      let mask = 0;
      let previous = value(0);
      for (let k = 0; k < n; k++) {
        const player = order[direction === 1 ? k : n - 1 - k];
        mask |= 1 << player;
        const current = value(mask);
        sum[player] += current - previous;
        previous = current;
      }
    }
  }
  for (let i = 0; i < n; i++) sum[i] /= 2 * pairs;
  return sum;
}
