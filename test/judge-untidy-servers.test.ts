// The judge against servers that answer the way real local servers do when
// they are misconfigured or run reasoning models: a loopback server of our
// own whose every reply is scripted by the test.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJudge, JudgeError, type JudgeOptions } from '../src/judge.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: Record<string, unknown>) => void;

let handler: Handler = (_, response) => response.writeHead(500).end();
let requests: Array<{ url: string; headers: IncomingMessage['headers'] }> = [];
let baseURL = '';
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    handler(request, response, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterEach(() => {
  requests = [];
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const json = (response: ServerResponse, status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
/** A 200 completion whose message content is `content`. */
const reply = (content: string, finishReason = 'stop'): Handler => (_, response) =>
  json(response, 200, { choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }], usage: { prompt_tokens: 10, completion_tokens: 5 } });
const judgeFor = (options: Partial<JudgeOptions> = {}) => createJudge({ baseURL, model: 'local', retryDelayMs: 0, ...options });

const episode = {
  id: 'duo',
  task: 'Say hello.',
  agents: ['a', 'b'],
  messages: [
    { id: 'm1', agent: 'a', content: 'Hello.' },
    { id: 'm2', agent: 'b', content: 'Hello there.' },
  ],
};

describe('credentials never travel into error messages', () => {
  it('a server that quotes the API key or a header back in its error: the JudgeError shows neither', async () => {
    const key = 'sk-local-4f9a1c77e2d0b3';
    const token = 'proxy-token-8c1d55e0a9';
    handler = (request, response) => json(response, 401, { error: { message: `Incorrect API key provided: ${request.headers.authorization} (proxy token ${request.headers['x-proxy-token']})` } });
    const error = await judgeFor({ apiKey: key, headers: { 'x-proxy-token': token } }).value(episode).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JudgeError);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${key}`);
    expect((error as Error).message).toMatch(/^judge: value of episode "duo": HTTP 401: Incorrect API key provided: Bearer \[redacted\] \(proxy token \[redacted\]\)/);
    expect((error as Error).message).not.toContain(key);
    expect((error as Error).message).not.toContain(token);
    expect(requests).toHaveLength(1);
  });

  it('the same for an error body that is not JSON, and for a 200 that is not JSON', async () => {
    const key = 'sk-local-0d9e8f7a6b5c';
    handler = (request, response) => response.writeHead(request.headers['x-step'] ? 200 : 500, { 'content-type': 'text/plain' }).end(`bad auth header ${request.headers.authorization}`);
    const error = await judgeFor({ apiKey: key, retries: 0 }).value(episode).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/HTTP 500: bad auth header Bearer \[redacted\]/);
    const second = await judgeFor({ apiKey: key, retries: 0, headers: { 'x-step': '2' } }).value(episode).catch((caught: unknown) => caught);
    expect((second as Error).message).toMatch(/the response is not JSON: bad auth header Bearer \[redacted\]/);
    for (const caught of [error, second]) expect((caught as Error).message).not.toContain(key);
  });
});

describe('reasoning models that think aloud in the content (<think> ... </think>)', () => {
  it('the answer after the reasoning is read, not a JSON object the model wrote while thinking', async () => {
    handler = reply('<think>\nThe format is {"value": 1, "reason": "example"}; both agents greet, but only half of it matters.\n</think>\n\n{"value": 0.25, "reason": "partly done"}');
    expect(await judgeFor().value(episode)).toBe(0.25);
    expect(requests).toHaveLength(1);
  });

  it('a chat template that opens the reasoning itself (only </think> in the content): the answer after it', async () => {
    handler = reply('Let me score this. Something like {"value": 0.9} would be too generous.\n</think>\n```json\n{"value": 0.4, "reason": "ok"}\n```');
    expect(await judgeFor().value(episode)).toBe(0.4);
  });

  it('reasoning cut off at the token limit: no value is taken from inside it', async () => {
    handler = reply('<think>\nFirst guess: {"value": 1, "reason": "looks complete"}. But wait, let me check message 2', 'length');
    const error = await judgeFor().value(episode).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JudgeError);
    expect((error as Error).message).toMatch(/the reply holds no JSON object.*cut off at the token limit/);
    expect(requests).toHaveLength(2);
  });
});

describe('errors that say where the request went and what the server said', () => {
  it('a 404 (the API root without /v1, as Ollama answers it): the URL asked and what the API root should look like', async () => {
    handler = (_, response) => response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    const origin = baseURL.replace(/\/v1$/, '');
    const error = await judgeFor({ baseURL: origin }).value(episode).catch((caught: unknown) => caught);
    expect(requests).toHaveLength(1);
    expect((error as Error).message).toBe(`judge: value of episode "duo": HTTP 404: 404 page not found (POST ${origin}/chat/completions: is ${origin} the API root, usually ending in /v1?)`);
    // With /v1, a 404 is about something else (an unknown model): the URL is named, no guess about the root.
    handler = (_, response) => json(response, 404, { error: { message: 'model "local" not found, try pulling it first' } });
    const unknown = await judgeFor().value(episode).catch((caught: unknown) => caught);
    expect((unknown as Error).message).toBe(`judge: value of episode "duo": HTTP 404: model "local" not found, try pulling it first (POST ${baseURL}/chat/completions)`);
  });

  it('a 200 whose body is an error instead of a completion: the server\'s words, not only "no choices"', async () => {
    handler = (_, response) => json(response, 200, { error: { message: 'Input validation error: inputs tokens + max_new_tokens must be <= 4096', code: 422 } });
    const error = await judgeFor({ retries: 1 }).value(episode).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('judge: value of episode "duo": the response has no choices: Input validation error: inputs tokens + max_new_tokens must be <= 4096, 2 attempts');
  });
});

describe('a server (or proxy) that streams although no stream was asked for', () => {
  const sse = (events: unknown[], done = true): Handler => (_, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
    response.end(done ? 'data: [DONE]\n\n' : '');
  };
  const delta = (content: string, finish: string | null = null) => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

  it('the streamed chunks are put together into the reply, with their usage', async () => {
    handler = sse([{ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] }, delta('{"value": 0.'), delta('75, "reason": "mostly"}', 'stop'), { choices: [], usage: { prompt_tokens: 40, completion_tokens: 9 } }]);
    const judge = judgeFor();
    expect(await judge.value(episode)).toBe(0.75);
    expect(requests).toHaveLength(1);
    expect(judge.usage()).toMatchObject({ calls: 1, promptTokens: 40, completionTokens: 9 });
    expect(requests[0]!.url).toBe('/v1/chat/completions');
  });

  it('a stream that ends before its last chunk is a broken-off response, retried; never a partial reply read as the answer', async () => {
    handler = sse([delta('{"value": 0.'), delta('5}')], false);
    const error = await judgeFor({ retries: 1 }).value(episode).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('judge: value of episode "duo": the response broke off: the event stream ended before its last chunk (no finish_reason, no [DONE]), 2 attempts');
  });
});

describe('a reply with more than one JSON answer', () => {
  it('an example quoted before the answer: asked again, never read as the answer', async () => {
    const replies = ['For example {"value": 1.0}. Actual: {"value": 0.2}', '{"value": 0.2}'];
    const seen: string[] = [];
    handler = (_, response, body) => {
      const messages = body.messages as Array<{ content: string }>;
      seen.push(messages[messages.length - 1]!.content);
      reply(replies[seen.length - 1]!)(_ as IncomingMessage, response, body);
    };
    expect(await judgeFor().value(episode)).toBe(0.2);
    expect(requests).toHaveLength(2);
    expect(seen[1]).toMatch(/^Your reply does not fit: the reply holds 2 different JSON answers \(1 and 0\.2\); give one\./);
  });

  it('the same answer twice (a fenced copy of it): read at once', async () => {
    handler = reply('{"value": 0.5}\n```json\n{"value": 0.5}\n```');
    expect(await judgeFor().value(episode)).toBe(0.5);
    expect(requests).toHaveLength(1);
  });

  it('two answers that differ, twice: a JudgeError that says so, no number', async () => {
    handler = reply('{"value": 0.9} or maybe {"value": 0.1}');
    await expect(judgeFor().value(episode)).rejects.toThrow(/the reply did not fit, asked twice: the reply holds 2 different JSON answers \(0\.9 and 0\.1\); give one/);
  });
});

describe('a transcript longer than the model\'s context', () => {
  it.each([
    [400, { error: { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.", code: 'context_length_exceeded' } }],
    [400, { error: { message: 'the request exceeds the available context size, try increasing it' } }],
  ])('HTTP %i saying so: one request, and an error that says what to do, not a format fallback', async (status, body) => {
    handler = (_, response) => json(response, status, body);
    const error = await judgeFor().value(episode).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JudgeError);
    expect(requests).toHaveLength(1);
    expect((error as Error).message).toMatch(/\(the prompt is longer than the model's context window: serve the model with a longer context, use one that has it, or judge shorter episodes\)$/);
    expect((error as Error).message).not.toContain('refused (');
    expect((error as JudgeError).about).toBe('episode');
  });
});

describe('a reply that is not a plain string', () => {
  it('content as a list of text parts (some gateways): the parts make the reply', async () => {
    handler = (_, response) => json(response, 200, { choices: [{ index: 0, message: { role: 'assistant', content: [{ type: 'text', text: '{"value": ' }, { type: 'text', text: '0.75}' }] }, finish_reason: 'stop' }] });
    expect(await judgeFor().value(episode)).toBe(0.75);
    expect(requests).toHaveLength(1);
  });

  it('a refusal (message.refusal, content null): asked again, then a JudgeError that quotes it, not "empty"', async () => {
    handler = (_, response) => json(response, 200, { choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: 'I can\'t assist with grading this.' }, finish_reason: 'stop' }] });
    await expect(judgeFor().value(episode)).rejects.toThrow(/the reply did not fit, asked twice: the model refused instead of answering: "I can't assist with grading this\."$/);
    expect(requests).toHaveLength(2);
  });
});

describe('an empty reply', () => {
  it('only reasoning_content or only tool_calls: asked again as empty, then a JudgeError that says it was empty', async () => {
    handler = (_, response) => json(response, 200, { choices: [{ index: 0, message: { role: 'assistant', content: null, reasoning_content: 'thinking {"value": 1}', tool_calls: [] }, finish_reason: 'stop' }] });
    await expect(judgeFor().value(episode)).rejects.toThrow(/the reply did not fit, asked twice: the reply is empty \(no text: only reasoning, tool calls or nothing\)/);
    expect(requests).toHaveLength(2);
  });
});
