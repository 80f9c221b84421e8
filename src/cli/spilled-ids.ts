// Episode ids kept on disk, with a small table of fingerprints in memory:
// 5.3 to 10.7 bytes of memory per id (a u32 fingerprint in a table 3/8 to 3/4
// full) however long the ids are, and the ids themselves, with where each was
// first seen, in a temporary file. A lookup that matches no fingerprint is a
// new id without reading the file; one that matches is confirmed by reading
// the file, so answers stay exact. Matches are true duplicates or, about once
// in 10^9 lookups, another id with the same 32-bit fingerprint in the slots
// probed.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describeSource, mix32 } from './packed-ids.js';

const FIRST_SLOTS = 1 << 16;
const MAX_LOAD = 0.75;
/** The table grows in place up to this size (address space reserved, not memory): 2^28 slots, 200 M ids. */
const LARGEST_IN_PLACE = 1 << 30;

/** A resizable ArrayBuffer (ES2024, in Node 20), typed here as the compiler's library predates it. */
interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;
/** Entries are written to the file a buffer at a time. */
const BUFFER_BYTES = 1 << 20;
/** The file is read this much at a time when confirming a match. */
const READ_BYTES = 1 << 20;

export interface IdEntry {
  bytes: Uint8Array;
  /** File the id was read from, '' for none. */
  file: string;
  line: number | undefined;
}

export class SpilledIds {
  // Resizable, so that growing does not hold the old table beside the new one until a collection frees it.
  private table: Uint32Array = new Uint32Array(new ResizableArrayBuffer(FIRST_SLOTS * 4, { maxByteLength: LARGEST_IN_PLACE }));
  private count = 0;
  private readonly fd: number;
  /** The file's path while it still has a name (where an open file cannot be unlinked); removed by close(). */
  private path: string | null;
  /** Bytes written to the file; later entries wait in the buffer. */
  private written = 0;
  private buffer = new Uint8Array(BUFFER_BYTES);
  private fill = 0;
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readBuffer = new Uint8Array(READ_BYTES);
  /** Bytes of entries read back so far, from the file or the buffer, to confirm matches (a run with many duplicates reads them many times). */
  bytesRead = 0;

  /**
   * Opens the temporary file (in `directory`, the system's by default); throws
   * when it cannot be created. `hash` gives an id's first slot and its
   * fingerprint (a nonzero u32), from two independent hashes; tests pass a
   * weak one to make matches common.
   */
  constructor(directory = tmpdir(), private readonly hash: (bytes: Uint8Array) => [number, number] = hashes) {
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
    return this.written + this.fill;
  }

  /** Where the id was first seen ('' for a record without a file), or undefined if it was not. */
  where(bytes: Uint8Array): string | undefined {
    const [first, fingerprint] = this.hash(bytes);
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = first & mask; table[slot] !== 0; slot = (slot + 1) & mask) {
      if (table[slot] !== fingerprint) continue;
      const found = this.find(bytes);
      // A match that is not this id is another id with the same fingerprint: it is new.
      return found;
    }
    return undefined;
  }

  /**
   * Adds an id known not to be held (where() returned undefined): its
   * fingerprint to the table, the id and its place to the file. Throws when
   * the file cannot be written; the entry is then kept in the buffer, so
   * entries() still lists every id.
   */
  add(bytes: Uint8Array, file: string, line: number | undefined): void {
    this.append(bytes, this.indexOf(file), line ?? 0);
    this.count++;
    if (this.count > this.table.length * MAX_LOAD) this.grow();
    else this.insert(this.table, bytes);
  }

  /** Every id held, in the order added, read back from the file and the buffer. */
  *entries(): Generator<IdEntry> {
    for (const entry of this.walk()) yield { bytes: entry.bytes, file: this.files[entry.file], line: entry.line === 0 ? undefined : entry.line };
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

  /** Reads the file (and the buffer) for the entry holding exactly `bytes`. */
  private find(bytes: Uint8Array): string | undefined {
    for (const entry of this.walk()) {
      if (entry.bytes.length !== bytes.length) continue;
      let same = true;
      for (let i = 0; i < bytes.length && same; i++) same = entry.bytes[i] === bytes[i];
      if (same) return describeSource({ file: this.files[entry.file] || undefined, line: entry.line === 0 ? undefined : entry.line });
    }
    return undefined;
  }

  /** The entries, each decoded from a window of the file, then from the buffer. Each entry's bytes are valid until the next. */
  private *walk(): Generator<{ bytes: Uint8Array; file: number; line: number }> {
    let position = 0;
    while (position < this.written) {
      const length = Math.min(this.readBuffer.length, this.written - position);
      const got = readSync(this.fd, this.readBuffer, 0, length, position);
      this.bytesRead += got;
      const window = this.readBuffer.subarray(0, got);
      let at = 0;
      for (;;) {
        const entry = decode(window, at);
        if (entry === null) break;
        yield entry;
        at = entry.end;
      }
      if (at === 0) {
        // One entry longer than the read buffer: read a larger window from where it starts.
        this.readBuffer = new Uint8Array(this.readBuffer.length * 2);
        continue;
      }
      position += at;
    }
    this.bytesRead += this.fill;
    for (let at = 0; at < this.fill; ) {
      const entry = decode(this.buffer, at, this.fill)!;
      yield entry;
      at = entry.end;
    }
  }

  private indexOf(file: string): number {
    let index = this.fileIndex.get(file);
    if (index === undefined) {
      index = this.files.push(file) - 1;
      this.fileIndex.set(file, index);
    }
    return index;
  }

  private append(bytes: Uint8Array, file: number, line: number): void {
    const most = bytes.length + 3 * 8;
    if (this.fill + most > this.buffer.length) {
      this.flush();
      if (most > this.buffer.length) this.buffer = new Uint8Array(most);
    }
    let at = writeVarint(this.buffer, this.fill, bytes.length);
    this.buffer.set(bytes, at);
    at = writeVarint(this.buffer, at + bytes.length, file);
    this.fill = writeVarint(this.buffer, at, line);
    if (this.fill >= BUFFER_BYTES) this.flush();
  }

  /** Writes the buffer out; what was written leaves it, so a failure keeps the rest for a retry or for entries(). */
  private flush(): void {
    let done = 0;
    try {
      while (done < this.fill) done += writeSync(this.fd, this.buffer, done, this.fill - done, this.written + done);
    } finally {
      this.written += done;
      this.buffer.copyWithin(0, done, this.fill);
      this.fill -= done;
    }
  }

  private insert(table: Uint32Array, bytes: Uint8Array): void {
    const [first, fingerprint] = this.hash(bytes);
    const mask = table.length - 1;
    let slot = first & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = fingerprint;
  }

  /**
   * Doubles the table, in place, and refills it from the ids in the file (a
   * fingerprint does not say its slot); reading the file at each doubling
   * costs about two reads of it in all.
   */
  private grow(): void {
    const bytes = this.table.byteLength * 2;
    const buffer = this.table.buffer as ResizableBuffer;
    if (bytes <= (buffer.maxByteLength ?? 0)) {
      buffer.resize(bytes);
      this.table.fill(0);
    } else this.table = new Uint32Array(bytes / 4);
    for (const entry of this.walk()) this.insert(this.table, entry.bytes);
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

/** The id's first slot (from one hash) and fingerprint (another, never 0, which marks an empty slot). */
function hashes(bytes: Uint8Array): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b ^ bytes[i], 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [mix32(a), mix32(b ^ bytes.length) || 1];
}
