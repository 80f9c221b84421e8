// One Chat Completions request, through fetch (any OpenAI-compatible server:
// OpenAI, vLLM, llama.cpp, Ollama, LM Studio, LiteLLM) or through a client
// object with `chat.completions.create` (the OpenAI SDK, WebLLM's engine).
// Every failure comes back as a value saying whether retrying can help.
import { terminalText } from '../core/terminal-text.js';

/** An object with the OpenAI SDK's `chat.completions.create`. */
export interface ChatClient {
  chat: {
    completions: {
      /** Sends one Chat Completions request (the body as the REST API takes it) and resolves to the completion. */
      create(body: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
    };
  };
}

export type ChatOutcome =
  | {
      ok: true;
      content: string;
      promptTokens: number;
      completionTokens: number;
      /** The server stopped at the token limit (finish_reason "length"). */
      truncated: boolean;
      /** What the model said instead of answering (OpenAI's `message.refusal`), when it refused. */
      refusal?: string;
    }
  | {
      ok: false;
      /** HTTP status; undefined for a transport failure (connection refused or dropped). */
      status: number | undefined;
      message: string;
      retryable: boolean;
      /** What the server asked to wait (Retry-After), in ms. */
      retryAfterMs?: number;
    };

export type ChatSend = (body: Record<string, unknown>, signal: AbortSignal) => Promise<ChatOutcome>;

/** Statuses worth another attempt: timeouts, conflicts, rate limits, server faults. */
const isRetryableStatus = (status: number) => status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;

/** Retry-After (seconds or an HTTP date) or OpenAI's retry-after-ms, in ms. */
export function retryAfterMs(header: (name: string) => string | null | undefined): number | undefined {
  const ms = Number(header('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = header('retry-after');
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

/**
 * The text of a message's content: a string, or (as some servers and
 * gateways send it) a list of content parts whose text parts make the reply.
 */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : '')).join('');
}

/** The reply text and token counts of a Chat Completions response body. */
function completionOf(body: unknown): ChatOutcome {
  const choice = (body as { choices?: Array<{ message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }> } | null)?.choices?.[0];
  if (!choice) {
    // Some servers and proxies answer an error with 200: their words say what went wrong.
    const said = saidIn(body);
    return { ok: false, status: 200, message: `the response has no choices${said ? `: ${clipped(said)}` : ''}`, retryable: true };
  }
  const refusal = choice.message?.refusal;
  const usage = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  return {
    ok: true,
    content: contentText(choice.message?.content),
    promptTokens: count(usage?.prompt_tokens),
    completionTokens: count(usage?.completion_tokens),
    truncated: choice.finish_reason === 'length',
    ...(typeof refusal === 'string' && refusal.trim() !== '' ? { refusal } : {}),
  };
}

/**
 * A reply streamed as server-sent events although the request asked for no
 * stream (some proxies and gateways stream every reply): the chunks' content
 * put together. A stream without its last chunk (a finish_reason or [DONE])
 * broke off, and is never read as a whole reply.
 */
function streamedCompletion(text: string, status: number): ChatOutcome {
  let content = '';
  let finish: unknown;
  let done = false;
  let usage: unknown;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice('data:'.length).trim();
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    let chunk: { choices?: Array<{ delta?: { content?: unknown }; message?: { content?: unknown }; finish_reason?: unknown }>; usage?: unknown; error?: { message?: unknown } | string };
    try {
      chunk = JSON.parse(data) as typeof chunk;
    } catch {
      return { ok: false, status, message: `the event stream holds a chunk that is not JSON: ${errorMessage(data)}`, retryable: true };
    }
    if (chunk?.error !== undefined) return { ok: false, status, message: `the event stream reports an error: ${errorMessage(JSON.stringify(chunk))}`, retryable: true };
    const choice = chunk?.choices?.[0];
    const part = choice?.delta?.content ?? choice?.message?.content;
    if (typeof part === 'string') content += part;
    if (choice?.finish_reason != null) finish = choice.finish_reason;
    if (chunk?.usage) usage = chunk.usage;
  }
  if (!done && finish === undefined) return { ok: false, status, message: 'the response broke off: the event stream ended before its last chunk (no finish_reason, no [DONE])', retryable: true };
  return completionOf({ choices: [{ message: { content }, finish_reason: finish }], usage });
}

