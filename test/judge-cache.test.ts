// The judge's reply cache over runs: a second run pays nothing, a run killed
// halfway (a real process, SIGKILL) resumes with only the calls it had not
// made, and the API key is neither in the cache file nor in its keys.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJudge } from '../src/judge.js';
import { createJsonlStore } from '../src/node.js';
import { startJudgeServer, type JudgeServer } from './support/judge-server.js';

let server: JudgeServer;
const folder = mkdtempSync(join(tmpdir(), 'agent-credit-judge-cache-'));

beforeAll(async () => {
  server = await startJudgeServer();
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

/** 20 one-message episodes; episode i states fact `f${i}` in message 0 and so is worth 1 when i is even, 0.5 when odd. */
const episodes = Array.from({ length: 20 }, (_, i) => ({
  id: `e${i}`,
  task: `Facts: f${i}; g${i}`,
  agents: ['a'],
  messages: [{ id: '0', agent: 'a', content: i % 2 === 0 ? `f${i} and g${i}` : `f${i}` }],
}));
const expected = episodes.map((_, i) => (i % 2 === 0 ? 1 : 0.5));
const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '') : []);

describe('judge cache', () => {
  it('a second run over the same episodes, same judge or a new one on the same file: zero calls', async () => {
    const path = join(folder, 'second-run.jsonl');
    const first = createJudge({ baseURL: server.baseURL, model: 'rules', cache: createJsonlStore(path) });
    expect(await Promise.all(episodes.map((episode) => first.value(episode)))).toEqual(expected);
    expect(server.calls).toBe(20);
    expect(lines(path)).toHaveLength(20);
    server.reset();
    expect(await Promise.all(episodes.map((episode) => first.value(episode)))).toEqual(expected);
    const second = createJudge({ baseURL: server.baseURL, model: 'rules', cache: createJsonlStore(path) });
    expect(await Promise.all(episodes.map((episode) => second.value(episode)))).toEqual(expected);
    expect(server.calls).toBe(0);
    expect(first.usage()).toMatchObject({ calls: 20, cacheHits: 20 });
    expect(second.usage()).toMatchObject({ calls: 0, cacheHits: 20, promptTokens: 0, completionTokens: 0 });
  });

  it('keys depend on the model, the prompt version and the parameters, never on the API key', async () => {
    const path = join(folder, 'keys.jsonl');
    const cache = createJsonlStore(path);
    const episode = episodes[0]!;
    await createJudge({ baseURL: server.baseURL, model: 'rules', apiKey: 'sk-secret-one', cache }).value(episode);
    await createJudge({ baseURL: server.baseURL, model: 'rules', apiKey: 'sk-secret-two', cache }).value(episode);
    expect(server.calls).toBe(1);
    await createJudge({ baseURL: server.baseURL, model: 'other-model', cache }).value(episode);
    await createJudge({ baseURL: server.baseURL, model: 'rules', seed: 1, cache }).value(episode);
    await createJudge({ baseURL: server.baseURL, model: 'rules', temperature: 0.7, cache }).value(episode);
    const reworded = { version: 'value-custom', render: () => [{ role: 'user' as const, content: `Task: ${JSON.stringify(episode.task)}\n${JSON.stringify({ n: 1, from: 'a', as: 'agent', text: episode.messages[0]!.content })}\nReply with JSON only: {"value": <0..1>}` }] };
    await createJudge({ baseURL: server.baseURL, model: 'rules', cache, prompts: { value: reworded } }).value(episode);
    expect(server.calls).toBe(5);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/sk-secret/);
    expect(lines(path).map((line) => Object.keys(JSON.parse(line)).sort())).toEqual(Array(5).fill(['completionTokens', 'judgement', 'key', 'model', 'prompt', 'promptTokens', 'reply']));
    expect(lines(path).map((line) => JSON.parse(line).prompt)).toEqual(['value-1', 'value-1', 'value-1', 'value-1', 'value-custom']);
  });

  it('maxTokens only cuts a reply short: a reply that fit under one limit is not asked again under another', async () => {
    const path = join(folder, 'max-tokens.jsonl');
    const episode = episodes[0]!;
    await createJudge({ baseURL: server.baseURL, model: 'rules', cache: createJsonlStore(path) }).value(episode);
    // Raised after a reply was cut off at the limit, as the error advises: what was judged before is not paid again.
    expect(await createJudge({ baseURL: server.baseURL, model: 'rules', maxTokens: 4096, cache: createJsonlStore(path) }).value(episode)).toBe(1);
    expect(await createJudge({ baseURL: server.baseURL, model: 'rules', maxTokens: 100, cache: createJsonlStore(path) }).value(episode)).toBe(1);
    expect(server.calls).toBe(1);
  });

  it('a judgement that fails for good loses nothing else: the others are stored, and the rerun asks only for the failed one', async () => {
    const path = join(folder, 'partial.jsonl');
    const five = episodes.slice(0, 5);
    server.inject('server-error', { times: Infinity, when: (request) => request.task === five[2]!.task });
    const judge = createJudge({ baseURL: server.baseURL, model: 'rules', retries: 1, retryDelayMs: 0, cache: createJsonlStore(path) });
    const settled = await Promise.allSettled(five.map((episode) => judge.value(episode)));
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toBe('JudgeError: judge: value of episode "e2": HTTP 500: The server had an error while processing your request., 2 attempts');
    expect(lines(path)).toHaveLength(4);
    server.reset();
    const rerun = createJudge({ baseURL: server.baseURL, model: 'rules', cache: createJsonlStore(path) });
    expect(await Promise.all(five.map((episode) => rerun.value(episode)))).toEqual(expected.slice(0, 5));
    expect(server.requests.map((request) => request.task)).toEqual([five[2]!.task]);
  });

  it('a cached reply that no longer fits (an edited file) is asked again', async () => {
    const path = join(folder, 'edited.jsonl');
    await createJudge({ baseURL: server.baseURL, model: 'rules', cache: createJsonlStore(path) }).value(episodes[1]!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"value":0.5', '"value":7'));
    const judge = createJudge({ baseURL: server.baseURL, model: 'rules', cache: createJsonlStore(path) });
    expect(await judge.value(episodes[1]!)).toBe(0.5);
    expect(server.calls).toBe(2);
    expect(judge.usage().cacheHits).toBe(0);
  });

  it('a run killed halfway (SIGKILL) resumes with only the calls it had not made, counted by the server', async () => {
    const path = join(folder, 'killed.jsonl');
    const script = join(folder, 'judge-run.mjs');
    const dist = (file: string) => pathToFileURL(join(process.cwd(), 'dist', file)).href;
    writeFileSync(script, [
      `import { createJudge } from ${JSON.stringify(dist('judge.js'))};`,
      `import { createJsonlStore } from ${JSON.stringify(dist('node.js'))};`,
      `const episodes = JSON.parse(process.argv[2]);`,
      `const judge = createJudge({ baseURL: process.argv[3], model: 'rules', concurrency: 2, cache: createJsonlStore(process.argv[4]) });`,
      `await Promise.all(episodes.map((episode) => judge.value(episode)));`,
    ].join('\n'));
    // The server answers 8 requests, then holds every further one: the run is stuck halfway until it is killed.
    server.inject('hang', { times: Infinity, when: () => server.calls > 8 });
    const child = spawn(process.execPath, [script, JSON.stringify(episodes), server.baseURL, path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await expect.poll(() => lines(path).length, { timeout: 30_000 }).toBe(8);
    await expect.poll(() => server.inFlight, { timeout: 30_000 }).toBe(2);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(stderr).toBe('');
    const answered = server.requests.filter((request) => request.status === 200).map((request) => request.task);
    expect(answered).toHaveLength(8);

    server.reset();
    const judge = createJudge({ baseURL: server.baseURL, model: 'rules', concurrency: 2, cache: createJsonlStore(path) });
    expect(await Promise.all(episodes.map((episode) => judge.value(episode)))).toEqual(expected);
    expect(server.calls).toBe(20 - 8);
    expect(judge.usage()).toMatchObject({ calls: 12, cacheHits: 8 });
    // This run asked for exactly the episodes whose replies the killed run had not received.
    const asked = server.requests.map((request) => request.task).sort();
    expect(asked).toEqual(episodes.map((episode) => episode.task).filter((task) => !answered.includes(task)).sort());
    expect(lines(path)).toHaveLength(20);
  });
});
