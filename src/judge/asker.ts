// Gets a reply that fits: sends the request (at most `concurrency` in
// flight), retries transport faults, rate limits and server errors with
// backoff (the server's Retry-After first), falls back from a JSON Schema
// response_format to json_object to plain text when the server refuses one
// (HTTP 400), and asks once more, quoting what was wrong, when a reply does
// not fit its contract.
import type { ChatOutcome, ChatSend } from './chat-backend.js';
import { CutPromptWatch } from './cut-prompts.js';
import { hasUnclosedObject, jsonValuesOf } from './json-text.js';
import { JudgeError, type JudgeFailureScope, type JudgementTarget } from './judge-error.js';
import type { Limiter } from './limiter.js';
import type { ChatMessage } from './prompts/template.js';
import type { ReplyContract } from './replies.js';
import type { TranscriptView } from './transcript.js';
import type { UsageMeter } from './usage-meter.js';

/** How replies are asked to be JSON, strongest first. */
export const RESPONSE_FORMATS = ['json_schema', 'json_object', 'text'] as const;
/** One of {@link RESPONSE_FORMATS}. */
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

export interface AskSettings {
  model: string;
  temperature: number;
  seed: number | undefined;
  maxTokens: number | undefined;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

export interface Answer<T> {
  reply: unknown;
  value: T;
  promptTokens: number;
  completionTokens: number;
}

type Failure = Extract<ChatOutcome, { ok: false }>;

/** A failure no retry helps, with why: reported at once. */
function final(outcome: Failure, why: string): Failure {
  return { ...outcome, retryable: false, message: `${outcome.message} (${why})` };
}

/**
 * Whether a refusal says the prompt does not fit the model's context (the
 * wording of OpenAI, vLLM, llama.cpp and Ollama): no response format and no
 * retry can help then, so it is reported at once instead of being taken
 * for a format the server refuses.
 */
function exceedsContext(outcome: Failure): boolean {
  if (outcome.status !== 400 && outcome.status !== 413 && outcome.status !== 422) return false;
  return /context[ _]length|context_length_exceeded|maximum context|context window|exceeds the available context|too many tokens|prompt is too long/i.test(outcome.message);
}

/**
 * The answer among a reply's JSON values: the one that fits the contract.
 * Several that fit but say different things (an example quoted before the
 * answer, or two answers) are no answer: taking the first would be a guess,
 * so the reply is asked again. None that fit: the first value's issues.
 */
function readAnswer<T>(values: unknown[], contract: ReplyContract<T>, view: TranscriptView): { ok: true; json: unknown; value: T } | { ok: false; issues: string[] } {
  if (values.length === 0) return { ok: false, issues: ['the reply holds no JSON object'] };
  const checks = values.map((json) => ({ json, check: contract.read(json, view) }));
  const fitting = checks.filter((entry) => entry.check.ok);
  if (fitting.length === 0) return checks[0]!.check as { ok: false; issues: string[] };
  const answers = new Set(fitting.map((entry) => JSON.stringify((entry.check as { value: T }).value)));
  if (answers.size > 1) {
    const shown = [...answers].map((answer) => (answer.length > 120 ? `${answer.slice(0, 120)}...` : answer));
    return { ok: false, issues: [`the reply holds ${answers.size} different JSON answers (${shown.join(' and ')}); give one`] };
  }
  const { json, check } = fitting[0]!;
  return { ok: true, json, value: (check as { value: T }).value };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

function charactersOf(messages: ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += message.content.length;
  return total;
}

export class Asker {
  /** The strongest format the server has not refused; lowered once a weaker one works. */
  private format: ResponseFormat;
  /** Whether the server has shown that it cuts long prompts to its context (then every long prompt's judgement fails). */
  private readonly cutPrompts = new CutPromptWatch();

  constructor(
    private readonly send: ChatSend,
    private readonly limiter: Limiter,
    private readonly usage: UsageMeter,
    private readonly settings: AskSettings,
    format: ResponseFormat,
  ) {
    this.format = format;
  }

  async ask<T>(messages: ChatMessage[], contract: ReplyContract<T>, view: TranscriptView, target: JudgementTarget, signal: AbortSignal): Promise<Answer<T>> {
    const state = { attempts: 0 };
    let chat = messages;
    let promptTokens = 0;
    let completionTokens = 0;
    let issues: string[] = [];
    for (let round = 0; round < 2; round++) {
      const reply = await this.complete(chat, contract, target, signal, state);
      promptTokens += reply.promptTokens;
      completionTokens += reply.completionTokens;
      const empty = reply.refusal === undefined
        ? 'the reply is empty (no text: only reasoning, tool calls or nothing)'
        : `the model refused instead of answering: ${JSON.stringify(reply.refusal.length > 300 ? `${reply.refusal.slice(0, 300)}...` : reply.refusal)}`;
      const check = reply.content.trim() === ''
        ? { ok: false as const, issues: [empty] }
        : readAnswer(jsonValuesOf(reply.content), contract, view);
      if (check.ok) return { reply: check.json, value: check.value, promptTokens, completionTokens };
      // A reply cut off mid-JSON: its inner objects' issues ("messages: expected an array" of one label) would mislead.
      issues = hasUnclosedObject(reply.content) ? ['the reply\'s JSON is cut off: an object opens and never closes'] : check.issues;
      if (reply.truncated) issues = [...issues, 'the reply was cut off at the token limit (finish_reason "length"; raise maxTokens, on the command line --judge-max-tokens N)'];
      chat = [
        ...messages,
        { role: 'assistant', content: reply.content },
        { role: 'user', content: `Your reply does not fit: ${issues.join('; ')}. Reply again with JSON only, in the shape the instructions give.` },
      ];
    }
    throw new JudgeError(target, `the reply did not fit, asked twice: ${issues.join('; ')}`, state.attempts, undefined, 'episode');
  }

  /** One reply's text: transport retries and format fallbacks included. */
  private async complete(messages: ChatMessage[], contract: ReplyContract<unknown>, target: JudgementTarget, signal: AbortSignal, state: { attempts: number }) {
    let format = this.format;
    const refused: string[] = [];
    for (let retry = 0; ; ) {
      const outcome = await this.limiter.run(() => this.once(this.body(messages, contract, format), signal), signal);
      state.attempts++;
      if (outcome.ok) {
        if (RESPONSE_FORMATS.indexOf(format) > RESPONSE_FORMATS.indexOf(this.format)) this.format = format;
        this.usage.promptTokens += outcome.promptTokens;
        this.usage.completionTokens += outcome.completionTokens;
        // A reply to a prompt the server cut is not read (nor cached): its value would be a silently wrong number.
        const cut = this.cutPrompts.observe(charactersOf(messages), outcome.promptTokens);
        if (cut !== undefined) throw new JudgeError(target, cut, state.attempts, undefined, 'server');
        return outcome;
      }
      if (exceedsContext(outcome)) {
        const hint = 'the prompt is longer than the model\'s context window: serve the model with a longer context, use one that has it, or judge shorter episodes';
        throw this.failure(target, final(outcome, hint), retry, refused, state.attempts, 'episode');
      }
      if ((outcome.status === 400 || outcome.status === 422) && format !== 'text') {
        refused.push(`${format} refused (${outcome.message})`);
        format = RESPONSE_FORMATS[RESPONSE_FORMATS.indexOf(format) + 1]!;
        continue;
      }
      if (!outcome.retryable || retry >= this.settings.retries) throw this.failure(target, outcome, retry, refused, state.attempts);
      // A server that asks for a longer wait than a request may take (a quota that resets in an hour) is not waited on in silence.
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.settings.timeoutMs) {
        const wait = `the server asks to retry after ${Math.ceil(outcome.retryAfterMs / 1000)} s, longer than timeoutMs (${this.settings.timeoutMs} ms): try again later`;
        throw this.failure(target, final(outcome, wait), retry, refused, state.attempts);
      }
      // A Retry-After of 0 (gateways that send it with every 429) would spend every retry within milliseconds: it counts as none.
      await sleep(outcome.retryAfterMs || this.settings.retryDelayMs * 2 ** retry, signal);
      retry++;
    }
  }

  private failure(target: JudgementTarget, outcome: Failure, retries: number, refused: string[], attempts: number, about: JudgeFailureScope = 'server'): JudgeError {
    const tries = outcome.retryable ? `, ${retries + 1} attempt${retries === 0 ? '' : 's'}` : '';
    const formats = refused.length > 0 ? ` (before that: ${refused.join('; ')})` : '';
    return new JudgeError(target, `${outcome.message}${tries}${formats}`, attempts, undefined, about);
  }

  private body(messages: ChatMessage[], contract: ReplyContract<unknown>, format: ResponseFormat): Record<string, unknown> {
    const { model, temperature, seed, maxTokens } = this.settings;
    const body: Record<string, unknown> = { model, messages, temperature };
    if (seed !== undefined) body.seed = seed;
    if (maxTokens !== undefined) body.max_tokens = maxTokens;
    if (format === 'json_schema') body.response_format = { type: 'json_schema', json_schema: { name: contract.name, schema: contract.jsonSchema, strict: true } };
    else if (format === 'json_object') body.response_format = { type: 'json_object' };
    return body;
  }

  /** One request with its timeout; the caller's abort propagates as its reason. */
  private async once(body: Record<string, unknown>, signal: AbortSignal): Promise<ChatOutcome> {
    this.usage.calls++;
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      return await this.send(body, controller.signal);
    } catch (error) {
      signal.throwIfAborted();
      if (controller.signal.aborted) return { ok: false, status: undefined, message: `no reply within ${this.settings.timeoutMs} ms`, retryable: true };
      throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', forward);
    }
  }
}
