// A disk that fills while episode ids are on disk: the set goes back to memory
// and loses no id (the file's writes fail with ENOSPC from a given moment).
import { describe, expect, it, vi } from 'vitest';

const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const { EpisodeIdSet } = await import('../src/cli/id-set.js');

describe('EpisodeIdSet on a disk that fills', () => {
  it('keeps every id and its place, back in memory, and says why', () => {
    const set = new EpisodeIdSet({ spillAfter: 1_000 });
    const id = (k: number) => `episode-${k}-${'x'.repeat(30)}`;
    for (let k = 0; k < 20_000; k++) set.add(id(k), { file: 'runs.jsonl', line: k + 1 });
    expect(set.onDisk).toBe(true);
    disk.full = true;
    // About 45 bytes an id: the 1 MiB buffer fills, and its write fails, within the next 30,000.
    for (let k = 20_000; k < 50_000; k++) set.add(id(k), { file: 'runs.jsonl', line: k + 1 });
    expect(set.onDisk).toBe(false);
    expect(set.inMemoryBecause).toMatch(/^cannot write the temporary file of ids: ENOSPC/);
    expect(set.size).toBe(50_000);
    for (let k = 0; k < 50_000; k += 7) expect(set.where(id(k))).toBe(`runs.jsonl line ${k + 1}`);
    expect(set.where(id(50_000))).toBeUndefined();
    set.close();
  });
});
