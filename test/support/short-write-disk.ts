// A disk whose writes stop short, as write(2) may: for vi.mock('node:fs/promises')
// in tests of the CLI's file outputs. Every FileHandle that `open` returns
// writes at most `largestWrite` bytes per call and reports how many it wrote
// (bytesWritten), as a kernel does at its per-call cap or when a signal
// interrupts a write; once `bytesLeft` is used up it writes what still fits
// and then fails with ENOSPC, as a disk that fills does.
import type * as fsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

export interface ShortWriteDisk {
  /** Most bytes one write call writes. */
  largestWrite: number;
  /** Bytes the disk still takes, over all files; then ENOSPC. */
  bytesLeft: number;
  /** Write calls made so far. */
  writes: number;
}

export function shortWriteDisk(): ShortWriteDisk {
  return { largestWrite: Infinity, bytesLeft: Infinity, writes: 0 };
}

/** node:fs/promises with `open` handing out handles whose writes follow `disk`. */
export function withShortWrites(fs: typeof fsPromises, disk: ShortWriteDisk): typeof fsPromises {
  const write = (handle: FileHandle) => async (buffer: Uint8Array, offset?: number | null, length?: number | null, position?: number | null) => {
    disk.writes++;
    const from = offset ?? 0;
    const asked = length ?? buffer.byteLength - from;
    if (asked > 0 && disk.bytesLeft <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const count = Math.min(asked, disk.largestWrite, disk.bytesLeft);
    disk.bytesLeft -= count;
    return handle.write(buffer, from, count, position);
  };
  const open = (async (...args: Parameters<typeof fs.open>) => {
    const handle = await fs.open(...args);
    // FileHandle's methods need the real handle as `this`.
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write') return write(target);
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }) as typeof fs.open;
  return { ...fs, default: { ...fs, open }, open } as typeof fsPromises;
}
