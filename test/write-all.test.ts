// writeAll (src/cli/write-all.ts): every byte, in writes of at most 1 GiB, or the system's error.
import { describe, expect, it } from 'vitest';
import { LARGEST_WRITE, writeAll, type ByteWriter } from '../src/cli/write-all.js';

/** A writer that records each call and writes at most `cap` bytes of it. */
function recorder(cap: number) {
  const calls: Array<{ offset: number; length: number }> = [];
  const writer: ByteWriter = {
    write: async (_buffer, offset, length) => {
      calls.push({ offset, length });
      return { bytesWritten: Math.min(length, cap) };
    },
  };
  return { calls, writer };
}

describe('writeAll', () => {
  it('writes again from where a short write stopped', async () => {
    const { calls, writer } = recorder(7);
    await writeAll(writer, new Uint8Array(20));
    expect(calls).toEqual([{ offset: 0, length: 20 }, { offset: 7, length: 13 }, { offset: 14, length: 6 }]);
  });

  it('gives no write more than 1 GiB, under Linux’s 0x7ffff000 bytes a call', async () => {
    expect(LARGEST_WRITE).toBe(2 ** 30);
    expect(LARGEST_WRITE).toBeLessThan(0x7ffff000);
    const { calls, writer } = recorder(Infinity);
    // 3.5 GiB by its length alone: the fake writer never reads the bytes, so none are allocated.
    const huge = { length: 3.5 * 2 ** 30 } as Uint8Array;
    await writeAll(writer, huge);
    expect(calls).toEqual([
      { offset: 0, length: 2 ** 30 },
      { offset: 2 ** 30, length: 2 ** 30 },
      { offset: 2 ** 31, length: 2 ** 30 },
      { offset: 3 * 2 ** 30, length: 2 ** 29 },
    ]);
  });

  it('rejects with the system’s error, and on a write that writes nothing rather than loop', async () => {
    const full: ByteWriter = { write: async () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) };
    await expect(writeAll(full, new Uint8Array(3))).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(writeAll(recorder(0).writer, new Uint8Array(3))).rejects.toThrow('a write wrote nothing, 3 bytes short');
    // Nothing to write is no write at all.
    const { calls, writer } = recorder(0);
    await writeAll(writer, new Uint8Array(0));
    expect(calls).toEqual([]);
  });
});
