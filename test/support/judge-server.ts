// A real OpenAI-compatible Chat Completions server on 127.0.0.1 for the
// judge's tests: it answers the judge's default prompts by fixed rules, so
// that every value, label, prefix value and first error is known exactly,
// and it can be told to misbehave the ways real servers do.
//
// ## The rules (applied to the prompt the default templates render)
// The server reads the first user message (a retry after a reply that did
// not fit adds later ones): the line `Task: "<JSON string>"`
// (or `Task: (none)`) and one JSON object per message, `{"n", "from", "as",
// "text"}`. It tells the judgement by the response_format's json_schema name
// (value, labels, prefix_values, recoverable) or, without one, by the reply
// shape the system message asks for.
//
// - Required facts F: the phrases on a `Facts:` line of the task, separated
//   by `;` (e.g. `Facts: Paris; 1889`), plus `knowledge(task).facts`.
// - Error phrases E: `WRONG:` plus `knowledge(task).errors`.
// - A text *contains* a phrase when it holds it, letter case ignored, with no
//   letter or digit right before or after it (so `8` is not in `18`).
// - A message is an *error* when it contains a phrase of E; *corrective*
//   when it contains `CORRECTION:` (it cancels every earlier error);
//   *harmful* when it contains `HARMFUL:`. An error is *uncorrected* when no
//   later message of the transcript shown is corrective.
// - The *share* of a list of messages: of F, the part that some message
//   contains; without facts, 1 once an agent (`"as": "agent"`) has spoken,
//   else 0 (so a transcript of context alone is worth nothing).
// - value = 0 for a transcript with an uncorrected error, else its share.
// - prefix value after message k = 0 when messages 1..k hold an uncorrected
//   error, else 0.5 + 0.5 * (share of messages 1..k).
// - recoverable = the transcript shown (the prefix) has no uncorrected error.
// - label of each message, first rule that applies: error (score -1), then
//   corrective (0.5), harmful (-0.5), helpful (1: the first message to
//   contain some fact), redundant (0: contains facts, all stated before),
//   neutral (0).
// Context messages (`"as": "context"`) state facts and errors like any other.
//
// ## Faults
// `inject(fault, { times, every, when })` makes the next matching requests
// (every `every`-th one, `times` of them) fail as real servers do; see Fault.
// Requests the real API refuses get HTTP 400 with an OpenAI-style error:
// a prompt over `contextTokens` (context_length_exceeded), no model, no
// messages, a message without a known role or string content, temperature
// outside [0, 2], json_object without the word "json" in the messages, a
// strict json_schema whose objects do not list every property as required
// with additionalProperties false, and response formats switched off with
// `supports`. With `cutAt`, a prompt over that many tokens is not refused
// but cut, as Ollama does: answered from its tail, reported as `cutAt`
// prompt tokens.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Judgement = 'value' | 'labels' | 'prefix_values' | 'recoverable';

/** What the server knows about a task beyond its text. */
export interface TaskKnowledge {
  facts?: string[];
  errors?: string[];
}

/** One message of a parsed prompt. */
export interface PromptMessage {
  n: number;
  from: string;
  as: string;
  text: string;
}

/**
 * Ways to fail one request:
 * - `malformed-json`: 200 with a reply that is cut-off JSON;
 * - `length`: the same, with finish_reason "length" (the token limit was hit);
 * - `missing-messages`: 200 with valid JSON lacking a message (labels, prefix
 *   values) or lacking its answer field (value, recoverable);
 * - `invented-message`: 200 with one message number too many;
 * - `out-of-range`: 200 with a value of 1.5 or a label score of -2;
 * - `prose`: 200 with the JSON inside a sentence and a code fence;
 * - `rate-limit`: 429 with `Retry-After: retryAfter` (seconds, default 0);
 * - `server-error`: 500; `unavailable`: 503 without Retry-After;
 * - `unauthorized`: 401 as OpenAI answers a wrong API key;
 * - `hang`: never answers (until the client gives up or the server closes);
 * - `drop`: the connection is destroyed before any response.
 */
