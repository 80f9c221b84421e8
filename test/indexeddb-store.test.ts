// The browser's reply store, as far as Node can check it: its options. The
// store itself runs in Chromium (test/judge-browser.test.ts).
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { createIndexedDBStore } from '../src/judge/indexeddb-store.js';

describe('createIndexedDBStore', () => {
  const factory = { open: () => ({}) };

  it('refuses a misspelled option instead of keeping replies in the default database', () => {
    expect(() => createIndexedDBStore({ nmae: 'my-app', indexedDB: factory } as never)).toThrow(InputError);
    expect(() => createIndexedDBStore({ nmae: 'my-app', indexedDB: factory } as never)).toThrow(/^options\.nmae: unknown option \(did you mean name\?\); expected one of name, indexedDB$/);
  });

  it('names a bad name or factory', () => {
    expect(() => createIndexedDBStore({ name: '', indexedDB: factory })).toThrow(/^createIndexedDBStore: options\.name: expected the database name as a non-empty string, got ""$/);
    expect(() => createIndexedDBStore({ name: 7 as never, indexedDB: factory })).toThrow(/options\.name: .*got 7$/);
    expect(() => createIndexedDBStore({ indexedDB: {} as never })).toThrow(/^createIndexedDBStore: options\.indexedDB: expected an IndexedDB factory \(with open\(name, version\)\), got object$/);
  });

  it('opens nothing until a reply is read or written; without IndexedDB it points to the Node store', () => {
    let opened = 0;
    const store = createIndexedDBStore({ name: 'my-app', indexedDB: { open: () => { opened++; return {}; } } });
    expect(typeof store.get).toBe('function');
    expect(opened).toBe(0);
    expect(() => createIndexedDBStore()).toThrow(/in Node use createJsonlStore from agent-credit\/node/);
  });
});
