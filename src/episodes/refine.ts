// Message rewards in a successful episode: each agent's credit split over its
// messages. The rule is a Euclidean projection (see README, "Message rewards"):
//
//   r_m = clip(alpha * q_m + mu, lo_m, hi_m),  mu chosen so that sum_m r_m = credit,
//
// where q_m is the message's quality (its label fixes a band, its score a
// place in the band), alpha = bound / 2, and [lo_m, hi_m] is [-bound, bound]
// except for harmful/error messages, whose ceiling is -bound / 1000.
// It is the closest point to the quality targets that conserves the credit
// and respects the bounds; clip(. + mu) is monotone, which gives the order
// and monotonicity properties.
import { InputError, type InputIssue } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { checkMessages, type EpisodeMessage, type MessageLabel } from './episode.js';

/** The quality band [low, high] of each label; unlabeled messages span the whole range. */
const QUALITY_BANDS: Record<MessageLabel | 'unlabeled', readonly [number, number]> = {
  helpful: [0.5, 1],
  corrective: [0.5, 1],
  neutral: [-0.5, 0.5],
  unlabeled: [-1, 1],
  redundant: [-0.5, 0],
  harmful: [-1, -0.5],
  error: [-1, -0.5],
};

/** True for labels that mark a message as damaging. */
export function isDamaging(label: MessageLabel | undefined): boolean {
  return label === 'harmful' || label === 'error';
}

/**
 * A message's quality in [-1, 1]: its label's band, placed by the judge's
 * score (score -1 = bottom of the band, +1 = top, none = middle). A label
 * outside MESSAGE_LABELS or a score outside [-1, 1] is an InputError.
 */
export function messageQuality(message: Pick<EpisodeMessage, 'label' | 'score'>): number {
  // Unchecked, a score of 5 gave a quality of 2 and an unknown label a TypeError.
  checkMessages(message, 'message', 'messageQuality', { list: false });
  return quality(message);
}

/** messageQuality of a message already checked (an episode's). */
export function quality(message: Pick<EpisodeMessage, 'label' | 'score'>): number {
  const [low, high] = QUALITY_BANDS[message.label ?? 'unlabeled'];
  const place = message.score === undefined ? 0.5 : (message.score + 1) / 2;
  return low + place * (high - low);
}

/**
 * A harmful/error message gets at most -bound * DAMAGE_MARGIN: strictly
 * negative, yet close enough to zero that an agent whose credit is only
 * slightly negative can still carry it.
 */
export const DAMAGE_MARGIN = 1e-3;

interface Box {
  target: number;
  low: number;
  high: number;
}

function boxes(messages: readonly EpisodeMessage[], bound: number): Box[] {
  const alpha = bound / 2;
  return messages.map((message) => {
    const target = alpha * quality(message);
    return { target, low: -bound, high: isDamaging(message.label) ? -bound * DAMAGE_MARGIN : bound };
  });
}

const clip = (x: number, low: number, high: number) => (x < low ? low : x > high ? high : x);