/** The server's own words about an error, from an OpenAI-style error body or the raw text. */
function errorMessage(text: string): string {
  try {
    const said = saidIn(JSON.parse(text));
    if (said !== undefined) return terminalText(said);
  } catch {
    // Not JSON: the text itself says what happened.
  }
  return clipped(text);
}

/** What an OpenAI-style error body says: `error.message`, `error` as text, or `message`. */
function saidIn(body: unknown): string | undefined {
  const { error, message } = (body ?? {}) as { error?: { message?: unknown } | string; message?: unknown };
  const said = typeof error === 'string' ? error : (error?.message ?? message);
  return typeof said === 'string' ? said : undefined;
}

/** A server's text, cut to 300 characters for an error message. */
function clipped(text: string): string {
  // A server's words go into messages a terminal shows: an HTML error page's newlines must not start lines of their own.
  return terminalText(text.length > 300 ? `${text.slice(0, 300)}...` : text);
}

export interface FetchBackendOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
}

/**
 * An error's message with its causes: Node's fetch rejects with "fetch
 * failed" and keeps the reason (ECONNREFUSED 127.0.0.1:8000, a DNS or TLS
 * failure) in `cause`, which is what a user needs to fix the URL.
 */
function failureText(error: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = error, depth = 0; at !== undefined && at !== null && depth < 4; at = (at as { cause?: unknown }).cause, depth++) {
    const text = at instanceof Error || (typeof at === 'object' && typeof (at as Error).message === 'string') ? (at as Error).message : String(at);
    const code = (at as { code?: unknown }).code;
    const part = typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
    if (part && !parts.includes(part)) parts.push(part);
  }
  return parts.join(': ') || String(error);
}

/**
 * A function that blanks every credential the requests carry (the API key,
 * the value of each header but content-type) out of a text: servers and
 * proxies quote the key they refused back in their error ("Incorrect API key
 * provided: Bearer sk-..."), and error messages end up on terminals, in logs
 * and in reports.
 */
function redactor(headers: Record<string, string>): (text: string) => string {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') continue;
    const bearer = /^\s*bearer\s+(.+?)\s*$/i.exec(value);
    // Short values ("1", "on") would blank ordinary words; no credential is that short.
    const secret = bearer ? bearer[1]! : value.trim();
    if (secret.length >= 6) secrets.add(secret);
  }
  const longestFirst = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => longestFirst.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
}

/** For a 404 or 405: the URL asked, and a guess at the API root when it lacks the usual /v1. */
function whereAsked(url: string): string {
  const root = url.replace(/\/chat\/completions$/, '');
  return /\/v1$/.test(root) ? `POST ${url}` : `POST ${url}: is ${root} the API root, usually ending in /v1?`;
}

/** The error codes along an error's causes (and an AggregateError's errors: Node tries each address of a name). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  const visit = (at: unknown, depth: number) => {
    if (at === null || typeof at !== 'object' || depth > 4) return;
    const { code, cause, errors } = at as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (Array.isArray(errors)) for (const each of errors) visit(each, depth + 1);
    visit(cause, depth + 1);
  };
  visit(error, 0);
  return codes;
}

/** A TLS failure: a certificate the client rejects, or https to a server that speaks plain http. */
const isTlsCode = (code: string) => /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$)/.test(code);

/**
 * Whether a request that got no response is worth another attempt, and if
 * not, why. A connection that was dropped, reset or timed out, or a name
 * that failed to resolve for now (EAI_AGAIN), can work the next time. A
 * host that does not exist (ENOTFOUND), a TLS failure, and a port fetch
 * refuses to connect to (the Fetch standard's blocked ports, "bad port")
 * fail the same way every time. A refused connection (nothing listens at
 * the address; or the host or network cannot be reached) is a wrong URL or
 * a server not started when no request has had a response yet, and is
 * reported at once; once the server has answered, it is a server
 * restarting, and retried with the rest.
 */
