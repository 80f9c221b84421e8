// Episode ids and where each was first seen, held in memory in about 8 bytes
// more than the id's UTF-8 length per id (a Map of strings took ~120 bytes):
// ids packed into 16 MiB blocks of bytes, an open-addressing table of u32
// entry offsets (load at most 3/4), and line numbers stored as differences
// from the previous id's. Exact: a lookup compares the bytes. A run's first
// ids live here; id-set.ts moves them to disk once there are many.
import type { RecordSource } from '../episodes/episode.js';
import { Utf8Scratch } from './utf8-scratch.js';
import { terminalText } from '../core/terminal-text.js';

const BLOCK_BYTES = 1 << 24;
/** Ids longer than this (in UTF-8) go to a plain Map: rare, and they would waste the blocks' tails. */
const LONGEST_PACKED = 1 << 12;
/** Entries between line checkpoints: a location is decoded by walking at most this many entries. */
const CHECKPOINT_EVERY = 64;
const MAX_LOAD = 0.75;

/**
 * Memory per id: its UTF-8 bytes, one byte of length (two from 128 bytes),
 * usually one byte of line difference, 4 / load bytes of table slot (5.3 to
 * 8, growing by doubling), and 24 bytes per 64 ids of checkpoints: about
 * 8 + length bytes, so 18 bytes for an id like "ep-4999999".
 */
export class PackedIds {
  private readonly blocks: Uint8Array[] = [new Uint8Array(BLOCK_BYTES)];
  private fill = 0;
  /** How much of each full block holds entries (the last block's is `fill`). */
  private readonly blockFills: number[] = [];
  private table = new Uint32Array(1 << 16);
  private count = 0;
  /** Per checkpoint: offset of its entry, that entry's line (0: none) and file index. */
  private checkpoints = new Float64Array(3 * 1024);
  private checkpointCount = 0;
  private sinceCheckpoint = 0;
  private readonly files: string[] = [];
  private lastFile = -1;
  private lastLine = 0;
  private readonly long = new Map<string, RecordSource>();
  private readonly utf8 = new Utf8Scratch();

  /** Ids held. */
  get size(): number {
    return this.count + this.long.size;
  }

  has(id: string): boolean {
    return this.where(id) !== undefined;
  }

  /** Where `id` was first seen ("runs.jsonl line 12", or the file of a .json record), if it was. */
  where(id: string): string | undefined {
    const bytes = this.encode(id);
    if (bytes === null) {
      const source = this.long.get(id);
      return source && describeSource(source);
    }
    const slot = this.find(bytes, hashOf(bytes));
    return this.table[slot] === 0 ? undefined : this.locate(this.table[slot] - 1);
  }

  /** Records `id` as seen at `source`; an id already held keeps its first place. */
  add(id: string, source: RecordSource): void {
    const bytes = this.encode(id);
    if (bytes === null) {
      if (!this.long.has(id)) this.long.set(id, { file: source.file, line: source.line });
      return;
    }
    const hash = hashOf(bytes);
    const slot = this.find(bytes, hash);
    if (this.table[slot] !== 0) return;
    this.table[slot] = this.append(bytes, source) + 1;
    if (++this.count > this.table.length * MAX_LOAD) this.grow();
  }

  /** The id's UTF-8 bytes (in utf8's buffer), or null when it is too long to pack. */
  private encode(id: string): Uint8Array | null {
    if (id.length > LONGEST_PACKED) return null;
    const bytes = this.utf8.encode(id);
    return bytes.length > LONGEST_PACKED ? null : bytes;
  }

