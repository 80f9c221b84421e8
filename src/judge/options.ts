// createJudge's options, checked once where they come in and resolved into
// the plan the judge runs with.
import * as z from 'zod/mini';
import { InputError } from '../core/errors.js';
import { checkKnownOptions, describe, parseOrThrow } from '../core/validate.js';
import { RESPONSE_FORMATS, type ResponseFormat } from './asker.js';
import type { ChatClient } from './chat-backend.js';
import type { JudgePrompts, PromptTemplate } from './prompts/template.js';
import type { JudgeStore } from './store.js';

/** The options of createJudge: where the model is, how to ask it, and where replies are kept. */
export interface JudgeOptions {
  /** An OpenAI-compatible API root, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `http://127.0.0.1:8000/v1` (vLLM). */
  baseURL?: string;
  /** Instead of baseURL: an object with `chat.completions.create` (the OpenAI SDK's client, WebLLM's engine). */
  client?: ChatClient;
  /** The model name the server knows. */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never logged, never cached, not part of any cache key. */
  apiKey?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Sampling temperature (default 0). */
  temperature?: number;
  seed?: number;
  /** `max_tokens` of each request (default: the server's). */
  maxTokens?: number;
  /** Requests in flight at most (default 4). */
  concurrency?: number;
  /** A request that has not answered after this many ms is abandoned and retried (default 120000). */
  timeoutMs?: number;
  /** Further attempts after a transport fault, a rate limit or a server error (default 3). */
  retries?: number;
  /** Wait before the first retry when the server does not say (Retry-After), doubled for each further one (default 1000). */
  retryDelayMs?: number;
  /** A persistent store of replies (createIndexedDBStore, createJsonlStore from agent-credit/node, or your own). */
  cache?: JudgeStore;
  /** Replacement prompts for some judgements. */
  prompts?: Partial<JudgePrompts>;
  /** The first way to ask for JSON (default json_schema; weaker ones follow when the server refuses). */
  responseFormat?: ResponseFormat;
}

export interface JudgePlan {
  send: { kind: 'fetch'; url: string; headers: Record<string, string>; fetch: typeof fetch } | { kind: 'client'; client: ChatClient };
  model: string;
  temperature: number;
  seed: number | undefined;
  maxTokens: number | undefined;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  cache: JudgeStore | undefined;
  prompts: Partial<JudgePrompts>;
  responseFormat: ResponseFormat;
}

const OPTION_NAMES = ['baseURL', 'client', 'model', 'apiKey', 'headers', 'fetch', 'temperature', 'seed', 'maxTokens', 'concurrency', 'timeoutMs', 'retries', 'retryDelayMs', 'cache', 'prompts', 'responseFormat'];
const PROMPT_NAMES = ['value', 'labels', 'prefixValues', 'recoverable'];

const got = (issue: { input?: unknown }) => `got ${describe(issue.input)}`;
const number = (what: string, check: (x: number) => boolean, expected: string) =>
  z.number({ error: (issue) => `expected ${what} as a number, ${got(issue)}` }).check(z.refine(check, { error: (issue) => `expected ${what} ${expected}, ${got(issue)}` }));
const text = (what: string) => z.string({ error: (issue) => `expected ${what} as a string, ${got(issue)}` });
const hasMethod = (value: unknown, ...path: string[]) => {
  let node = value as Record<string, unknown> | undefined;
  for (const key of path) node = node?.[key] as Record<string, unknown> | undefined;
  return typeof node === 'function';
};
const isTemplate = (value: unknown): value is PromptTemplate =>
  typeof value === 'object' && value !== null && typeof (value as PromptTemplate).version === 'string' && (value as PromptTemplate).version !== '' && typeof (value as PromptTemplate).render === 'function';

