// The worker threads of `agent-credit attribute` run with capped heaps; a chunk
// a worker cannot hold runs on the main thread, with the same rows.
import { describe, expect, it } from 'vitest';
import { rowsRunner } from '../dist/cli/rows-runner.js';
import type { RowsBatch, RowsJob } from '../src/cli/attribute-rows.js';

const plan = { format: 'signals', systemTurn: 'agent', prmUntilFirstError: false, prmMaxSteps: Infinity, prmMaxChars: Infinity, agent: null, split: false } as const;

/** A JSONL chunk of `count` episodes, each with `messages` messages of ~`characters` characters (message 1 labelled an error, if `failed`). */
function job(count: number, messages: number, characters = 100, failed = false): RowsJob {
  const lines: string[] = [];
  for (let k = 0; k < count; k++) {
    const turns = Array.from({ length: messages }, (_, m) => ({ id: `m${m}`, agent: m % 2 ? 'coder' : 'planner', content: `step ${m}: ${'x'.repeat(characters - 10)}`, ...(failed && m === 1 ? { label: 'error' } : {}) }));
    lines.push(JSON.stringify({ id: `ep-${k}`, task: 't', agents: ['planner', 'coder'], messages: turns, outcome: { score: 1, success: true },
      coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.4 }, { agents: ['coder'], value: 0.3 }, { agents: ['planner', 'coder'], value: failed ? 0 : 1 }],
      ...(failed ? { outcome: { score: 0, success: false } } : {}) }));
  }
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  return { chunk: { file: 'runs.jsonl', bytes, firstLine: 1 }, from: 'episode', plan: { ...plan }, idFrom: 'record', report: false, source: 'runs.jsonl' };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('rowsRunner', () => {
  it('a chunk that exhausts a worker\'s heap runs on this thread, with the rows it would have had; the worker is replaced', async () => {
    const expected = await rowsRunner(0).run(job(40, 2_000));
    // 40 episodes of 2,000 messages (9 MB of text): far beyond a 16 MB old generation once parsed.
    const runner = rowsRunner(1, { heap: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 }, largestChunk: Infinity });
    try {
      const small = await runner.run(job(3, 4));
      expect(small.ids).toEqual(['ep-0', 'ep-1', 'ep-2']);
      const batch = await runner.run(job(40, 2_000));
      expect(runner.ranHere.outOfMemory).toBe(1);
      expect(text(batch.bytes)).toBe(text(expected.bytes));
      expect(batch.ids).toEqual(expected.ids);
      // The replacement worker takes the next chunk.
      const after = await runner.run(job(3, 4));
      expect(after.ids).toEqual(['ep-0', 'ep-1', 'ep-2']);
      expect(runner.ranHere.outOfMemory).toBe(1);
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('a chunk whose rows outgrow a worker\'s heap (rewards rows repeat each history) is written by the worker, not run again here', async () => {
    // 2 episodes of 200 messages of 1,000 characters: 400 kB in, 42 MB of rewards rows out. Held as strings, that
    // took a 32 MB old generation past its cap mid-encode (at the CLI's 64 MB, 184 Who&When logs did), where V8
    // either ends the worker or aborts the whole process. Encoded row by row into a buffer outside the heap, each
    // row let go once written, the heap peaks near 17 MB.
    const rewards = (): RowsJob => ({ ...job(2, 200, 1_000, true), plan: { ...plan, format: 'rewards', systemTurn: 'system' } });
    const expected = await rowsRunner(0).run(rewards());
    expect(expected.bytes.length).toBeGreaterThan(40e6);
    const runner = rowsRunner(1, { heap: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 }, largestChunk: Infinity });
    try {
      const batch = await runner.run(rewards());
      expect(runner.ranHere).toEqual({ tooLarge: 0, outOfMemory: 0 });
      expect(Buffer.from(batch.bytes).equals(Buffer.from(expected.bytes))).toBe(true);
      expect(batch.ends).toEqual(expected.ends);
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('a chunk larger than largestChunk runs on this thread without being offered to a worker', async () => {
    const runner = rowsRunner(1, { largestChunk: 1_000 });
    try {
      const batch = await runner.run(job(20, 4));
      expect(batch.ids).toHaveLength(20);
      expect(runner.ranHere).toEqual({ tooLarge: 1, outOfMemory: 0 });
    } finally {
      await runner.close();
    }
  });

  it('given onPart, a long episode\'s rows come in parts of whole rows of about job.piece bytes, each taken before the next is made: together the unstreamed bytes', async () => {
    // 3 failed episodes of 300 messages of 200 characters: 20 MB of rewards rows, in parts of 64 KiB.
    const rewards = (): RowsJob => ({ ...job(3, 300, 200, true), plan: { ...plan, format: 'rewards', systemTurn: 'system' }, piece: 1 << 16 });
    const expected = await rowsRunner(0).run(rewards());
    const rows = text(expected.bytes).split('\n').slice(0, -1);
    const longest = Math.max(...rows.map((row) => Buffer.byteLength(row) + 1));
    for (const workers of [0, 1]) {
      const runner = rowsRunner(workers, { largestChunk: Infinity });
      try {
        const parts: RowsBatch[] = [];
        let taking = false;
        const last = await runner.run(rewards(), async (part) => {
          // The next part is not made (nor sent) while this one is being taken.
          expect(taking).toBe(false);
          taking = true;
          await new Promise((done) => setTimeout(done, 1));
          parts.push(part);
          taking = false;
          return true;
        });
        expect(parts.length).toBeGreaterThan(100);
        for (const part of parts) {
          expect(part.continues).toBe(true);
          expect(part.bytes.length).toBeGreaterThanOrEqual(1 << 16);
          expect(part.bytes.length).toBeLessThan((1 << 16) + longest);
          expect(part.bytes.at(-1)).toBe(10);
        }
        expect(last.continues).toBe(false);
        const all = [...parts, last];
        expect(Buffer.concat(all.map((part) => part.bytes)).equals(Buffer.from(expected.bytes))).toBe(true);
        // Each record ends once, in order; the rows of its entries add up to its rows.
        expect(all.flatMap((part) => part.ids.filter((_, k) => !(part.continues && k === part.ids.length - 1)))).toEqual(expected.ids);
        expect(all.reduce((sum, part) => sum + part.rows.reduce((a, b) => a + b, 0), 0)).toBe(rows.length);
        // A sink that wants no more rows stops the chunk there; the worker takes the next chunk.
        let taken = 0;
        const stopped = await runner.run(rewards(), async () => ++taken < 3);
        expect([taken, stopped.bytes.length]).toEqual([3, 0]);
        expect((await runner.run(job(3, 4))).ids).toEqual(['ep-0', 'ep-1', 'ep-2']);
      } finally {
        await runner.close();
      }
    }
  }, 60_000);
});
