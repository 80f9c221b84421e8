import { describe, expect, it } from 'vitest';
import { attributeEpisode } from '../src/episodes/attribute.js';
import { parseEpisode } from '../src/episodes/episode.js';
import { toDpo, toJsonl, toKto, toPrm, toRewards } from '../src/episodes/export.js';
import { readJson } from './support/fixtures.js';
import { randomEpisode } from './support/episodes.js';

const flights = () => readJson('examples/episodes/03-book-flights.json');

describe('TRL exporters', () => {
  it('DPO rows have exactly prompt/chosen/rejected as conversational lists carrying agent names', async () => {
    const signals = await attributeEpisode(flights());
    const rows = toDpo(signals);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['prompt', 'chosen', 'rejected']);
      for (const turn of [...row.prompt, ...row.chosen, ...row.rejected]) {
        expect(['user', 'assistant']).toContain(turn.role);
        expect(typeof turn.content).toBe('string');
      }
    }
    // The repair of the first error: same prompt, the repair chosen, the error rejected.
    expect(rows[0].chosen).toEqual([{ role: 'assistant', name: 'booking_agent', content: expect.stringMatching(/^Cheapest refundable option/) }]);
    expect(rows[0].rejected[0]).toMatchObject({ role: 'assistant', name: 'booking_agent', content: expect.stringMatching(/^Cheapest option: TP1234/) });
    expect(rows[0].prompt).toEqual([
      { role: 'user', content: expect.stringMatching(/^Book the cheapest refundable/) },
      { role: 'user', name: 'planner', content: expect.stringMatching(/^Search refundable fares/) },
    ]);
    // The corrective attempt against the error it answers (the harmful payment step).
    expect(rows[1].chosen[0]).toMatchObject({ name: 'booking_agent', content: expect.stringMatching(/^Correction:/) });
    expect(rows[1].rejected[0]).toMatchObject({ name: 'verifier' });
  });

  it('KTO rows have exactly prompt/completion/label; an unrepaired error is false, corrective attempts true', async () => {
    const record = flights() as Record<string, unknown>;
    delete record.repairs;
    const rows = toKto(await attributeEpisode(record));
    for (const row of rows) expect(Object.keys(row)).toEqual(['prompt', 'completion', 'label']);
    expect(rows.slice(0, 2).map((row) => [row.completion[0].name, row.label])).toEqual([['booking_agent', false], ['booking_agent', true]]);
    // Both sides of the corrective pair follow, each distinct row once.
    const keys = rows.map((row) => `${row.label}|${row.completion[0].content}|${row.prompt.length}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('PRM rows: prompt/completions/labels, labels true exactly before the first error (property)', async () => {
    let failures = 0;
    for (let seed = 0; seed < 150; seed++) {
      const record = randomEpisode(seed, { harmful: seed % 2 === 1 });
      const episode = parseEpisode(record);
      const signals = await attributeEpisode(record).catch(() => null);
      if (!signals) continue;
      const rows = toPrm(signals, episode);
      if (!signals.success && !signals.firstError) {
        expect(rows).toEqual([]);
        continue;
      }
      const [row] = rows;
      expect(Object.keys(row)).toEqual(['prompt', 'completions', 'labels']);
      expect(row.completions).toHaveLength(episode.messages.length);
      const cut = signals.firstError ? signals.firstError.index : episode.messages.length;
      expect(row.labels).toEqual(episode.messages.map((_, m) => m < cut));
      if (!signals.success) failures++;
    }
    expect(failures).toBeGreaterThan(30);
  });

  it('PRM steps name their agent; mismatched signals and episode are refused', async () => {
    const episode = parseEpisode(flights());
    const signals = await attributeEpisode(episode);
    expect(toPrm(signals, episode)[0].completions[0]).toMatch(/^planner: Search refundable fares/);
    expect(() => toPrm({ ...signals, id: 'other' }, episode)).toThrow(/signals are for "other", episode is "book-flights"/);
  });

  it('reward rows: one per message with episode, message, agent, reward', async () => {
    const signals = await attributeEpisode(flights());
    const rows = toRewards(signals);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual({ episode: 'book-flights', message: 'b1', agent: 'booking_agent', reward: -1 });
  });
});

describe('toJsonl', () => {
  it('writes one line per row, U+2028/U+2029 escaped, parsing back to the same row', () => {
    const row = { prompt: 'a\u2028b', completions: ['c\u2029d', 'plain'], labels: [true, false], quote: '"\\u2028"' };
    const line = toJsonl(row);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(line).toContain('a\\u2028b');
    expect(line).toContain('c\\u2029d');
    expect(JSON.parse(line)).toEqual(row);
    expect(toJsonl({ x: 1 })).toBe('{"x":1}\n');
  });
});
