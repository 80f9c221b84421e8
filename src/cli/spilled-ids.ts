// Episode ids kept on disk, with a small table of fingerprints in memory:
// 2.5 to 3.2 bytes of memory per id (a u16 fingerprint in a table 0.64 to 0.8
// full) however long the ids are, and the ids themselves, with where each was
// first seen, in a temporary file. A lookup that matches no fingerprint is a
// new id without reading the file; one that matches is confirmed by reading
// the file, so answers stay exact.
//
// The file is split by hash into PARTITIONS partitions, each written as
// blocks of BLOCK_BYTES, so that confirming a match reads one partition (1/256
// of the file), not all of it. That makes matches cheap enough for 16-bit
// fingerprints, half the memory of 32-bit ones: a new id passes about six
// filled slots, so about one new id in 10,000 matches another id's fingerprint
// and reads a partition for nothing (measured: 192 of 2 M; 5 M ids: ~500
// reads of ~280 kB). A repeated id reads its partition once.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describeSource, mix32 } from './packed-ids.js';

const FIRST_SLOTS = 1 << 16;
const MAX_LOAD = 0.8;
/** The table grows by this factor: small steps keep it near MAX_LOAD (each step reads the file once to refill it). */
const GROWTH = 1.25;
/** The table grows in place up to this size (address space reserved, not memory): 2^29 slots, 400 M ids. */
const LARGEST_IN_PLACE = 1 << 30;
/** Partitions of the file, chosen by the top byte of an id's fingerprint hash. */
const PARTITIONS = 256;
/** Each partition's entries wait in a buffer of this size, then go to the file as one block. */
const BLOCK_BYTES = 4096;

/** A resizable ArrayBuffer (ES2024, in Node 20), typed here as the compiler's library predates it. */
interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;

export interface IdEntry {
  bytes: Uint8Array;
  /** File the id was read from, '' for none. */
  file: string;
  line: number | undefined;
}

/** One partition of the file: its blocks on disk and the entries not yet written. */
interface Partition {
  /** Offset and length of each block written, in pairs. */
  blocks: number[];
  buffer: Uint8Array;
  fill: number;
}

export class SpilledIds {
  // Resizable, so that growing does not hold the old table beside the new one until a collection frees it.
  private table: Uint16Array = new Uint16Array(new ResizableArrayBuffer(FIRST_SLOTS * 2, { maxByteLength: LARGEST_IN_PLACE }));
  private count = 0;
  private readonly fd: number;
  /** The file's path while it still has a name (where an open file cannot be unlinked); removed by close(). */
  private path: string | null;
  /** Bytes written to the file: the next block goes here. */
  private written = 0;
  /** Bytes waiting in the partitions' buffers. */
  private buffered = 0;
  private readonly partitions: Partition[] = Array.from({ length: PARTITIONS }, () => ({ blocks: [], buffer: new Uint8Array(0), fill: 0 }));
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readBuffer = new Uint8Array(BLOCK_BYTES);
  /** Bytes of entries read back to confirm matches, from the file or the buffers (a run with many repeated ids reads them many times). */
  bytesRead = 0;

  /**
   * Opens the temporary file (in `directory`, the system's by default); throws
   * when it cannot be created. `hash` gives an id's first slot and its
   * fingerprint hash (a u32, whose low 16 bits are kept and whose top byte
   * picks the partition), from two independent hashes; tests pass a weak one
   * to make matches common.
   */
  constructor(directory = tmpdir(), private readonly hash: (bytes: Uint8Array) => [number, number] = idHashes) {
    const path = join(directory, `agent-credit-ids-${process.pid}-${randomUUID()}.tmp`);
    this.fd = openSync(path, 'w+', 0o600);
    // Unlinked at once where the system allows it: even a killed run leaves nothing behind.
    try {
      unlinkSync(path);
      this.path = null;
    } catch {
      this.path = path;
    }
  }

  get size(): number {
    return this.count;
  }

  /** Bytes the ids take on disk (written and buffered). */
  get spilledBytes(): number {
    return this.written + this.buffered;
  }

