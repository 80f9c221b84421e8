// --split-by-agent's files (src/cli/split-output.ts) on a disk whose writes stop
// short: one FileHandle.write is one write(2), which may write fewer bytes than
// asked; every byte must still reach the file, or the run fail naming it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from './support/temp-dir.js';
import { shortWriteDisk } from './support/short-write-disk.js';

const disk = vi.hoisted(() => ({ largestWrite: Infinity, bytesLeft: Infinity, writes: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const { withShortWrites: shortWrites } = await import('./support/short-write-disk.js');
  return shortWrites(await importOriginal<typeof import('node:fs/promises')>(), disk);
});

const { splitOutput } = await import('../src/cli/split-output.js');
const { InputError } = await import('../src/core/errors.js');

const encoder = new TextEncoder();
/** A JSON line of `size` bytes or more, for `agent`. */
const row = (agent: string, k: number, size: number) => `${JSON.stringify({ agent, k, text: 'é'.repeat(size >> 1) })}\n`;

beforeEach(() => Object.assign(disk, shortWriteDisk()));

describe('splitOutput on a disk whose writes stop short', () => {
  it('writes every byte when each write takes at most 7 bytes', async () => {
    const dir = tempDir('agent-credit-split-short-');
    disk.largestWrite = 7;
    const split = await splitOutput(dir, 'dpo', []);
    const expected: Record<string, string> = { planner: '', coder: '' };
    for (let k = 0; k < 12; k++) {
      const agent = k % 3 === 0 ? 'planner' : 'coder';
      const text = row(agent, k, k === 5 ? 20_000 : 40);
      expected[agent] += text;
      await split.write(agent, encoder.encode(text));
    }
    const { written } = await split.commit();
    expect(written).toEqual([join(dir, 'planner.dpo.jsonl'), join(dir, 'coder.dpo.jsonl')]);
    expect(readFileSync(join(dir, 'planner.dpo.jsonl'), 'utf8')).toBe(expected.planner);
    expect(readFileSync(join(dir, 'coder.dpo.jsonl'), 'utf8')).toBe(expected.coder);
    // Each write was cut to 7 bytes: the file is whole because the rest was written again, not because no write stopped short.
    expect(disk.writes).toBeGreaterThan(Buffer.byteLength(expected.coder) / 7);
  });

  it('a disk that fills mid-run: the write fails naming the agent file, and abort leaves DIR as it was', async () => {
    const dir = tempDir('agent-credit-split-full-');
    writeFileSync(join(dir, 'coder.dpo.jsonl'), 'an earlier run\n');
    writeFileSync(join(dir, 'notes.txt'), 'kept\n');
    const split = await splitOutput(dir, 'dpo', []);
    await split.write('coder', encoder.encode(row('coder', 0, 100)));
    // The next row fits in part: written up to the last byte the disk takes, then ENOSPC.
    disk.bytesLeft = 50;
    const failure = await split.write('coder', encoder.encode(row('coder', 1, 100))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toBe(`cannot write ${join(dir, 'coder.dpo.jsonl')}: no space left on device`);
    await split.abort();
    expect(readdirSync(dir).sort()).toEqual(['coder.dpo.jsonl', 'notes.txt']);
    expect(readFileSync(join(dir, 'coder.dpo.jsonl'), 'utf8')).toBe('an earlier run\n');
    expect(existsSync(join(dir, 'coder.dpo.jsonl.partial'))).toBe(false);
  });
});
