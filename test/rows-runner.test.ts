// The worker threads of `agent-credit attribute` run with capped heaps; a chunk
// a worker cannot hold runs on the main thread, with the same rows.
import { describe, expect, it } from 'vitest';
import { rowsRunner } from '../dist/cli/rows-runner.js';
import type { RowsJob } from '../src/cli/attribute-rows.js';

const plan = { format: 'signals', systemTurn: 'agent', prmUntilFirstError: false, prmMaxSteps: Infinity, prmMaxChars: Infinity, agent: null, split: false } as const;

/** A JSONL chunk of `count` episodes, each with `messages` messages of ~100 characters. */
function job(count: number, messages: number): RowsJob {
  const lines: string[] = [];
  for (let k = 0; k < count; k++) {
    const turns = Array.from({ length: messages }, (_, m) => ({ id: `m${m}`, agent: m % 2 ? 'coder' : 'planner', content: `step ${m}: ${'x'.repeat(90)}` }));
    lines.push(JSON.stringify({ id: `ep-${k}`, task: 't', agents: ['planner', 'coder'], messages: turns, outcome: { score: 1, success: true },
      coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.4 }, { agents: ['coder'], value: 0.3 }, { agents: ['planner', 'coder'], value: 1 }] }));
  }
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  return { chunk: { file: 'runs.jsonl', bytes, firstLine: 1 }, from: 'episode', plan: { ...plan }, idFrom: 'record', report: false, source: 'runs.jsonl' };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('rowsRunner', () => {
  it('a chunk that exhausts a worker\'s heap runs on this thread, with the rows it would have had; the worker is replaced', async () => {
    const expected = await rowsRunner(0).run(job(40, 2_000));
    // 40 episodes of 2,000 messages (9 MB of text): far beyond a 16 MB old generation once parsed.
    const runner = rowsRunner(1, undefined, { heap: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 }, largestChunk: Infinity });
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

  it('a chunk larger than largestChunk runs on this thread without being offered to a worker', async () => {
    const runner = rowsRunner(1, undefined, { largestChunk: 1_000 });
    try {
      const batch = await runner.run(job(20, 4));
      expect(batch.ids).toHaveLength(20);
      expect(runner.ranHere).toEqual({ tooLarge: 1, outOfMemory: 0 });
    } finally {
      await runner.close();
    }
  });
});
