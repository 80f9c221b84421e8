// -o (src/cli/output.ts) on a disk whose writes stop short: every byte reaches
// the file, or the run fails naming it and leaves -o as it was (README, "What a
// failed run leaves behind").
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from './support/temp-dir.js';
import { shortWriteDisk } from './support/short-write-disk.js';

const disk = vi.hoisted(() => ({ largestWrite: Infinity, bytesLeft: Infinity, writes: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const { withShortWrites } = await import('./support/short-write-disk.js');
  return withShortWrites(await importOriginal<typeof import('node:fs/promises')>(), disk);
});

const { fileOutput } = await import('../src/cli/output.js');
const { InputError } = await import('../src/core/errors.js');

const encoder = new TextEncoder();
const rows = (from: number, count: number) => Array.from({ length: count }, (_, k) => `${JSON.stringify({ k: from + k, text: 'ü'.repeat(50 + 997 * k) })}\n`).join('');

beforeEach(() => Object.assign(disk, shortWriteDisk()));

describe('fileOutput on a disk whose writes stop short', () => {
  it('writes every byte when each write takes at most 7 bytes, for the committed file and for <out>.partial', async () => {
    const dir = tempDir('agent-credit-output-short-');
    disk.largestWrite = 7;
    let bytes = 0;
    for (const end of ['commit', 'keep'] as const) {
      const path = join(dir, `${end}.jsonl`);
      const output = await fileOutput(path, []);
      const first = rows(0, 3);
      const second = rows(3, 5);
      bytes += Buffer.byteLength(first + second);
      await output.write(encoder.encode(first));
      await output.write(encoder.encode(second));
      expect(end === 'commit' ? await output.commit() : await output.keep()).toBe(end === 'commit' ? undefined : `${path}.partial`);
      expect(readFileSync(end === 'commit' ? path : `${path}.partial`, 'utf8')).toBe(first + second);
    }
    // Each write was cut to 7 bytes: the files are whole because the rest was written again.
    expect(disk.writes).toBeGreaterThanOrEqual(bytes / 7);
    expect(readdirSync(dir).sort()).toEqual(['commit.jsonl', 'keep.jsonl.partial']);
  });

  it('a disk that fills mid-run: the write fails naming -o; -o stays as it was, and neither a temporary file nor a .partial is left', async () => {
    for (const end of ['abort', 'keep', 'commit'] as const) {
      const dir = tempDir('agent-credit-output-full-');
      const path = join(dir, 'out.jsonl');
      writeFileSync(path, 'previous\n');
      disk.bytesLeft = Infinity;
      const output = await fileOutput(path, []);
      await output.write(encoder.encode(rows(0, 2)));
      // The next rows fit in part: written up to the last byte the disk takes, then ENOSPC.
      disk.bytesLeft = 1000;
      const failure = await output.write(encoder.encode(rows(2, 2))).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as Error).message).toBe(`cannot write ${path}: no space left on device`);
      // A later write is refused too: the file already lacks bytes.
      disk.bytesLeft = Infinity;
      await expect(output.write(encoder.encode(rows(4, 1)))).rejects.toThrow(`cannot write ${path}: no space left on device`);
      // attribute aborts after a write error; a bad record in the same batch makes it keep (.partial), and commit is never reached, but neither may leave a cut file.
      if (end === 'abort') await output.abort();
      else await expect(end === 'keep' ? output.keep() : output.commit()).rejects.toThrow(`cannot write ${path}: no space left on device`);
      expect(readdirSync(dir)).toEqual(['out.jsonl']);
      expect(readFileSync(path, 'utf8')).toBe('previous\n');
      expect(existsSync(`${path}.partial`)).toBe(false);
    }
  });
});