  /** The slot holding `bytes`, or the empty slot where they would go (linear probing). */
  private find(bytes: Uint8Array, hash: number): number {
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot];
      if (entry === 0 || this.equals(entry - 1, bytes)) return slot;
    }
  }

  private equals(offset: number, bytes: Uint8Array): boolean {
    const block = this.blocks[Math.floor(offset / BLOCK_BYTES)];
    let at = offset % BLOCK_BYTES;
    let length = block[at++];
    if (length & 0x80) length = (length & 0x7f) | (block[at++] << 7);
    if (length !== bytes.length) return false;
    for (let i = 0; i < length; i++) if (block[at + i] !== bytes[i]) return false;
    return true;
  }

  /** Appends an entry (length, bytes, line difference); returns its offset. */
  private append(bytes: Uint8Array, source: RecordSource): number {
    const file = this.fileIndex(source.file ?? '');
    const line = source.line ?? 0;
    if (this.fill + bytes.length + 2 + 5 > BLOCK_BYTES) {
      this.blockFills.push(this.fill);
      this.blocks.push(new Uint8Array(BLOCK_BYTES));
      this.fill = 0;
      this.sinceCheckpoint = CHECKPOINT_EVERY;
    }
    if (file !== this.lastFile || line < this.lastLine) this.sinceCheckpoint = CHECKPOINT_EVERY;
    const offset = (this.blocks.length - 1) * BLOCK_BYTES + this.fill;
    if (this.sinceCheckpoint >= CHECKPOINT_EVERY) {
      this.checkpoint(offset, line, file);
      this.lastLine = line;
      this.lastFile = file;
    }
    this.sinceCheckpoint++;
    const block = this.blocks[this.blocks.length - 1];
    let at = this.fill;
    if (bytes.length < 0x80) block[at++] = bytes.length;
    else {
      block[at++] = 0x80 | (bytes.length & 0x7f);
      block[at++] = bytes.length >> 7;
    }
    block.set(bytes, at);
    at += bytes.length;
    for (let delta = line - this.lastLine; ; delta >>>= 7) {
      if (delta < 0x80) {
        block[at++] = delta;
        break;
      }
      block[at++] = 0x80 | (delta & 0x7f);
    }
    this.lastLine = line;
    this.fill = at;
    return offset;
  }

  private fileIndex(file: string): number {
    if (this.lastFile >= 0 && this.files[this.lastFile] === file) return this.lastFile;
    this.files.push(file);
    return this.files.length - 1;
  }

  private checkpoint(offset: number, line: number, file: number): void {
    if (3 * (this.checkpointCount + 1) > this.checkpoints.length) {
      const larger = new Float64Array(this.checkpoints.length * 2);
      larger.set(this.checkpoints);
      this.checkpoints = larger;
    }
    this.checkpoints.set([offset, line, file], 3 * this.checkpointCount++);
    this.sinceCheckpoint = 0;
  }

  /** The place of the entry at `offset`: from the checkpoint before it, adding line differences. */
  private locate(offset: number): string {
    let low = 0;
    let high = this.checkpointCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.checkpoints[3 * middle] <= offset) low = middle;
      else high = middle - 1;
    }
    let at = this.checkpoints[3 * low];
    let line = this.checkpoints[3 * low + 1];
    const file = this.files[this.checkpoints[3 * low + 2]];
    const block = this.blocks[Math.floor(offset / BLOCK_BYTES)];
    for (;;) {
      const entry = decodeEntry(block, at % BLOCK_BYTES);
      // A checkpoint's own entry stores a zero difference.
      line += entry.delta;
      if (at === offset) break;
      at = Math.floor(at / BLOCK_BYTES) * BLOCK_BYTES + entry.next;
    }
    return describeSource({ file, line: line === 0 ? undefined : line });
  }

  /** Every id held with where it was first seen, packed ones in the order they were added, long ones last. */
  *entries(): Generator<{ bytes: Uint8Array; file: string; line: number | undefined }> {
    for (let c = 0; c < this.checkpointCount; c++) {
      let at = this.checkpoints[3 * c];
      let line = this.checkpoints[3 * c + 1];
      const file = this.files[this.checkpoints[3 * c + 2]];
      const blockIndex = Math.floor(at / BLOCK_BYTES);
      const block = this.blocks[blockIndex];
      // A checkpoint's entries run to the next checkpoint, or to the end of what its block holds.
      const next = c + 1 < this.checkpointCount ? this.checkpoints[3 * (c + 1)] : Infinity;
      const filled = blockIndex * BLOCK_BYTES + (blockIndex < this.blockFills.length ? this.blockFills[blockIndex] : this.fill);
      for (const end = Math.min(next, filled); at < end; ) {
        const entry = decodeEntry(block, at % BLOCK_BYTES);
        line += entry.delta;
        yield { bytes: entry.bytes, file, line: line === 0 ? undefined : line };
        at = blockIndex * BLOCK_BYTES + entry.next;
      }
    }
    const encoder = new TextEncoder();
    for (const [id, source] of this.long) yield { bytes: encoder.encode(id), file: source.file ?? '', line: source.line };
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    const mask = this.table.length - 1;
    for (const entry of old) {
      if (entry === 0) continue;
      let slot = hashOfEntry(this.blocks, entry - 1) & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = entry;
    }
  }
}

export function describeSource(source: RecordSource): string {
  if (!source.file) return '';
  return source.line === undefined ? terminalText(source.file) : `${terminalText(source.file)} line ${source.line}`;
}

/** FNV-1a over the bytes, then murmur3's finalizer so the low bits (the slot) mix well. */
function hashOf(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return mix32(hash);
}

/** murmur3's finalizer: every input bit moves every output bit. */
export function mix32(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** The entry at `position` of a block: its id's bytes, its line difference, and where the next entry starts. */
function decodeEntry(block: Uint8Array, position: number): { bytes: Uint8Array; delta: number; next: number } {
  let length = block[position++];
  if (length & 0x80) length = (length & 0x7f) | (block[position++] << 7);
  const bytes = block.subarray(position, position + length);
  position += length;
  let delta = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = block[position++];
    delta += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  return { bytes, delta, next: position };
}

function hashOfEntry(blocks: Uint8Array[], offset: number): number {
  return hashOf(decodeEntry(blocks[Math.floor(offset / BLOCK_BYTES)], offset % BLOCK_BYTES).bytes);
}