/** Finds mu with sum clip(target + mu, low, high) = total by sweeping the breakpoints of that piecewise-linear sum. */
function solveShift(items: Box[], total: number): number {
  // Usually no bound is active: then mu is the mean gap, and no sweep is needed.
  let targets = 0;
  for (const item of items) targets += item.target;
  const mean = (total - targets) / items.length;
  if (items.every((item) => item.target + mean >= item.low && item.target + mean <= item.high)) return mean;
  const events: Array<[number, number]> = [];
  let sum = 0;
  for (const item of items) {
    sum += item.low;
    events.push([item.low - item.target, 1], [item.high - item.target, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let slope = 0;
  let at = events[0][0];
  for (const [position, change] of events) {
    const next = sum + slope * (position - at);
    if (next >= total && slope > 0) return at + (total - sum) / slope;
    sum = next;
    at = position;
    slope += change;
  }
  return at;
}

/**
 * How far from zero the exact kernel's rounding can put the Shapley value of
 * a null player (an agent that changes no coalition's value) in an n-agent
 * table whose largest |v(S)| is `scale`. The kernel computes
 * phi_i = P_i - K with P_i = sum over the 2^(n-1) coalitions S containing i
 * of c(|S|) v(S), and K = (sum_j P_j - v(N) + v(empty)) / n. The weights
 * c(|S|) of one P_i sum to 1 + H(n-1) - (n-1)/n <= n, so sum |c v| <= n * scale;
 * summing m terms in any order errs by at most (m - 1) * eps * sum |terms|,
 * so P_i errs by at most 2^(n-1) * n * eps * scale and K (a mean of such sums,
 * plus n + 2 more roundings) by about as much again. Hence the bound
 * 2^n * (n + 2) * eps * scale, which grows with the table's scale as the
 * rounding does. It is a worst case; actual errors are far smaller, and any
 * credit a real (non-null) agent earns from a table is far larger.
 */
export function nullCreditTolerance(n: number, scale: number): number {
  return 2 ** n * (n + 2) * Number.EPSILON * scale;
}

/**
 * Splits one agent's credit over its messages (see the module comment):
 * rewards that sum to `credit`, each within [-bound, bound]. `agent` only
 * names the agent in errors. Throws an InputError when an argument is not
 * what it should be (a message with an unknown label or a score outside
 * [-1, 1], a bound that is not a positive finite number, a negative
 * tolerance) or the credit cannot be conserved within the bounds. An agent
 * without messages must have credit 0, within `tolerance` (default 1e-9).
 */
export function splitCredit(credit: number, messages: readonly EpisodeMessage[], bound: number, agent = 'agent', tolerance = 1e-9): Float64Array {
  // Unchecked, a missing bound gave NaN rewards and a score past 1 rewards outside the bound.
  checkMessages(messages, 'messages', 'splitCredit');
  const issues: InputIssue[] = [];
  if (typeof bound !== 'number' || !(bound > 0) || !Number.isFinite(bound)) issues.push({ path: 'bound', message: `expected the largest |reward| as a finite number > 0, got ${describe(bound)}` });
  if (typeof agent !== 'string') issues.push({ path: 'agent', message: `expected the agent's name (for errors) as a string, got ${describe(agent)}` });
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) issues.push({ path: 'tolerance', message: `expected a finite number >= 0, got ${describe(tolerance)}` });
  if (issues.length > 0) throw new InputError(issues, 'splitCredit');
  return split(credit, messages, bound, agent, tolerance);
}

/**
 * splitCredit of checked messages and bound (an episode's). Throws when the
 * credit is not a finite number or cannot be conserved within the bounds;
 * attribution passes as `tolerance` the rounding bound of its table,
 * nullCreditTolerance, plus the estimator's noise when credit was sampled.
 */
function split(credit: number, messages: readonly EpisodeMessage[], bound: number, agent = 'agent', tolerance = 1e-9): Float64Array {
  if (typeof credit !== 'number' || !Number.isFinite(credit)) {
    throw new InputError(`agent ${JSON.stringify(agent)}: credit ${credit} is not a finite number; the coalition values overflow the Shapley sums (or are not finite): rescale them`);
  }
  const rewards = new Float64Array(messages.length);
  if (messages.length === 0) {
    if (Math.abs(credit) > tolerance) {
      throw new InputError(`agent ${JSON.stringify(agent)} has credit ${credit} but no messages to carry it (an agent that never speaks must have credit 0, within ${tolerance.toPrecision(3)})`);
    }
    return rewards;
  }
  const items = boxes(messages, bound);
  let lowest = 0;
  let highest = 0;
  for (const item of items) {
    lowest += item.low;
    highest += item.high;
  }
  const slack = 1e-12 * Math.max(1, Math.abs(credit));
  if (credit < lowest - slack || credit > highest + slack) {
    const damaging = messages.filter((message) => isDamaging(message.label)).length;
    throw new InputError(
      `agent ${JSON.stringify(agent)}: credit ${credit} cannot be split over its ${messages.length} message(s) with every |reward| <= ${bound}` +
        (damaging ? ` and its ${damaging} harmful/error message(s) negative` : '') +
        `: the rewards can only sum to a value in [${lowest}, ${highest}]. ` +
        (damaging === messages.length && credit > highest ? 'The labels contradict the credit; check them.' : 'Raise the bound option (CLI: --reward-bound B) or check the labels.'),
    );
  }
  const shift = solveShift(items, clip(credit, lowest, highest));
  let sum = 0;
  let free = 0;
  for (let m = 0; m < items.length; m++) {
    const { target, low, high } = items[m];
    rewards[m] = clip(target + shift, low, high);
    sum += rewards[m];
    if (rewards[m] > low && rewards[m] < high) free++;
  }
  // Rounding leaves a residue of a few ulps; the free messages absorb it.
  const residue = credit - sum;
  if (residue !== 0 && free > 0) {
    for (let m = 0; m < items.length; m++) {
      if (rewards[m] > items[m].low && rewards[m] < items[m].high) rewards[m] += residue / free;
    }
  }
  return rewards;
}

/**
 * Message rewards of a successful episode: each agent's credit split over its
 * own messages (`tolerances[i]`: see splitCredit). Messages by speakers not in
 * `agents` (context: user, system, tools) carry no credit; their entries stay 0.
 */
export function successRewards(
  agents: readonly string[],
  credits: ArrayLike<number>,
  messages: readonly EpisodeMessage[],
  bound: number,
  tolerances?: ArrayLike<number>,
  fallBack?: SplitFallBack,
): Float64Array {
  const byAgent = new Map<string, number[]>(agents.map((agent) => [agent, []]));
  messages.forEach((message, m) => byAgent.get(message.agent)?.push(m));
  const rewards = new Float64Array(messages.length);
  agents.forEach((agent, i) => {
    const indices = byAgent.get(agent)!;
    const shares = splitOrFallBack(credits[i], indices.map((m) => messages[m]), bound, agent, tolerances?.[i], fallBack);
    indices.forEach((m, k) => (rewards[m] = shares[k]));
  });
  return rewards;
}

/**
 * What successRewards does with an agent whose credit cannot be split over
 * its messages as labelled: the messages to split over instead (with labels
 * the caller may set aside removed), or undefined to let the error stand.
 */
export type SplitFallBack = (agent: string, messages: readonly EpisodeMessage[]) => EpisodeMessage[] | undefined;

function splitOrFallBack(credit: number, messages: readonly EpisodeMessage[], bound: number, agent: string, tolerance: number | undefined, fallBack?: SplitFallBack): Float64Array {
  try {
    return split(credit, messages, bound, agent, tolerance);
  } catch (error) {
    const instead = error instanceof InputError ? fallBack?.(agent, messages) : undefined;
    if (!instead) throw error;
    // What is left may still not carry the credit (a bound too small, the record's own labels): that error is the one to fix.
    return split(credit, instead, bound, agent, tolerance);
  }
}
