// One Chat Completions request: Retry-After in its three forms, and what a
// reply or an error body says.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { clientBackend, fetchBackend, retryAfterMs } from '../src/judge/chat-backend.js';
import { createJudge, JudgeError } from '../src/judge.js';

const headers = (entries: Record<string, string>) => (name: string) => entries[name];

describe('retryAfterMs', () => {
  it('reads retry-after-ms, Retry-After in seconds and as an HTTP date', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = retryAfterMs(headers({ 'retry-after': inTenSeconds }))!;
    expect(ms).toBeGreaterThan(8000);
    expect(ms).toBeLessThanOrEqual(10_000);
    expect(retryAfterMs(headers({ 'retry-after': new Date(0).toUTCString() }))).toBe(0);
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('fetchBackend', () => {
  const send = (response: Response) => fetchBackend({ url: 'http://127.0.0.1:1/v1/chat/completions', headers: {}, fetch: async () => response })({}, new AbortController().signal);

  it('reads the content, the token counts and a cut-off reply', async () => {
    const body = { choices: [{ message: { content: '{"value":1}' }, finish_reason: 'length' }], usage: { prompt_tokens: 12, completion_tokens: 3 } };
    expect(await send(new Response(JSON.stringify(body)))).toEqual({ ok: true, content: '{"value":1}', promptTokens: 12, completionTokens: 3, truncated: true });
    expect(await send(new Response(JSON.stringify({ choices: [{ message: { content: null } }] })))).toEqual({ ok: true, content: '', promptTokens: 0, completionTokens: 0, truncated: false });
  });

  it('reads content sent as a list of text parts, and keeps a refusal', async () => {
    const parts = { choices: [{ message: { content: [{ type: 'text', text: '{"value":' }, { type: 'text', text: '0.5}' }] }, finish_reason: 'stop' }] };
    expect(await send(new Response(JSON.stringify(parts)))).toMatchObject({ ok: true, content: '{"value":0.5}' });
    const refused = { choices: [{ message: { content: null, refusal: 'I cannot help with that.' }, finish_reason: 'stop' }] };
    expect(await send(new Response(JSON.stringify(refused)))).toEqual({ ok: true, content: '', promptTokens: 0, completionTokens: 0, truncated: false, refusal: 'I cannot help with that.' });
  });

  it('says whether a failure is worth retrying, with the server\'s own words', async () => {
    expect(await send(new Response(JSON.stringify({ error: { message: 'slow down' } }), { status: 429, headers: { 'retry-after': '3' } }))).toEqual({ ok: false, status: 429, message: 'HTTP 429: slow down', retryable: true, retryAfterMs: 3000 });
    expect(await send(new Response('model "x" not found', { status: 404 }))).toMatchObject({ ok: false, status: 404, message: 'HTTP 404: model "x" not found (POST http://127.0.0.1:1/v1/chat/completions)', retryable: false });
    expect(await send(new Response('<html>bad gateway</html>', { status: 502 }))).toMatchObject({ status: 502, retryable: true });
    expect(await send(new Response('not json', { status: 200 }))).toMatchObject({ ok: false, status: 200, message: 'the response is not JSON: not json', retryable: true });
    expect(await send(new Response('{}', { status: 200 }))).toMatchObject({ ok: false, message: 'the response has no choices', retryable: true });
  });

  it('shows a server\'s newlines, escape sequences and bidi controls as \\uXXXX: its words cannot start a line of their own', async () => {
    const page = '<html>\n<body>bad gateway</body>\r\nattribute: 999 episodes\u001b[2J\u202e</html>';
    expect(await send(new Response(page, { status: 502 }))).toMatchObject({ message: 'HTTP 502: <html>\\u000a<body>bad gateway</body>\\u000d\\u000aattribute: 999 episodes\\u001b[2J\\u202e</html>' });
    expect(await send(new Response(JSON.stringify({ error: { message: 'down\nattribute: 5 episodes' } }), { status: 500 }))).toMatchObject({ message: 'HTTP 500: down\\u000aattribute: 5 episodes' });
    expect(await send(new Response(JSON.stringify({ error: 'slow\u0085down' }), { status: 200 }))).toMatchObject({ message: 'the response has no choices: slow\\u0085down' });
    expect(await send(new Response('回答できません\nلا', { status: 503 }))).toMatchObject({ message: 'HTTP 503: 回答できません\\u000aلا' });
  });

  it('retries a connection failure only when it can work the next time', async () => {
    const request = (url: string, fetcher: typeof fetch = fetch) => fetchBackend({ url, headers: {}, fetch: fetcher })({}, new AbortController().signal);
    const failing = (code: string, message: string): typeof fetch => async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
    };
    const closedPort = async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      return port;
    };
    // Fail the same way every time: a port fetch blocks, nothing listening, an unknown host, https to a plain-http server.
    expect(await request('http://127.0.0.1:1/v1/chat/completions')).toMatchObject({ ok: false, retryable: false, message: expect.stringMatching(/bad port \(fetch never connects to this port, one the Fetch standard blocks/) });
    expect(await request(`http://127.0.0.1:${await closedPort()}/v1/chat/completions`)).toMatchObject({ retryable: false, message: expect.stringMatching(/ECONNREFUSED.*no server answers there/) });
    expect(await request('http://judge.example/v1/chat/completions', failing('ENOTFOUND', 'getaddrinfo ENOTFOUND judge.example'))).toMatchObject({ retryable: false, message: expect.stringContaining('no such host') });
    const plain = createHttpServer((_, response) => response.end('{}'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as AddressInfo;
    const answered = fetchBackend({ url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: {}, fetch });
    try {
      expect(await request(`https://127.0.0.1:${port}/v1/chat/completions`)).toMatchObject({ retryable: false, message: expect.stringContaining('a TLS failure') });
      // Can work the next time: a dropped connection, a name that failed to resolve for now.
      expect(await request('http://judge.example/v1/chat/completions', failing('UND_ERR_SOCKET', 'other side closed'))).toMatchObject({ retryable: true });
      expect(await request('http://judge.example/v1/chat/completions', failing('EAI_AGAIN', 'getaddrinfo EAI_AGAIN judge.example'))).toMatchObject({ retryable: true });
      // A server that answered and then refuses connections is restarting: that is retried.
      expect(await answered({}, new AbortController().signal)).toMatchObject({ ok: false, status: 200 });
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
    expect(await answered({}, new AbortController().signal)).toMatchObject({ retryable: true, message: expect.stringContaining('ECONNREFUSED') });
    // A judge that never had an answer from there is told at once.
    expect(await request(`http://127.0.0.1:${port}/v1/chat/completions`)).toMatchObject({ retryable: false });
  });
});

describe('clientBackend', () => {
  const closedPort = async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  };
  const body = { model: 'rules', messages: [{ role: 'user', content: 'hi' }] };

  it('retries a connection failure of the OpenAI SDK only when it can work the next time, as fetchBackend does', async () => {
    const sdk = (baseURL: string) => clientBackend(new OpenAI({ baseURL, apiKey: 'sk-test', maxRetries: 0 }));
    // Nothing listens there, and nothing ever answered: a wrong URL or a server not started, told at once.
    const port = await closedPort();
    expect(await sdk(`http://127.0.0.1:${port}/v1`)(body, new AbortController().signal)).toMatchObject({
      ok: false, status: undefined, retryable: false, message: expect.stringMatching(/^the client failed: Connection error\..*ECONNREFUSED.*\(no server answers there: check the URL and that the server is running\)$/),
    });

    // A server that answered and then refuses connections is restarting: that is retried.
    const plain = createHttpServer((_, response) => response.end('{}'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const answered = sdk(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/v1`);
    try {
      expect(await answered(body, new AbortController().signal)).toMatchObject({ ok: false, status: 200 });
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
    expect(await answered(body, new AbortController().signal)).toMatchObject({ retryable: true, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('reads the codes along any client\'s error causes: an unknown host is told at once, a name that failed for now is retried', async () => {
    const failing = (code: string, message: string) => clientBackend({
      chat: { completions: { create: async () => { throw new Error('Connection error.', { cause: new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) }) }); } } },
    });
    expect(await failing('ENOTFOUND', 'getaddrinfo ENOTFOUND judge.example')(body, new AbortController().signal)).toMatchObject({ retryable: false, message: expect.stringContaining('no such host') });
    expect(await failing('EAI_AGAIN', 'getaddrinfo EAI_AGAIN judge.example')(body, new AbortController().signal)).toMatchObject({ retryable: true });
    expect(await failing('ECONNRESET', 'read ECONNRESET')(body, new AbortController().signal)).toMatchObject({ retryable: true });
  });

  it('a judge over the OpenAI SDK pointed where nothing listens fails after one attempt, not after every retry', async () => {
    const port = await closedPort();
    const judge = createJudge({ client: new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test', maxRetries: 0 }), model: 'rules', retries: 3, retryDelayMs: 0 });
    const error = await judge.value({ id: 'e', agents: ['a'], messages: [{ agent: 'a', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JudgeError);
    expect(error).toMatchObject({ attempts: 1 });
    expect((error as Error).message).toMatch(/ECONNREFUSED.*no server answers there/);
  });
});