export type Fault =
  | 'malformed-json'
  | 'length'
  | 'missing-messages'
  | 'invented-message'
  | 'out-of-range'
  | 'prose'
  | 'server-error'
  | 'unavailable'
  | 'unauthorized'
  | 'hang'
  | 'drop'
  | { kind: 'rate-limit'; retryAfter?: number };

export interface InjectOptions {
  /** How many matching requests fail (default 1; Infinity for all). */
  times?: number;
  /** Only every `every`-th matching request fails (default 1: each). */
  every?: number;
  /** Which requests this applies to (default: all). */
  when?: (request: RecordedRequest) => boolean;
}

export interface RecordedRequest {
  judgement: Judgement | undefined;
  /** response_format.type, or 'text' without one. */
  format: string;
  task: string | undefined;
  messages: PromptMessage[];
  /** The request body as sent. */
  body: Record<string, unknown>;
  /** Header names as received (lower case), values included. */
  headers: Record<string, string | string[] | undefined>;
  status: number;
  fault: string | undefined;
  /** When the request arrived and when its response ended (performance.now()). */
  start: number;
  end: number;
}

export interface JudgeServerOptions {
  knowledge?: (task: string) => TaskKnowledge | undefined;
  /** Response formats the server accepts (default both); a refused one is a 400. */
  supports?: { jsonSchema?: boolean; jsonObject?: boolean };
  /** Delay before each answer, in ms (default 0): lets concurrency show. */
  delayMs?: number;
  /**
   * The model's context, in prompt tokens (as `usage.prompt_tokens` counts
   * them): a longer prompt gets OpenAI's 400 context_length_exceeded.
   * Default: no limit.
   */
  contextTokens?: number;
  /**
   * As Ollama below its context length: a prompt longer than this many
   * tokens is cut to its last `cutAt` tokens (4 characters each) without an
   * error, answered from what is left, and reported as `cutAt` prompt tokens.
   */
  cutAt?: number;
}

export interface JudgeServer {
  /** e.g. http://127.0.0.1:41234/v1 */
  baseURL: string;
  origin: string;
  /** Chat completion requests received (faults and 400s included). */
  readonly calls: number;
  readonly inFlight: number;
  /** The most chat completion requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Every chat completion request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** CORS preflight (OPTIONS) requests received. */
  readonly preflights: number;
  /** Milliseconds spent inside the handler (arrival to end of response), summed. */
  readonly serverMs: number;
  inject(fault: Fault, options?: InjectOptions): void;
  /** Forgets counters, requests and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

const ERROR_MARKER = 'WRONG:';
const CORRECTION_MARKER = 'CORRECTION:';
const HARMFUL_MARKER = 'HARMFUL:';
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** `phrase` in `text`, case ignored, not inside a longer word or number. */
export function contains(text: string, phrase: string): boolean {
  const haystack = text.toLowerCase();
  const needle = phrase.toLowerCase().trim();
  if (needle === '') return false;
  const guardStart = isWordChar(needle[0]);
  const guardEnd = isWordChar(needle[needle.length - 1]);
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (guardStart && isWordChar(haystack[at - 1])) continue;
    if (guardEnd && isWordChar(haystack[at + needle.length])) continue;
    return true;
  }
  return false;
}

/** The facts and error phrases that apply to `task`. */
export function rulesFor(task: string | undefined, knowledge?: (task: string) => TaskKnowledge | undefined): { facts: string[]; errors: string[] } {
  const facts: string[] = [];
  const errors = [ERROR_MARKER];
  if (task !== undefined) {
    for (const line of task.split('\n')) {
      const match = /^\s*facts:(.*)$/i.exec(line);
      if (match) facts.push(...match[1]!.split(';').map((fact) => fact.trim()).filter(Boolean));
    }
    const known = knowledge?.(task);
    if (known?.facts) facts.push(...known.facts);
    if (known?.errors) errors.push(...known.errors);
  }
  return { facts: [...new Set(facts)], errors };
}