const optionsSchema = z.object({
  baseURL: z.optional(text('baseURL').check(
    z.refine((url) => /^https?:\/\/[^/]/i.test(url), { error: (issue) => `expected baseURL as an http(s) URL such as http://127.0.0.1:8000/v1, ${got(issue)}`, abort: true }),
    z.refine((url) => !/^https?:\/\/[^/]*@/i.test(url), { error: 'expected baseURL without credentials (user:password@ would travel into error messages and logs); pass apiKey or headers instead' }),
    // The request goes to baseURL + /chat/completions: after a query it would land inside the query, and a key there would travel into error messages.
    z.refine((url) => !/[?#]/.test(url), { error: 'expected baseURL without a ?query or #fragment (requests go to baseURL + /chat/completions, and a key in the query would travel into error messages); pass apiKey or headers, or a client such as the OpenAI SDK\'s for a server that needs query parameters' }),
    z.refine((url) => !/\/chat\/completions\/*$/i.test(url), { error: 'expected baseURL as the API root, such as http://127.0.0.1:8000/v1, not the endpoint: /chat/completions is added to it' }),
  )),
  client: z.optional(z.custom<ChatClient>((value) => hasMethod(value, 'chat', 'completions', 'create'), { error: 'expected client as an object with chat.completions.create (the OpenAI SDK client, a WebLLM engine)' })),
  model: text('model').check(z.minLength(1, { error: 'expected model as a non-empty string' })),
  apiKey: z.optional(z.string({ error: 'expected apiKey as a string' })),
  headers: z.optional(z.record(z.string(), z.string({ error: 'expected each header value as a string' }), { error: 'expected headers as an object of strings' })),
  fetch: z.optional(z.custom<typeof fetch>((value) => typeof value === 'function', { error: 'expected fetch as a function' })),
  temperature: z.optional(number('temperature', (x) => x >= 0 && x <= 2, 'from 0 to 2')),
  seed: z.optional(number('seed', Number.isSafeInteger, 'as an integer')),
  maxTokens: z.optional(number('maxTokens', (x) => Number.isSafeInteger(x) && x > 0, 'as a positive integer')),
  concurrency: z.optional(number('concurrency', (x) => Number.isSafeInteger(x) && x > 0, 'as a positive integer')),
  timeoutMs: z.optional(number('timeoutMs', (x) => x > 0 && x <= 2 ** 31 - 1, 'as a positive number of ms (at most 2^31 - 1)')),
  retries: z.optional(number('retries', (x) => Number.isSafeInteger(x) && x >= 0, 'as a non-negative integer')),
  retryDelayMs: z.optional(number('retryDelayMs', (x) => x >= 0 && x <= 2 ** 31 - 1, 'as a non-negative number of ms')),
  cache: z.optional(z.custom<JudgeStore>((value) => hasMethod(value, 'get') && hasMethod(value, 'set'), { error: 'expected cache as a store with get(key) and set(entry)' })),
  prompts: z.optional(z.record(z.string(), z.custom<PromptTemplate>(isTemplate, { error: 'expected a prompt template { version: non-empty string, render(view) }' }), { error: 'expected prompts as an object of templates' })),
  responseFormat: z.optional(z.enum(RESPONSE_FORMATS, { error: (issue) => `expected responseFormat as one of ${RESPONSE_FORMATS.join(', ')}, ${got(issue)}` })),
}, { error: (issue) => `expected the options as an object { baseURL or client, model, ... }, ${got(issue)}` });

export function judgePlan(options: JudgeOptions): JudgePlan {
  checkKnownOptions(options, OPTION_NAMES);
  const checked = parseOrThrow(optionsSchema, options, 'createJudge');
  if (checked.prompts) checkKnownOptions(checked.prompts, PROMPT_NAMES);
  if ((checked.baseURL === undefined) === (checked.client === undefined)) {
    throw new InputError([{ path: checked.baseURL === undefined ? 'baseURL' : 'client', message: 'expected either baseURL (an OpenAI-compatible server) or client (an object with chat.completions.create), not both and not neither' }], 'createJudge');
  }
  if (checked.client && (checked.apiKey !== undefined || checked.headers !== undefined || checked.fetch !== undefined)) {
    throw new InputError([{ path: 'client', message: 'apiKey, headers and fetch belong to the client you pass; give them to it' }], 'createJudge');
  }
  const send: JudgePlan['send'] = checked.client
    ? { kind: 'client', client: checked.client }
    : {
        kind: 'fetch',
        url: `${checked.baseURL!.replace(/\/+$/, '')}/chat/completions`,
        headers: { 'content-type': 'application/json', ...checked.headers, ...(checked.apiKey ? { authorization: `Bearer ${checked.apiKey}` } : {}) },
        fetch: checked.fetch ?? globalThis.fetch.bind(globalThis),
      };
  if (typeof crypto === 'undefined' || !crypto.subtle) {
    throw new InputError('createJudge: the judge\'s cache keys need Web Crypto (crypto.subtle), which browsers offer only on secure pages (https:, localhost or 127.0.0.1)');
  }
  return {
    send,
    model: checked.model,
    temperature: checked.temperature ?? 0,
    seed: checked.seed,
    maxTokens: checked.maxTokens,
    concurrency: checked.concurrency ?? 4,
    timeoutMs: checked.timeoutMs ?? 120_000,
    retries: checked.retries ?? 3,
    retryDelayMs: checked.retryDelayMs ?? 1000,
    cache: checked.cache,
    prompts: (checked.prompts ?? {}) as Partial<JudgePrompts>,
    responseFormat: checked.responseFormat ?? 'json_schema',
  };
}
