// The text of a PRM row, within a length. TRL's PRMTrainer tokenizes the
// prompt and each step as they are and cuts the row from the end at
// max_length, without shortening the prompt, so a label survives only when
// everything before it fits. Given a budget in characters, a row that does
// not fit is shortened in this order, and only as far as needed:
//  1. the prompt drops its oldest messages (a line says how many);
//  2. every message longer than a common cap (the largest that fits) keeps
//     its start and its end around "[…]", so each step still ends with the
//     agent's own last words, where its label falls.
// The system text is never cut. Rows that fit are returned as they are.
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

/** The prompt and steps of a PRM row, within `maxChars` characters when they can be (see the module comment). */
export function prmText(parts: PrmParts, maxChars = Infinity): { prompt: string; completions: string[] } {
  const longest = Math.max(0, ...[...parts.header.slice(1), ...parts.context.map((s) => s.content), ...parts.steps.flat().map((s) => s.content)].map((text) => text.length));
  const whole = render(parts, longest, parts.context.length);
  if (lengthOf(whole) <= maxChars) return whole;
  // Without the prompt's messages (but room for the line that counts them): the largest cap that fits.
  const reserve = omitted(parts.context.length).length + 1;
  const fits = (cap: number) => lengthOf(render(parts, cap, 0)) + (parts.context.length > 0 ? reserve : 0) <= maxChars;
  let low = 0;
  let high = longest;
  if (fits(high)) low = high;
  else {
    while (low < high - 1) {
      const middle = (low + high) >>> 1;
      if (fits(middle)) low = middle;
      else high = middle;
    }
  }
  // Then as many of the latest prompt messages as the rest allows.
  const count = parts.context.length;
  const bare = lengthOf(render(parts, low, 0)) - (count > 0 ? omitted(count).length + 1 : 0);
  let kept = 0;
  let used = bare;
  while (kept < count) {
    const next = used + line(parts.context[count - 1 - kept], low).length + 1;
    const marker = kept + 1 < count ? omitted(count - kept - 1).length + 1 : 0;
    if (next + marker > maxChars) break;
    used = next;
    kept++;
  }
  return render(parts, low, kept);
}