/** Messages as the rules read them; without `as`, a message counts as an agent's. */
type Texts = ReadonlyArray<{ text: string; as?: string }>;
type Rules = { facts: string[]; errors: string[] };

const isError = (text: string, rules: Rules) => rules.errors.some((phrase) => contains(text, phrase));
const isCorrective = (text: string) => contains(text, CORRECTION_MARKER);

/** Some error of `messages` has no corrective message after it. */
export function hasUncorrectedError(messages: Texts, rules: Rules): boolean {
  let open = false;
  for (const { text } of messages) {
    if (isError(text, rules)) open = true;
    else if (isCorrective(text)) open = false;
  }
  return open;
}

function share(messages: Texts, rules: Rules): number {
  if (rules.facts.length === 0) return messages.some((message) => message.as !== 'context') ? 1 : 0;
  const stated = rules.facts.filter((fact) => messages.some(({ text }) => contains(text, fact)));
  return stated.length / rules.facts.length;
}

/** The value rule. */
export function valueOf(messages: Texts, rules: Rules): number {
  return hasUncorrectedError(messages, rules) ? 0 : share(messages, rules);
}

/** The prefix value rule, after each message. */
export function prefixValuesOf(messages: Texts, rules: Rules): number[] {
  return messages.map((_, k) => {
    const prefix = messages.slice(0, k + 1);
    if (hasUncorrectedError(prefix, rules)) return 0;
    return 0.5 + 0.5 * share(prefix, rules);
  });
}

/** The recoverability rule for the prefix shown. */
export function recoverableOf(prefix: Texts, rules: Rules): boolean {
  return !hasUncorrectedError(prefix, rules);
}

export interface RuleLabel {
  label: 'helpful' | 'neutral' | 'redundant' | 'harmful' | 'error' | 'corrective';
  score: number;
  reason: string;
}

/** The label rule, per message. */
export function labelsOf(messages: Texts, rules: Rules): RuleLabel[] {
  const stated = new Set<string>();
  return messages.map(({ text }) => {
    const facts = rules.facts.filter((fact) => contains(text, fact));
    const fresh = facts.filter((fact) => !stated.has(fact));
    for (const fact of facts) stated.add(fact);
    if (isError(text, rules)) return { label: 'error', score: -1, reason: 'contradicts the answer' };
    if (isCorrective(text)) return { label: 'corrective', score: 0.5, reason: 'corrects an earlier error' };
    if (contains(text, HARMFUL_MARKER)) return { label: 'harmful', score: -0.5, reason: 'works against the task' };
    if (fresh.length > 0) return { label: 'helpful', score: 1, reason: `first to state ${fresh.join(', ')}` };
    if (facts.length > 0) return { label: 'redundant', score: 0, reason: `repeats ${facts.join(', ')}` };
    return { label: 'neutral', score: 0, reason: 'states no required fact' };
  });
}

/** The task and numbered messages of a prompt rendered by the default templates. */
export function parsePrompt(text: string): { task: string | undefined; messages: PromptMessage[] } {
  let task: string | undefined;
  const messages: PromptMessage[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('Task: "')) task = JSON.parse(line.slice('Task: '.length)) as string;
    else if (line.startsWith('{"n":')) messages.push(JSON.parse(line) as PromptMessage);
  }
  return { task, messages };
}

const SCHEMA_NAMES: Record<string, Judgement> = { value: 'value', labels: 'labels', prefix_values: 'prefix_values', recoverable: 'recoverable' };

