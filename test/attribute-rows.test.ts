// A chunk's rows made one at a time and handed off in parts: a row that cannot
// be written (longer than a JavaScript string) is its record's error, not a crash.
import { describe, expect, it, vi } from 'vitest';
import type { RewardRow } from '../src/episodes/export.js';

// The rows of episode "wide" fail at message m5 as a row past V8's longest string would (that takes GBs to make for real).
vi.mock('../src/episodes/export.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/episodes/export.js')>();
  return {
    ...original,
    rewardRows: (...args: Parameters<typeof original.rewardRows>) => {
      const rows = original.rewardRows(...args);
      if (args[0].id !== 'wide') return rows;
      return (function* () {
        for (const row of rows) {
          // Its JSON cannot be made: encoding its completion throws what V8 throws for a string past its longest (once:
          // the error message then measures the row).
          if (row.message === 'm5') {
            const { completion } = row;
            let thrown = false;
            Object.defineProperty(row, 'completion', { enumerable: true, get: () => {
              if (thrown) return completion;
              thrown = true;
              throw new RangeError('Invalid string length');
            } });
          }
          yield row;
        }
      })();
    },
  };
});

const { attributeRows } = await import('../src/cli/attribute-rows.js');
type RowsBatch = Awaited<ReturnType<typeof attributeRows>>;

const plan = { format: 'rewards', systemTurn: 'system', prmUntilFirstError: false, prmMaxSteps: Infinity, prmMaxChars: Infinity, agent: null, split: true } as const;

function episode(id: string, messages: number) {
  return {
    id, task: 't', agents: ['planner', 'coder'], outcome: { score: 1, success: true },
    messages: Array.from({ length: messages }, (_, m) => ({ id: `m${m}`, agent: m % 2 ? 'coder' : 'planner', content: `step ${m}: ${'z'.repeat(400)}` })),
    coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.4 }, { agents: ['coder'], value: 0.3 }, { agents: ['planner', 'coder'], value: 1 }],
  };
}

describe('attributeRows', () => {
  it('a row that cannot be written is its record\'s error naming the episode, message and size; its rows in earlier parts are out, those in this part dropped', async () => {
    const bytes = new TextEncoder().encode([episode('before', 3), episode('wide', 8), episode('after', 3)].map((record) => JSON.stringify(record)).join('\n') + '\n');
    const job = { chunk: { file: 'runs.jsonl', bytes, firstLine: 1 }, from: 'episode', plan, idFrom: 'record', report: false, source: 'runs.jsonl', piece: 9_000 } as const;
    const parts: RowsBatch[] = [];
    const last = await attributeRows(job, async (part) => {
      parts.push(part);
      return true;
    });
    const all = [...parts, last];
    const rows = all.flatMap((part) => new TextDecoder().decode(part.bytes).split('\n').slice(0, -1).map((line) => JSON.parse(line) as RewardRow));
    // before's 3 rows; wide's up to the last part handed off before m5 (rows of 1 to 3 kB in parts of 9,000 bytes: m0 to m3,
    // m4 dropped with the part it was in); after's 3.
    const wide = rows.filter((row) => row.episode === 'wide').map((row) => row.message);
    expect(wide).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(parts.at(-1)!.continues).toBe(true);
    expect(new TextDecoder().decode(last.bytes)).not.toMatch(/"episode":"wide"/);
    expect(rows.filter((row) => row.episode !== 'wide').map((row) => `${row.episode} ${row.message}`)).toEqual(['before m0', 'before m1', 'before m2', 'after m0', 'after m1', 'after m2']);
    // Each part's bookkeeping matches its bytes (rows per record, each row's agent).
    for (const part of all) {
      expect(part.rowAgents).toHaveLength(part.rows.reduce((a, b) => a + b, 0));
      expect(part.ends.at(-1) ?? 0).toBe(part.bytes.length);
    }
    const at = last.ids.indexOf('wide');
    expect(last.errors[at]).toMatch(/^runs\.jsonl line 2, episode "wide": the row of message "m5" cannot be written \(Invalid string length, [\d,]+ characters of text before escaping\): one row must fit in a JavaScript string \(536,870,888 characters\)/);
    expect(last.errors.filter((error) => error !== null)).toHaveLength(1);
  });
});
