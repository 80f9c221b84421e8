// The text of a PRM row, within a length. TRL's PRMTrainer tokenizes the
// prompt and each step as they are and cuts the row from the end at
// max_length, without shortening the prompt, so a label survives only when
// everything before it fits. Given a budget in characters, a row that does
// not fit is shortened in this order, and only as far as needed:
//  1. the prompt drops its oldest messages (a line says how many);
//  2. every message longer than a common cap (the largest that fits) keeps
//     its start and its end around "[…]", so each step still ends with the
//     agent's own last words, where its label falls.
// The system text and speaker names are never cut. Rows that fit are returned
// as they are; a budget below the shortest the row can be is refused by the
// caller (toPrm), not exceeded.
import { speakerPrefix } from './agent-view.js';

/** One message as PRM text reads it. */
export interface Said {
  speaker: string;
  content: string;
}

/** What a PRM row is made of: the opening lines (system text, task), the messages before its first step, its steps. */
export interface PrmParts {
  /** The system text (never cut), then the task if any. */
  header: string[];
  context: Said[];
  /** Each step: others' messages since the agent's previous step, then the agent's own. */
  steps: Said[][];
}

const CUT = '[…]';

/**
 * `text` within `limit` characters: when longer, its start and its end
 * around "[…]" (never splitting a surrogate pair; at least "[…]" itself).
 */
export function cutMiddle(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const keep = Math.max(0, limit - CUT.length);
  let head = Math.ceil(keep / 2);
  let tail = text.length - Math.floor(keep / 2);
  if (head > 0 && isHighSurrogate(text.charCodeAt(head - 1))) head--;
  if (tail < text.length && isLowSurrogate(text.charCodeAt(tail))) tail++;
  return text.slice(0, head) + CUT + text.slice(tail);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

const line = ({ speaker, content }: Said, cap: number) => speakerPrefix(speaker) + cutMiddle(content, cap);
const omitted = (count: number) => `[… ${count} earlier ${count === 1 ? 'message' : 'messages'} left out]`;

function headerText(header: string[], cap: number): string[] {
  return header.map((text, k) => (k === 0 ? text : cutMiddle(text, cap)));
}

/** The row's text, every message cut to `cap`, the prompt keeping only its latest `kept` messages. */
function render(parts: PrmParts, cap: number, kept: number): { prompt: string; completions: string[] } {
  const dropped = parts.context.length - kept;
  const lines = [...headerText(parts.header, cap), ...(dropped > 0 ? [omitted(dropped)] : []), ...parts.context.slice(dropped).map((said) => line(said, cap))];
  return { prompt: lines.join('\n') + '\n', completions: parts.steps.map((step) => step.map((said) => line(said, cap)).join('\n')) };
}

/** Characters of a row as PRMTrainer joins it: the prompt, then each step and a one-character separator. */
function lengthOf(row: { prompt: string; completions: string[] }): number {
  return row.completions.reduce((sum, step) => sum + step.length + 1, row.prompt.length);
}

/** Below this cap a cut message ("[…]") would be longer than the cap, so no smaller cap makes a row shorter. */
const MIN_CAP = CUT.length;

/**
 * The fewest characters the row can be made: every message cut to "[…]" and
 * the prompt's messages all left out or all kept, whichever is shorter (the
 * line that counts left-out messages can be longer than a few cut ones). The
 * system text and the speaker names are never cut.
 */
export function prmMinChars(parts: PrmParts): number {
  const allLeftOut = lengthOf(render(parts, MIN_CAP, 0));
  return parts.context.length === 0 ? allLeftOut : Math.min(allLeftOut, lengthOf(render(parts, MIN_CAP, parts.context.length)));
}

/**
 * The prompt and steps of a PRM row within `maxChars` characters (see the
 * module comment), or null when even the shortest rendering is longer
 * (prmMinChars says how long that is).
 */
export function prmText(parts: PrmParts, maxChars = Infinity): { prompt: string; completions: string[] } | null {
  const longest = Math.max(0, ...[...parts.header.slice(1), ...parts.context.map((s) => s.content), ...parts.steps.flat().map((s) => s.content)].map((text) => text.length));
  const count = parts.context.length;
  const whole = render(parts, longest, count);
  if (lengthOf(whole) <= maxChars) return whole;
  // For a given cap the shortest rows keep none of the prompt's messages or all of them (no line counting them): a cap fits when either does.
  const fits = (cap: number) => lengthOf(render(parts, cap, 0)) <= maxChars || (count > 0 && lengthOf(render(parts, cap, count)) <= maxChars);
  if (!fits(MIN_CAP)) return null;
  // The largest cap that fits.
  let low = MIN_CAP;
  let high = Math.max(longest, MIN_CAP);
  if (fits(high)) low = high;
  else {
    while (low < high - 1) {
      const middle = (low + high) >>> 1;
      if (fits(middle)) low = middle;
      else high = middle;
    }
  }
  // Then as many of the latest prompt messages as the rest allows.
  const marker = (left: number) => (left > 0 ? omitted(left).length + 1 : 0);
  let used = lengthOf(render(parts, low, 0)) - marker(count);
  let kept = 0;
  for (let more = 1; more <= count; more++) {
    used += line(parts.context[count - more], low).length + 1;
    if (used + marker(count - more) <= maxChars) kept = more;
  }
  return render(parts, low, kept);
}