function judgementOf(body: Record<string, unknown>, system: string): Judgement | undefined {
  const format = body.response_format as { type?: string; json_schema?: { name?: string } } | undefined;
  const named = format?.type === 'json_schema' ? SCHEMA_NAMES[format.json_schema?.name ?? ''] : undefined;
  if (named) return named;
  if (system.includes('"recoverable"')) return 'recoverable';
  if (system.includes('"success"')) return 'prefix_values';
  if (system.includes('"label"')) return 'labels';
  if (system.includes('"value"')) return 'value';
  return undefined;
}

class BadRequest extends Error {
  constructor(message: string, readonly param: string | null = null) {
    super(message);
  }
}

/** Objects of a strict schema must require every property and forbid others (as OpenAI's strict mode does). */
function checkStrict(schema: unknown, path: string): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object') {
    const properties = Object.keys((node.properties as object | undefined) ?? {});
    const required = (node.required as string[] | undefined) ?? [];
    if (node.additionalProperties !== false) throw new BadRequest(`Invalid schema for response_format: In context=${path}, 'additionalProperties' is required to be supplied and to be false.`, 'response_format');
    const missing = properties.filter((key) => !required.includes(key));
    if (missing.length > 0) throw new BadRequest(`Invalid schema for response_format: In context=${path}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`, 'response_format');
    for (const key of properties) checkStrict((node.properties as Record<string, unknown>)[key], `${path}.properties.${key}`);
  }
  if (node.type === 'array') checkStrict(node.items, `${path}.items`);
}

function checkRequest(body: unknown, supports: Required<NonNullable<JudgeServerOptions['supports']>>): asserts body is Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('We could not parse the JSON body of your request.');
  const request = body as Record<string, unknown>;
  if (typeof request.model !== 'string' || request.model === '') throw new BadRequest('you must provide a model parameter', 'model');
  if (!Array.isArray(request.messages) || request.messages.length === 0) throw new BadRequest("Invalid 'messages': expected a non-empty array.", 'messages');
  request.messages.forEach((message: unknown, i) => {
    const { role, content } = (message ?? {}) as Record<string, unknown>;
    if (!['system', 'developer', 'user', 'assistant'].includes(role as string)) throw new BadRequest(`Invalid value for 'messages[${i}].role': ${JSON.stringify(role)}.`, `messages[${i}].role`);
    if (typeof content !== 'string') throw new BadRequest(`Invalid type for 'messages[${i}].content': expected a string.`, `messages[${i}].content`);
  });
  const temperature = request.temperature;
  if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 2)) throw new BadRequest(`Invalid 'temperature': expected a number from 0 to 2, got ${JSON.stringify(temperature)}.`, 'temperature');
  for (const key of ['seed', 'max_tokens'] as const) {
    if (request[key] !== undefined && !Number.isInteger(request[key])) throw new BadRequest(`Invalid '${key}': expected an integer.`, key);
  }
  const format = request.response_format as Record<string, unknown> | undefined;
  if (format === undefined) return;
  if (format.type === 'json_object') {
    if (!supports.jsonObject) throw new BadRequest("Invalid parameter: 'response_format' of type 'json_object' is not supported with this model.", 'response_format');
    const mentionsJson = (request.messages as Array<{ content: string }>).some((message) => /json/i.test(message.content));
    if (!mentionsJson) throw new BadRequest("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
  } else if (format.type === 'json_schema') {
    if (!supports.jsonSchema) throw new BadRequest("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", 'response_format');
    const spec = format.json_schema as Record<string, unknown> | undefined;
    if (!spec || typeof spec.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) throw new BadRequest("Invalid 'response_format.json_schema.name'.", 'response_format.json_schema.name');
    if (!spec.schema || typeof spec.schema !== 'object') throw new BadRequest("Missing required parameter: 'response_format.json_schema.schema'.", 'response_format.json_schema.schema');
    if (spec.strict === true) checkStrict(spec.schema, spec.name);
  } else if (format.type !== 'text') {
    throw new BadRequest(`Invalid value for 'response_format.type': ${JSON.stringify(format.type)}.`, 'response_format.type');
  }
}

