import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EpisodeIdSet, type EpisodeIdSetOptions } from '../src/cli/id-set.js';
import { idHashes, SpilledIds } from '../src/cli/spilled-ids.js';
import { seededRandom } from './support/random.js';

const directory = mkdtempSync(join(tmpdir(), 'id-set-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/**
 * Adds `count` ids (a share `repeatRate` of them repeats) from three files, checking every
 * answer against a Map of id -> first place; returns the set, still open, and that Map.
 */
function exercise(options: EpisodeIdSetOptions, count: number, longIds: boolean, seed = 11, repeatRate = 0.2) {
  const random = seededRandom(seed);
  const set = new EpisodeIdSet(options);
  const truth = new Map<string, string>();
  const alphabet = ['a', 'Z', '-', '7', 'é', '漢', '😀', '/', ':'];
  const files = ['runs.jsonl', 'more/runs.ndjson', 'one.json'];
  const line = new Map(files.map((file) => [file, 0]));
  const ids: string[] = [];
  for (let k = 0; k < count; k++) {
    // Long ids fill more than one 16 MiB block; a few are longer than what is packed (4 KiB of UTF-8).
    const length = longIds && k % 997 === 0 ? 5_000 : longIds && k % 5 === 0 ? 1800 + Math.floor(random() * 200) : (repeatRate < 0.01 ? 12 : 1) + Math.floor(random() * 30);
    let id = '';
    for (let c = 0; c < length; c++) id += alphabet[Math.floor(random() * alphabet.length)];
    if (ids.length > 0 && random() < repeatRate) id = ids[Math.floor(random() * ids.length)];
    const file = files[Math.min(2, Math.floor((3 * k) / count))];
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
  expect(set.where('never added')).toBeUndefined();
  return { set, truth };
}

/** Asks for every id held: each is a repeat, so on disk this reads the file once per id. */
function checkEveryId(set: EpisodeIdSet, truth: Map<string, string>): void {
  for (const [id, place] of truth) expect(set.where(id)).toBe(place);
}

describe('EpisodeIdSet', () => {
  it('in memory, answers like a Map of id -> first place, for ids of every length and script, across files and blocks', () => {
    const { set, truth } = exercise({ spillAfter: Infinity }, 40_000, true);
    expect(set.onDisk).toBe(false);
    checkEveryId(set, truth);
    expect((set as unknown as { packed: { blocks: unknown[] } }).packed.blocks.length).toBeGreaterThan(1);
  });

  // 30,000 ids fill more than one of the memory's 16 MiB blocks before they move.
  it.each([1_000, 30_000])('moves its ids to a temporary file past spillAfter (%i) and answers the same; the file has no name to leave behind', (spillAfter) => {
    // Few repeats (and ids of 12 letters or more, which do not repeat by chance): each one reads a partition of the ids on disk back, and many would send them back to memory.
    const { set, truth } = exercise({ spillAfter, directory }, 40_000, true, 11, 0.0005);
    expect(set.onDisk).toBe(true);
    expect(set.inMemoryBecause).toBeNull();
    expect(readdirSync(directory)).toEqual([]);
    // 40,000 repeats of ids 2 kB long, one after another: past the reads allowed, the ids go back to memory, still exact.
    checkEveryId(set, truth);
    expect(set.inMemoryBecause).toMatch(/many ids repeat/);
    checkEveryId(set, truth);
    set.close();
  });

  it('stays exact when different ids share fingerprints: a match is confirmed on disk', () => {
    // Every id starts at slot 0 with one of seven fingerprints: nearly every lookup matches another id.
    const { set, truth } = exercise({ spillAfter: 100, directory, hash: (bytes) => [0, 1 + (bytes.length % 7)] }, 3_000, false, 5);
    expect(set.onDisk).toBe(true);
    checkEveryId(set, truth);
    set.close();
  });

  it('goes back to memory when repeats would read the file again and again, and says why', () => {
    // All ids in one partition of the file (the fingerprint hash's top byte picks it), so each repeat reads the whole file.
    const onePartition = (bytes: Uint8Array): [number, number] => {
      const [slot, fingerprint] = idHashes(bytes);
      return [slot, fingerprint & 0xffffff];
    };
    const { set, truth } = exercise({ spillAfter: 100, directory, readAllowance: 0, hash: onePartition }, 3_000, false, 6);
    expect(set.onDisk).toBe(false);
    expect(set.inMemoryBecause).toMatch(/many ids repeat/);
    checkEveryId(set, truth);
  });

  it('stays in memory, saying why, when the temporary file cannot be created', () => {
    const { set, truth } = exercise({ spillAfter: 100, directory: join(directory, 'missing', 'dir') }, 3_000, false, 7);
    expect(set.onDisk).toBe(false);
    expect(set.inMemoryBecause).toMatch(/^cannot create a temporary file of ids: .*ENOENT/);
    checkEveryId(set, truth);
  });

  it('a record without a file has an empty place, in memory and on disk', () => {
    for (const spillAfter of [Infinity, 1]) {
      const set = new EpisodeIdSet({ spillAfter, directory });
      set.add('x', {});
      set.add('y', {});
      expect(set.where('x')).toBe('');
      expect(set.where('y')).toBe('');
      set.close();
    }
  });
});

describe('SpilledIds', () => {
  it('grows its table step by step, at 2.5 to 3.2 bytes an id, and stays exact with 16-bit fingerprints', () => {
    const spilled = new SpilledIds(directory);
    const encoder = new TextEncoder();
    const id = (k: number) => encoder.encode(`ep-${k}`);
    const count = 300_000;
    const tableBytes = () => (spilled as unknown as { table: Uint16Array }).table.byteLength;
    let wrong = 0;
    let grew = 0;
    for (let k = 0; k < count; k++) {
      if (spilled.where(id(k)) !== undefined) wrong++;
      const before = tableBytes();
      spilled.add(id(k), 'runs.jsonl', k + 1);
      if (tableBytes() > before) grew++;
      if (k > 100_000 && k % 1000 === 0) {
        expect(tableBytes() / (k + 1)).toBeGreaterThanOrEqual(2.5);
        expect(tableBytes() / (k + 1)).toBeLessThanOrEqual(3.2);
      }
    }
    expect(grew).toBeGreaterThanOrEqual(7);
    // New ids whose fingerprint matched another id's (about one in 13,000) each read one partition, 1/256 of the file, to be sure.
    expect(spilled.bytesRead).toBeGreaterThan(0);
    expect(spilled.bytesRead).toBeLessThan(spilled.spilledBytes / 2);
    for (let k = 0; k < count; k += 7) if (spilled.where(id(k)) !== `runs.jsonl line ${k + 1}`) wrong++;
    expect(spilled.where(id(count))).toBeUndefined();
    expect(wrong).toBe(0);
    expect(spilled.size).toBe(count);
    expect([...spilled.entries()].length).toBe(count);
    spilled.close();
  });
});