  /** Where the id was first seen ('' for a record without a file), or undefined if it was not. */
  where(bytes: Uint8Array): string | undefined {
    const [first, hash] = this.hash(bytes);
    const fingerprint = fingerprintOf(hash);
    const table = this.table;
    for (let slot = slotOf(first, table.length); table[slot] !== 0; slot = slot + 1 === table.length ? 0 : slot + 1) {
      // A match that is not this id is another id with the same fingerprint: read on, the id is new unless the partition holds it.
      if (table[slot] === fingerprint) return this.find(bytes, hash >>> 24);
    }
    return undefined;
  }

  /**
   * Adds an id known not to be held (where() returned undefined): its
   * fingerprint to the table, the id and its place to its partition of the
   * file. Throws when the file cannot be written; the entry is then kept in
   * its buffer, so entries() still lists every id.
   */
  add(bytes: Uint8Array, file: string, line: number | undefined): void {
    const [first, hash] = this.hash(bytes);
    this.append(bytes, hash >>> 24, this.indexOf(file), line ?? 0);
    this.count++;
    // Growing refills the table from the partitions, this entry included.
    if (this.count > this.table.length * MAX_LOAD) this.grow();
    else insert(this.table, first, fingerprintOf(hash));
  }

  /** Every id held, partition by partition, read back from the file and the buffers. */
  *entries(): Generator<IdEntry> {
    for (let p = 0; p < PARTITIONS; p++) {
      for (const entry of this.walk(p)) yield { bytes: entry.bytes, file: this.files[entry.file], line: entry.line === 0 ? undefined : entry.line };
    }
  }

  close(): void {
    closeSync(this.fd);
    if (this.path !== null) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
      this.path = null;
    }
  }

  /** Reads partition `p` (its blocks, then its buffer) for the entry holding exactly `bytes`. */
  private find(bytes: Uint8Array, p: number): string | undefined {
    for (const entry of this.walk(p, true)) {
      if (entry.bytes.length !== bytes.length) continue;
      let same = true;
      for (let i = 0; i < bytes.length && same; i++) same = entry.bytes[i] === bytes[i];
      if (same) return describeSource({ file: this.files[entry.file] || undefined, line: entry.line === 0 ? undefined : entry.line });
    }
    return undefined;
  }

  /** The entries of partition `p`, block by block, then from its buffer. Each entry's bytes are valid until the next. */
  private *walk(p: number, counted = false): Generator<{ bytes: Uint8Array; file: number; line: number }> {
    const { blocks } = this.partitions[p];
    for (let b = 0; b < blocks.length; b += 2) {
      const length = blocks[b + 1];
      if (this.readBuffer.length < length) this.readBuffer = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const read = readSync(this.fd, this.readBuffer, got, length - got, blocks[b] + got);
        if (read === 0) throw new Error(`the temporary file of ids ends early (block at byte ${blocks[b]})`);
        got += read;
      }
      if (counted) this.bytesRead += length;
      yield* decodeAll(this.readBuffer, length);
    }
    const { buffer, fill } = this.partitions[p];
    if (counted) this.bytesRead += fill;
    yield* decodeAll(buffer, fill);
  }

  private indexOf(file: string): number {
    let index = this.fileIndex.get(file);
    if (index === undefined) {
      index = this.files.push(file) - 1;
      this.fileIndex.set(file, index);
    }
    return index;
  }

  /** Puts the entry in its partition's buffer (which grows to hold it), then writes the buffer out as a block once full. */
  private append(bytes: Uint8Array, p: number, file: number, line: number): void {
    const partition = this.partitions[p];
    const most = bytes.length + 3 * 8;
    if (partition.fill + most > partition.buffer.length) {
      const larger = new Uint8Array(Math.max(BLOCK_BYTES, partition.fill + most));
      larger.set(partition.buffer.subarray(0, partition.fill));
      partition.buffer = larger;
    }
    const before = partition.fill;
    let at = writeVarint(partition.buffer, partition.fill, bytes.length);
    partition.buffer.set(bytes, at);
    at = writeVarint(partition.buffer, at + bytes.length, file);
    partition.fill = writeVarint(partition.buffer, at, line);
    this.buffered += partition.fill - before;
    if (partition.fill + 3 * 8 >= BLOCK_BYTES) this.flush(partition);
  }

  /**
   * Writes a partition's buffer out as one block. A write that fails leaves
   * the block unrecorded and its entries in the buffer (the next block is
   * written over whatever part of it reached the file).
   */
  private flush(partition: Partition): void {
    let done = 0;
    while (done < partition.fill) done += writeSync(this.fd, partition.buffer, done, partition.fill - done, this.written + done);
    partition.blocks.push(this.written, partition.fill);
    this.written += partition.fill;
    this.buffered -= partition.fill;
    partition.fill = 0;
    // Back to the usual size after a long entry.
    if (partition.buffer.length > BLOCK_BYTES) partition.buffer = new Uint8Array(BLOCK_BYTES);
  }

  /**
   * Grows the table by GROWTH, in place, and refills it from the ids in the
   * file (a fingerprint does not say its slot); reading the file at each
   * step costs about 1 / (1 - 1 / GROWTH) = 5 reads of it in all.
   */
  private grow(): void {
    const slots = Math.ceil(this.table.length * GROWTH);
    const buffer = this.table.buffer as ResizableBuffer;
    if (slots * 2 <= (buffer.maxByteLength ?? 0)) {
      buffer.resize(slots * 2);
      this.table = new Uint16Array(buffer, 0, slots);
      this.table.fill(0);
    } else this.table = new Uint16Array(slots);
    for (let p = 0; p < PARTITIONS; p++) {
      for (const entry of this.walk(p)) {
        const [first, hash] = this.hash(entry.bytes);
        insert(this.table, first, fingerprintOf(hash));
      }
    }
  }
}