/** The rules' answer to one judgement, before any fault is applied. */
function answer(judgement: Judgement, messages: PromptMessage[], rules: Rules): Record<string, unknown> {
  switch (judgement) {
    case 'value':
      return { value: valueOf(messages, rules), reason: 'share of required facts stated, 0 with an uncorrected error' };
    case 'recoverable':
      return { recoverable: recoverableOf(messages, rules), reason: 'no uncorrected error so far' };
    case 'prefix_values':
      return { messages: prefixValuesOf(messages, rules).map((success, i) => ({ message: messages[i]!.n, success })) };
    case 'labels':
      return { messages: labelsOf(messages, rules).map((label, i) => ({ message: messages[i]!.n, ...label })) };
  }
}

/** The reply with a content fault applied (200 faults only). */
function spoil(reply: Record<string, unknown>, fault: string | undefined, judgement: Judgement): Record<string, unknown> {
  const list = reply.messages as Array<Record<string, unknown>> | undefined;
  if (fault === 'missing-messages') {
    if (list) return { ...reply, messages: list.slice(0, -1) };
    const { [judgement]: _dropped, ...rest } = reply;
    return rest;
  }
  if (fault === 'invented-message' && list) {
    return { ...reply, messages: [...list, { ...list[list.length - 1], message: list.length + 1 }] };
  }
  if (fault === 'out-of-range') {
    if (judgement === 'value') return { ...reply, value: 1.5 };
    if (judgement === 'labels' && list) return { ...reply, messages: list.map((entry, i) => (i === 0 ? { ...entry, score: -2 } : entry)) };
    if (judgement === 'prefix_values' && list) return { ...reply, messages: list.map((entry, i) => (i === 0 ? { ...entry, success: 1.5 } : entry)) };
  }
  return reply;
}

interface Injection {
  fault: Fault;
  remaining: number;
  every: number;
  seen: number;
  when?: (request: RecordedRequest) => boolean;
}

const tokens = (text: string) => Math.ceil(text.length / 4);

