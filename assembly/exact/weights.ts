// Coefficients per coalition size for the one-pass kernels.

/**
 * Writes c[k] = w(k-1) + w(k) for k = 0..n, with w(s) = s!(n-1-s)!/n! the
 * Shapley weight of a coalition of size s that excludes the player.
 * A coalition S containing player i then enters phi_i with weight c(|S|),
 * and the part that does not depend on i is recovered from efficiency.
 */
export function shapleyMembershipWeights(n: i32, out: usize): void {
  for (let k = 0; k <= n; k++) {
    store<f64>(out + (<usize>k << 3), shapleyWeight(n, k - 1) + shapleyWeight(n, k));
  }
}

/** w(s) = 1 / (n * C(n-1, s)) for 0 <= s <= n-1, else 0. */
export function shapleyWeight(n: i32, s: i32): f64 {
  if (s < 0 || s > n - 1) return 0;
  return 1.0 / (<f64>n * binomial(n - 1, s));
}

export function binomial(n: i32, k: i32): f64 {
  if (k < 0 || k > n) return 0;
  if (k > n - k) k = n - k;
  let r: f64 = 1;
  for (let j = 1; j <= k; j++) r = r * <f64>(n - k + j) / <f64>j;
  return Math.round(r);
}