/** An id's first slot of `slots`, from the top 24 bits of its slot hash (scaled rather than masked, as the table's size is not a power of two). */
function slotOf(first: number, slots: number): number {
  return Math.floor(((first >>> 8) * slots) / 0x1000000);
}

/** The 16 bits of the fingerprint hash kept in the table (never 0, which marks an empty slot). */
function fingerprintOf(hash: number): number {
  return hash & 0xffff || 1;
}

function insert(table: Uint16Array, first: number, fingerprint: number): void {
  let slot = slotOf(first, table.length);
  while (table[slot] !== 0) slot = slot + 1 === table.length ? 0 : slot + 1;
  table[slot] = fingerprint;
}

/** The entries of source[0, end). */
function* decodeAll(source: Uint8Array, end: number): Generator<{ bytes: Uint8Array; file: number; line: number }> {
  for (let at = 0; at < end; ) {
    const entry = decode(source, at, end)!;
    yield entry;
    at = entry.end;
  }
}

function writeVarint(target: Uint8Array, at: number, value: number): number {
  for (; value >= 0x80; value = Math.floor(value / 0x80)) target[at++] = 0x80 | (value & 0x7f);
  target[at++] = value;
  return at;
}

/** The entry at `at`, or null when it runs past `end`. */
function decode(source: Uint8Array, at: number, end = source.length): { bytes: Uint8Array; file: number; line: number; end: number } | null {
  const fields = [0, 0, 0];
  let bytes: Uint8Array | null = null;
  for (let field = 0; field < 3; field++) {
    let value = 0;
    for (let scale = 1; ; scale *= 0x80) {
      if (at >= end) return null;
      const byte = source[at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
    }
    fields[field] = value;
    if (field === 0) {
      if (at + value > end) return null;
      bytes = source.subarray(at, at + value);
      at += value;
    }
  }
  return { bytes: bytes!, file: fields[1], line: fields[2], end: at };
}

/** The id's first slot (from one hash) and fingerprint hash (another, independent). */
export function idHashes(bytes: Uint8Array): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b ^ bytes[i], 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [mix32(a), mix32(b ^ bytes.length)];
}
