// The speed playground's computation (runs in the worker): build a built-in
// game of n players, then time exact and sampled Shapley on it.
import {
  airportGame, closedFormShapley, quadraticGame, randomSoumGame, seededRandom, shapley, votingGame, type BuiltinGame,
} from 'agent-credit';
import type { PlaygroundRequest, PlaygroundResult } from './protocol.js';

export const PLAYGROUND_MAX_PLAYERS = 24;

/** The game a request describes; the same seed builds the same game. */
export function playgroundGame({ game, n, seed }: PlaygroundRequest): BuiltinGame {
  // The generator keeps 32 bits of state; the sampler's seed takes larger ones.
  const random = seededRandom((seed + 1) % 2 ** 32);
  switch (game) {
    case 'soum':
      // As in the estimator literature: 2n terms of random size and sign.
      return randomSoumGame(n, 2 * n, 1, n, random);
    case 'airport':
      return airportGame(Array.from({ length: n }, () => 1 + Math.floor(random() * 100)));
    case 'voting': {
      const weights = Array.from({ length: n }, () => 1 + Math.floor(random() * 9));
      return votingGame(weights, Math.floor(weights.reduce((a, b) => a + b, 0) / 2) + 1);
    }
    case 'quadratic': {
      const linear = Array.from({ length: n }, () => 2 * random() - 1);
      const pairwise = Array.from({ length: n * n }, () => 2 * random() - 1);
      return quadraticGame(linear, pairwise);
    }
  }
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

let warmedUp = false;

export async function runPlayground(request: PlaygroundRequest): Promise<PlaygroundResult> {
  if (request.n > PLAYGROUND_MAX_PLAYERS) {
    throw new RangeError(`n: the playground goes up to ${PLAYGROUND_MAX_PLAYERS} players, got ${request.n}`);
  }
  // Compile and instantiate the Wasm core outside the timed region.
  if (!warmedUp) {
    await shapley({ players: ['a'], values: [0, 1] });
    warmedUp = true;
  }
  const game = playgroundGame(request);
  const exactStart = performance.now();
  const exact = await shapley(game, { method: 'exact' });
  const exactMs = performance.now() - exactStart;
  const sampledStart = performance.now();
  const sampled = await shapley(game, { method: 'permutation', budget: request.budget, seed: request.seed });
  const sampledMs = performance.now() - sampledStart;
  return {
    ...request,
    players: exact.players,
    exact: {
      values: Array.from(exact.values),
      ms: exactMs,
      evaluations: exact.evaluations,
      closedFormError: maxAbsDifference(exact.values, closedFormShapley(game)),
    },
    sampled: {
      values: Array.from(sampled.values),
      stderr: Array.from(sampled.stderr ?? []),
      ms: sampledMs,
      evaluations: sampled.evaluations,
      maxError: maxAbsDifference(sampled.values, exact.values),
    },
  };
}
