// The design-based estimators (kernel, svarm, msr): how each spreads its
// budget over coalition sizes and how it turns the design's values into
// Shapley values. The sampling and the linear algebra run in Wasm.
import { DesignSampler, planDesign, type DesignEstimator } from './design.js';
import type { KernelExports } from '../core/wasm/module.js';
import { withWindow } from '../core/wasm/window.js';

export type DesignMethod = 'kernel' | 'svarm' | 'msr';

/** How msr fits its proxy game. */
export interface ProxySettings {
  /** Pairwise terms b_ij(|S|): -1 none, else the degree of their polynomial in coalition size (0..1). */
  pairDegree: number;
  /** Degree of the polynomial in coalition size that each additive effect a_i(|S|) follows (0..2). */
  degree: number;
  /** Cross-fitting folds: each fold's correction uses a proxy fitted on the others. */
  folds: number;
  /** Ridge penalty, relative to the mean diagonal of the normal equations. */
  ridge: number;
}

/** Above this many players pairwise proxies cost too much memory and time per fit. */
const PAIRWISE_MAX_PLAYERS = 40;
/** Work allowed for accumulating one fit's normal equations (about a second of Wasm). */
const FIT_FLOPS = 1.5e9;

/**
 * The proxy msr fits for n players and a budget. Size-dependent additive
 * terms (degree 2) always: within one coalition size they already carry
 * every covariance with membership that the Shapley value reads, which is
 * why constant pairwise terms added nothing measurable on SOUM games.
 * Size-dependent pairwise terms pay once each of two folds' fits sees about
 * 4 coalitions per coefficient, while accumulating them stays cheap.
 */
export function proxySettings(n: number, budget: number): ProxySettings {
  const coefficients = 3 * n + n * (n - 1);
  // Normal equations cost about (active features)^2 / 2 per coalition; a
  // coalition is described by its smaller side, a quarter of the players on average.
  const fitCost = budget * (0.75 * n + (n * n) / 16) ** 2 / 2;
  const pairwise = n <= PAIRWISE_MAX_PLAYERS && budget / 2 >= 4 * coefficients && fitCost <= FIT_FLOPS;
  // Each fold's proxy is fitted on the others: more folds fit on more data
  // (8: seven eighths) and cost a solve each, cheap without pairwise terms.
  return { pairDegree: pairwise ? 1 : -1, degree: 2, folds: pairwise ? 2 : 8, ridge: pairwise ? 1e-3 : 1e-6 };
}

/**
 * Share of the budget each coalition size gets. Leverage scores of the
 * Shapley-kernel regression are equal across sizes (Leverage SHAP), so the
 * kernel method spreads evenly; the stratified estimators weigh size c by
 * sqrt(kappa_c) = sqrt(n / (c (n - c))), the Neyman allocation when residual
 * spreads are alike across sizes.
 */
export function sizeWeight(method: DesignMethod, n: number): (s: number) => number {
  return method === 'kernel' ? () => 1 : (s) => 1 / Math.sqrt(s * (n - s));
}

const kernelEstimator: DesignEstimator = (core, state, n) =>
  withWindow(core, (window) => {
    const matrix = window.add(n * n);
    const rhs = window.add(2 * n);
    const values = window.add(n);
    core.kernelEstimate(state, window.pointer(matrix), window.pointer(rhs), window.pointer(values));
    return { values: window.f64(values, n).slice(), stderr: null };
  });

function strataEstimator(proxy: ProxySettings | null): DesignEstimator {
  return (core, state, n) =>
    withWindow(core, (window) => {
      const told = core.designTold(state);
      let coefs = 0;
      let folds = 1;
      let pairDegree = -1;
      if (proxy) {
        folds = proxy.folds;
        pairDegree = proxy.pairDegree;
        const coefficients = n * (proxy.degree + 1) + (pairDegree + 1) * ((n * (n - 1)) / 2);
        const p = coefficients + n + 1;
        // (folds + 1) normal equations, then one i32 per told coalition (proxyFit's sort by size).
        const scratch = window.add((folds + 1) * (p * p + p) + Math.ceil(told / 2));
        coefs = window.add(folds * coefficients);
        core.proxyFit(state, folds, proxy.degree, pairDegree, proxy.ridge, window.pointer(scratch), window.pointer(coefs));
      }
      const residuals = window.add(told);
      const values = window.add(n);
      const stderr = window.add(n);
      core.strataEstimate(
        state, folds, proxy?.degree ?? 0, pairDegree, proxy ? window.pointer(coefs) : 0,
        window.pointer(residuals), window.pointer(values), window.pointer(stderr),
      );
      return { values: window.f64(values, n).slice(), stderr: window.f64(stderr, n).slice() };
    });
}

/** The smallest budget a design method accepts: v(empty) and v(N). */
export const DESIGN_MIN_BUDGET = 2;

/** A sampler for method over n players spending exactly `budget` distinct evaluations. */
export function designSampler(
  method: DesignMethod, core: KernelExports, n: number, budget: number, seed: number, proxy = proxySettings(n, budget),
): DesignSampler {
  const plan = planDesign(n, budget, sizeWeight(method, n));
  const estimator = method === 'kernel' ? kernelEstimator : strataEstimator(method === 'msr' ? proxy : null);
  return new DesignSampler(core, n, plan, seed, estimator);
}
