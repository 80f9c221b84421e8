// The JSON-lines reply store: what survives a killed run, and what is an error.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsonlStore } from '../src/node.js';
import type { StoredReply } from '../src/judge.js';

const folder = mkdtempSync(join(tmpdir(), 'agent-credit-jsonl-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
const fresh = () => join(folder, `cache-${files++}.jsonl`);
const entry = (key: string, value = 0.5): StoredReply => ({ key, judgement: 'value', model: 'm', prompt: 'value-1', reply: { value }, promptTokens: 10, completionTokens: 2 });

describe('createJsonlStore', () => {
  it('creates the file on the first reply, one JSON line per reply, and reads them back in a new store', async () => {
    const path = fresh();
    const store = createJsonlStore(path);
    expect(await store.get('a')).toBeUndefined();
    await Promise.all([store.set(entry('a', 0.1)), store.set(entry('b', 0.2)), store.set(entry('c', 0.3))]);
    expect(readFileSync(path, 'utf8').split('\n')).toEqual([...['a', 'b', 'c'].map((key, i) => JSON.stringify(entry(key, (i + 1) / 10))), '']);
    const again = createJsonlStore(path);
    expect(await again.get('b')).toEqual(entry('b', 0.2));
  });

  it('a last line cut short by a killed run is dropped from the file and the next reply starts a clean line', async () => {
    const path = fresh();
    writeFileSync(path, `${JSON.stringify(entry('a'))}\n{"key":"b","judgement":"val`);
    const store = createJsonlStore(path);
    expect(await store.get('a')).toEqual(entry('a'));
    expect(await store.get('b')).toBeUndefined();
    await store.set(entry('c'));
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(entry('a'))}\n${JSON.stringify(entry('c'))}\n`);
  });

  it('a complete last line without its newline is kept, and the next reply goes on a line of its own', async () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify(entry('a')));
    const store = createJsonlStore(path);
    await store.set(entry('b'));
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(entry('a'))}\n${JSON.stringify(entry('b'))}\n`);
    expect(await createJsonlStore(path).get('a')).toEqual(entry('a'));
  });

  it('a damaged line before the last is an error naming the file and the line', async () => {
    const path = fresh();
    writeFileSync(path, `${JSON.stringify(entry('a'))}\nnot json\n${JSON.stringify(entry('b'))}\n`);
    await expect(createJsonlStore(path).get('a')).rejects.toThrow(`${path}: line 2: expected a stored judge reply { key, judgement, model, prompt, reply, ... } as one JSON object (the file is not a judge cache, or was edited: delete that line, and its reply is asked again; or give another cache file)`);
  });

  it('load() reads the file at once, so a file that is not a judge cache fails before the first get', async () => {
    const path = fresh();
    writeFileSync(path, '{"id":"t1","agents":[]}\n');
    await expect(createJsonlStore(path).load()).rejects.toThrow(`${path}: line 1: expected a stored judge reply`);
    const missing = createJsonlStore(fresh());
    await missing.load();
    expect(await missing.get('a')).toBeUndefined();
  });

  it('an append that fails (a full disk) names the cache file, and every later append fails with it instead of writing behind a cut line', async () => {
    const path = fresh();
    const store = createJsonlStore(path);
    await store.load();
    // Where the file should be, a directory: appending fails as a full disk would (EISDIR here, ENOSPC there), even as root.
    mkdirSync(path);
    await expect(store.set(entry('a'))).rejects.toThrow(new RegExp(`^cannot append to the judge cache ${path}: EISDIR`));
    rmSync(path, { recursive: true });
    await expect(store.set(entry('b'))).rejects.toThrow(`cannot append to the judge cache ${path}: EISDIR`);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });

  it('names a bad path', () => {
    expect(() => createJsonlStore('')).toThrow(/createJsonlStore: path: expected the cache file's path as a non-empty string, got ""/);
    // String() of an object without a prototype throws a TypeError of its own.
    expect(() => createJsonlStore(Object.create(null) as string)).toThrow(/createJsonlStore: path: expected the cache file's path as a non-empty string, got object/);
    expect(() => createJsonlStore(undefined as unknown as string)).toThrow(/got undefined/);
  });
});