function transportFailure(error: unknown, answered: boolean): { retryable: boolean; why?: string } {
  const codes = codesOf(error);
  if (codes.includes('ENOTFOUND')) return { retryable: false, why: 'no such host: check the URL' };
  if (codes.some(isTlsCode)) return { retryable: false, why: 'a TLS failure: check the URL (http or https?) and the server\'s certificate' };
  if (/\bbad port\b/.test(failureText(error))) return { retryable: false, why: 'fetch never connects to this port, one the Fetch standard blocks: serve the judge on another port' };
  if (codes.some((code) => code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')) {
    return answered ? { retryable: true } : { retryable: false, why: 'no server answers there: check the URL and that the server is running' };
  }
  return { retryable: true };
}

export function fetchBackend({ url, headers, fetch: send }: FetchBackendOptions): ChatSend {
  const redact = redactor(headers);
  const request = fetchRequest(url, headers, send);
  return async (body, signal) => {
    const outcome = await request(body, signal);
    return outcome.ok ? outcome : { ...outcome, message: redact(outcome.message) };
  };
}

function fetchRequest(url: string, headers: Record<string, string>, send: typeof fetch): ChatSend {
  // Whether the server has answered any request yet (with any status): then a refused connection is a restart.
  let answered = false;
  return async (body, signal) => {
    let response: Response;
    try {
      response = await send(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (error) {
      signal.throwIfAborted();
      const { retryable, why } = transportFailure(error, answered);
      return { ok: false, status: undefined, message: `no response from ${url}: ${failureText(error)}${why ? ` (${why})` : ''}`, retryable };
    }
    answered = true;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      signal.throwIfAborted();
      return { ok: false, status: response.status, message: `the response broke off: ${(error as Error)?.message ?? String(error)}`, retryable: true };
    }
    if (!response.ok) {
      return {
        ok: false,
        status: response.status,
        message: `HTTP ${response.status}: ${errorMessage(text)}${response.status === 404 || response.status === 405 ? ` (${whereAsked(url)})` : ''}`,
        retryable: isRetryableStatus(response.status),
        retryAfterMs: retryAfterMs((name) => response.headers.get(name)),
      };
    }
    if (/^\s*data:/.test(text) || /text\/event-stream/i.test(response.headers.get('content-type') ?? '')) return streamedCompletion(text, response.status);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, status: response.status, message: `the response is not JSON: ${errorMessage(text)}`, retryable: true };
    }
    return completionOf(parsed);
  };
}

/**
 * The status and headers the OpenAI SDK's APIError (and similar clients'
 * errors) carry. An error without a status got no response: the SDK's
 * APIConnectionError keeps fetch's failure in its cause, and whether another
 * attempt can help is decided as for fetchBackend (transportFailure), given
 * whether the server has answered this client before.
 */
function clientFailure(error: unknown, answered: boolean): Extract<ChatOutcome, { ok: false }> {
  const { status, headers, message } = (error ?? {}) as { status?: unknown; headers?: unknown; message?: unknown };
  const header = (name: string): string | null | undefined => {
    if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const value = (headers as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : undefined;
  };
  const code = typeof status === 'number' ? status : undefined;
  if (code === undefined) {
    const { retryable, why } = transportFailure(error, answered);
    return { ok: false, status: undefined, message: `the client failed: ${failureText(error)}${why ? ` (${why})` : ''}`, retryable };
  }
  return {
    ok: false,
    status: code,
    message: `the client failed with HTTP ${code}: ${typeof message === 'string' ? message : String(error)}`,
    retryable: isRetryableStatus(code),
    retryAfterMs: headers ? retryAfterMs(header) : undefined,
  };
}

export function clientBackend(client: ChatClient): ChatSend {
  // Whether the server has answered any request yet (a completion or an HTTP error): then a refused connection is a restart.
  let answered = false;
  return async (body, signal) => {
    // Clients that ignore the signal (WebLLM) still give up when it aborts.
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    let completion: unknown;
    try {
      completion = await Promise.race([client.chat.completions.create(body, { signal }), aborted]);
    } catch (error) {
      signal.throwIfAborted();
      const failure = clientFailure(error, answered);
      if (failure.status !== undefined) answered = true;
      return failure;
    }
    answered = true;
    return completionOf(completion);
  };
}
