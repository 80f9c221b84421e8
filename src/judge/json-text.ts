// A reply's JSON: the whole text when it parses, else the balanced JSON
// objects inside it (models without a JSON mode wrap their answer in
// prose or code fences). Reasoning models served without a reasoning parser
// (DeepSeek-R1, QwQ, Qwen3 on llama.cpp, Ollama, vLLM) think aloud in the
// content first, `<think> ... </think>`, often writing a sample of the
// expected JSON there: only the text after the reasoning is the answer.

/** The JSON value of `text`, or undefined when it holds no JSON object. */
export function jsonOf(text: string): unknown {
  return jsonValuesOf(text)[0];
}

/**
 * Every JSON answer `text` may be giving: the whole text when it parses,
 * else each balanced JSON object in it (outside the reasoning), outermost
 * first and in order. A reply that quotes an example before its answer
 * ("for example {"value": 1.0}; mine: {"value": 0.2}") holds two, and the
 * reader must not take the first for the answer.
 */
export function jsonValuesOf(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    const answer = withoutReasoning(text);
    try {
      return [JSON.parse(answer)];
    } catch {
      return objectsIn(answer);
    }
  }
}

/**
 * Whether the answer (outside the reasoning) opens a JSON object that never
 * closes, as a reply cut off mid-JSON does. Its complete inner objects (one
 * message's label, say) are then fragments, and what they lack is not what
 * is wrong with the reply.
 */
export function hasUnclosedObject(text: string): boolean {
  const answer = withoutReasoning(text);
  for (let start = answer.indexOf('{'); start !== -1; ) {
    const end = objectEnd(answer, start);
    if (end === -1) return true;
    start = answer.indexOf('{', end + 1);
  }
  return false;
}

const CLOSING = /<\/think(?:ing)?>/gi;
const OPENING = /^\s*<think(?:ing)?>/i;

/**
 * The text after the model's reasoning: after the last `</think>` (also when
 * the chat template opened the block itself and only its end is in the
 * content); nothing when the reply opens a block that never ends (cut off
 * while thinking).
 */
function withoutReasoning(text: string): string {
  let end = -1;
  for (const match of text.matchAll(CLOSING)) end = match.index + match[0].length;
  if (end !== -1) return text.slice(end);
  return OPENING.test(text) ? '' : text;
}

function objectsIn(text: string): unknown[] {
  const objects: unknown[] = [];
  for (let start = text.indexOf('{'); start !== -1; ) {
    const end = objectEnd(text, start);
    if (end !== -1) {
      try {
        objects.push(JSON.parse(text.slice(start, end + 1)));
        start = text.indexOf('{', end + 1);
        continue;
      } catch {
        // Braces that balance but are not JSON (prose such as "{with the task}"): look further.
      }
    }
    start = text.indexOf('{', start + 1);
  }
  return objects;
}

/** Index of the brace closing the object that opens at `start`, skipping strings; -1 when it never closes. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}
