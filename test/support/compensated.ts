// Reference indices in double-double arithmetic (about 106 bits): each
// marginal contribution v(S + i) - v(S) exact, each weight and product to
// double-double, summed with compensation. Its own error is far below the
// bounds the exact kernels are tested against.

type DD = [number, number];

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

const SPLITTER = 134217729; // 2^27 + 1

function split(a: number): DD {
  const t = SPLITTER * a;
  const high = t - (t - a);
  return [high, a - high];
}

function twoProduct(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

function add(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  return twoSum(s, e + x[1] + y[1]);
}

function multiply(x: DD, y: DD): DD {
  const [p, e] = twoProduct(x[0], y[0]);
  return twoSum(p, e + x[0] * y[1] + x[1] * y[0]);
}

/** 1 / m for an integer m < 2^53, to double-double. */
function reciprocal(m: number): DD {
  const high = 1 / m;
  const [p, e] = twoProduct(high, m);
  return twoSum(high, (1 - p - e) / m);
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return Math.round(r);
}

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m; m &= m - 1) count++;
  return count;
}

/** Player i's Shapley (or Banzhaf) value of the n-player table, to about 1e-30 relative of its marginal sum. */
export function compensatedIndex(table: ArrayLike<number>, n: number, i: number, index: 'shapley' | 'banzhaf'): number {
  const weights: DD[] = Array.from({ length: n }, (_, s) => (index === 'shapley' ? reciprocal(n * binomial(n - 1, s)) : [2 ** -(n - 1), 0]));
  const bit = 2 ** i;
  let sum: DD = [0, 0];
  for (let mask = 0; mask < table.length; mask++) {
    if (Math.floor(mask / bit) % 2 === 1) continue;
    const marginal = twoSum(table[mask + bit], -table[mask]);
    sum = add(sum, multiply(weights[popcount(mask)], marginal));
  }
  return sum[0] + sum[1];
}
