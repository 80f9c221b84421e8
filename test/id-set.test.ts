import { describe, expect, it } from 'vitest';
import { EpisodeIdSet } from '../src/cli/id-set.js';
import { seededRandom } from './support/random.js';

describe('EpisodeIdSet', () => {
  it('answers like a Map of id -> first place, for ids of every length and script, across files and blocks', () => {
    const random = seededRandom(11);
    const set = new EpisodeIdSet();
    const truth = new Map<string, string>();
    const alphabet = ['a', 'Z', '-', '7', 'é', '漢', '😀', '/', ':'];
    const files = ['runs.jsonl', 'more/runs.ndjson', 'one.json'];
    const line = new Map(files.map((file) => [file, 0]));
    const ids: string[] = [];
    // Long ids fill more than one 16 MiB block; a few are longer than what is packed (4 KiB of UTF-8).
    for (let k = 0; k < 40_000; k++) {
      const length = k % 997 === 0 ? 5_000 : k % 5 === 0 ? 1800 + Math.floor(random() * 200) : 1 + Math.floor(random() * 30);
      let id = '';
      for (let c = 0; c < length; c++) id += alphabet[Math.floor(random() * alphabet.length)];
      const reuse = ids.length > 0 && random() < 0.2;
      if (reuse) id = ids[Math.floor(random() * ids.length)];
      const file = files[Math.floor(k / 15_000)];
      const next = line.get(file)! + 1 + (random() < 0.1 ? Math.floor(random() * 500_000) : 0);
      line.set(file, next);
      const source = file.endsWith('.json') ? { file } : { file, line: next };
      expect(set.where(id), id).toBe(truth.get(id));
      expect(set.has(id)).toBe(truth.has(id));
      set.add(id, source);
      if (!truth.has(id)) {
        truth.set(id, source.line === undefined ? file : `${file} line ${source.line}`);
        ids.push(id);
      }
    }
    expect(set.size).toBe(truth.size);
    expect((set as unknown as { blocks: unknown[] }).blocks.length).toBeGreaterThan(1);
    for (const [id, place] of truth) expect(set.where(id)).toBe(place);
    expect(set.where('never added')).toBeUndefined();
  });

  it('a record without a file has an empty place, as before', () => {
    const set = new EpisodeIdSet();
    set.add('x', {});
    expect(set.where('x')).toBe('');
  });
});