export async function startJudgeServer(options: JudgeServerOptions = {}): Promise<JudgeServer> {
  const supports = { jsonSchema: options.supports?.jsonSchema ?? true, jsonObject: options.supports?.jsonObject ?? true };
  let injections: Injection[] = [];
  const state = { calls: 0, inFlight: 0, maxInFlight: 0, serverMs: 0, preflights: 0, requests: [] as RecordedRequest[] };
  const sockets = new Set<Socket>();
  let generation = 0;

  const cors = (request: IncomingMessage): Record<string, string> => ({
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, GET, OPTIONS',
    'access-control-allow-headers': request.headers['access-control-request-headers'] ?? 'authorization, content-type',
    'access-control-expose-headers': 'retry-after',
    'access-control-max-age': '600',
  });

  const pickFault = (record: RecordedRequest): Fault | undefined => {
    for (const injection of injections) {
      if (injection.remaining <= 0 || (injection.when && !injection.when(record))) continue;
      injection.seen++;
      if (injection.seen % injection.every !== 0) continue;
      injection.remaining--;
      return injection.fault;
    }
    return undefined;
  };

  async function completions(request: IncomingMessage, response: ServerResponse, raw: string, record: RecordedRequest): Promise<void> {
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, { ...cors(request), 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    };
    let body: unknown;
    try {
      body = JSON.parse(raw);
      if (body && typeof body === 'object') {
        record.body = body as Record<string, unknown>;
        record.format = ((body as { response_format?: { type?: string } }).response_format?.type) ?? 'text';
      }
      checkRequest(body, supports);
    } catch (error) {
      const message = error instanceof BadRequest ? error.message : 'We could not parse the JSON body of your request.';
      send(400, { error: { message, type: 'invalid_request_error', param: error instanceof BadRequest ? error.param : null, code: null } });
      return;
    }
    const chat = body.messages as Array<{ role: string; content: string }>;
    const system = chat.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => message.content).join('\n');
    let user = chat.find((message) => message.role === 'user')?.content ?? '';
    const format = record.format;
    const fullTokens = tokens(chat.map((message) => message.content).join(''));
    const cut = options.cutAt !== undefined && fullTokens > options.cutAt;
    if (cut) user = user.slice(-4 * options.cutAt!);
    const prompt = parsePrompt(user);
    Object.assign(record, { judgement: judgementOf(body, system), task: prompt.task, messages: prompt.messages });
    const fault = pickFault(record);
    const faultName = typeof fault === 'object' ? fault.kind : fault;
    record.fault = faultName;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (faultName === 'hang') return;
    if (faultName === 'drop') {
      record.status = 0;
      request.socket.destroy();
      return;
    }
    if (typeof fault === 'object') {
      send(429, { error: { message: 'Rate limit reached. Please try again later.', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': String(fault.retryAfter ?? 0) });
      return;
    }
    if (faultName === 'server-error') return send(500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
    if (faultName === 'unauthorized') return send(401, { error: { message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    if (faultName === 'unavailable') return send(503, { error: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error' } });
    const promptTokens = cut ? options.cutAt! : fullTokens;
    if (options.contextTokens !== undefined && promptTokens > options.contextTokens) {
      const message = `This model's maximum context length is ${options.contextTokens} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`;
      return send(400, { error: { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } });
    }
    if (record.judgement === undefined) {
      return send(400, { error: { message: 'This test server answers only the prompts of agent-credit/judge (no judgement found in the request).', type: 'invalid_request_error' } });
    }
    const rules = rulesFor(prompt.task, options.knowledge);
    const reply = spoil(answer(record.judgement, prompt.messages, rules), faultName, record.judgement);
    let content = JSON.stringify(reply);
    if (faultName === 'malformed-json' || faultName === 'length') content = content.slice(0, Math.max(1, content.length - 7));
    if (faultName === 'prose' || format === 'text') content = `Here is my judgement.\n\`\`\`json\n${content}\n\`\`\`\nI hope this helps {with the task}.`;
    send(200, {
      id: `chatcmpl-${state.calls}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: faultName === 'length' ? 'length' : 'stop', logprobs: null }],
      usage: { prompt_tokens: promptTokens, completion_tokens: tokens(content), total_tokens: promptTokens + tokens(content) },
    });
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'OPTIONS') {
      state.preflights++;
      return void response.writeHead(204, cors(request)).end();
    }
    if (request.method === 'GET' && url.pathname === '/v1/models') {
      return void response.writeHead(200, { ...cors(request), 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'rules', object: 'model', owned_by: 'agent-credit-tests' }] }));
    }
    if (request.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      return void response.writeHead(404, { ...cors(request), 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `Unknown request URL: ${request.method} ${url.pathname}`, type: 'invalid_request_error' } }));
    }
    const start = performance.now();
    const mine = generation;
    state.calls++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const record: RecordedRequest = { judgement: undefined, format: 'text', task: undefined, messages: [], body: {}, headers: { ...request.headers }, status: 0, fault: undefined, start, end: Number.NaN };
    state.requests.push(record);
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      record.end = performance.now();
      if (mine === generation) {
        state.inFlight--;
        state.serverMs += record.end - start;
      }
    };
    response.on('finish', settle);
    response.on('close', settle);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void completions(request, response, Buffer.concat(chunks).toString('utf8'), record));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    baseURL: `${origin}/v1`,
    origin,
    get calls() {
      return state.calls;
    },
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get requests() {
      return state.requests;
    },
    get preflights() {
      return state.preflights;
    },
    get serverMs() {
      return state.serverMs;
    },
    inject(fault, { times = 1, every = 1, when } = {}) {
      injections.push({ fault, remaining: times, every, seen: 0, when });
    },
    reset() {
      generation++;
      injections = [];
      Object.assign(state, { calls: 0, inFlight: 0, maxInFlight: 0, serverMs: 0, preflights: 0, requests: [] });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
