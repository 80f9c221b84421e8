// The episode ids a CLI run has seen, and where each was first seen, so that a
// repeated id is refused (or told apart) however far apart its records are.
// Memory must not grow with the file: the first SPILL_AFTER ids are packed in
// memory (packed-ids.ts); from then on they live in a temporary file with 16-bit
// fingerprints in memory (spilled-ids.ts), 2.5 to 3.2 bytes per id. Answers are
// exact either way.
import type { RecordSource } from '../episodes/episode.js';
import { PackedIds } from './packed-ids.js';
import { SpilledIds } from './spilled-ids.js';
import { Utf8Scratch } from './utf8-scratch.js';

/** Ids held in memory before they move to disk: ~5 MB for ids like "ep-262143". */
export const SPILL_AFTER = 1 << 18;
/**
 * Confirming a fingerprint match reads the file. A run with many repeated ids
 * (one file given twice, say) would read it once per repeated id; once the
 * reads pass this many times the file's size (plus 256 MiB), the ids move back
 * to memory, where a repeat costs nothing and memory grows with the ids again.
 */
const READS_PER_SPILLED_BYTE = 16;
const READ_ALLOWANCE = 256 << 20;
/** Repeated ids remembered with their place, so asking again (has, then add) does not read the file again. */
const REMEMBERED_REPEATS = 4096;

export interface EpisodeIdSetOptions {
  /** Ids held in memory before they move to disk (default SPILL_AFTER). */
  spillAfter?: number;
  /** Where the temporary file goes (default: the system's temporary directory). */
  directory?: string;
  /** Bytes the set may read from disk beyond READS_PER_SPILLED_BYTE times its size before going back to memory (default 256 MiB). */
  readAllowance?: number;
  /** An id's slot hash and fingerprint hash on disk (see spilled-ids.ts); tests pass a weak one. */
  hash?: (bytes: Uint8Array) => [number, number];
}

export class EpisodeIdSet {
  private packed: PackedIds | null = new PackedIds();
  private spilled: SpilledIds | null = null;
  private readonly spillAfter: number;
  private readonly directory: string | undefined;
  private readonly hash: EpisodeIdSetOptions['hash'];
  private readonly readAllowance: number;
  /** Ids on disk are encoded here, not into a new buffer each. */
  private readonly utf8 = new Utf8Scratch();
  private readonly repeats = new Map<string, string>();
  /** The id the last lookup on disk found absent, and its bytes (in utf8's buffer, so valid until the next lookup): add() right after it (the usual order) need not look again. */
  private lastAbsent: string | null = null;
  private lastAbsentBytes: Uint8Array | null = null;
  /** Why the ids stayed in (or came back to) memory, once they did; the CLI warns with it. */
  inMemoryBecause: string | null = null;

  constructor(options: EpisodeIdSetOptions = {}) {
    this.spillAfter = options.spillAfter ?? SPILL_AFTER;
    this.directory = options.directory;
    this.hash = options.hash;
    this.readAllowance = options.readAllowance ?? READ_ALLOWANCE;
  }

  /** Ids held. */
  get size(): number {
    return this.packed ? this.packed.size : this.spilled!.size;
  }

  /** Whether the ids are on disk now. */
  get onDisk(): boolean {
    return this.spilled !== null;
  }

  has(id: string): boolean {
    return this.where(id) !== undefined;
  }

  /** Where `id` was first seen ("runs.jsonl line 12", or the file of a .json record), if it was. */
  where(id: string): string | undefined {
    if (this.packed) return this.packed.where(id);
    const remembered = this.repeats.get(id);
    if (remembered !== undefined) return remembered;
    const bytes = this.utf8.encode(id);
    const found = this.spilled!.where(bytes);
    if (found !== undefined) {
      if (this.repeats.size >= REMEMBERED_REPEATS) this.repeats.clear();
      this.repeats.set(id, found);
    }
    this.lastAbsent = found === undefined ? id : null;
    this.lastAbsentBytes = found === undefined ? bytes : null;
    if (this.spilled!.bytesRead > READS_PER_SPILLED_BYTE * this.spilled!.spilledBytes + this.readAllowance) {
      this.backToMemory('many ids repeat, and each repeat read the ids on disk again');
    }
    return found;
  }

  /** Records `id` as seen at `source`; an id already held keeps its first place. */
  add(id: string, source: RecordSource): void {
    if (this.packed) {
      this.packed.add(id, source);
      if (this.packed.size >= this.spillAfter && this.inMemoryBecause === null) this.toDisk();
      return;
    }
    if (this.lastAbsent !== id && this.where(id) !== undefined) return;
    const bytes = this.lastAbsentBytes ?? this.utf8.encode(id);
    this.lastAbsent = this.lastAbsentBytes = null;
    if (!this.spilled) {
      // where() just moved the ids back to memory.
      this.packed!.add(id, source);
      return;
    }
    try {
      this.spilled!.add(bytes, source.file ?? '', source.line);
    } catch (error) {
      // The id is held (in the file's buffer) even so; the set goes back to memory, where it can carry on.
      this.backToMemory(`cannot write the temporary file of ids: ${(error as Error).message}`);
      this.packed!.add(id, source);
    }
  }

  /** Removes the temporary file, if there is one. */
  close(): void {
    this.spilled?.close();
    this.spilled = null;
    this.packed ??= new PackedIds();
  }

  private toDisk(): void {
    let spilled: SpilledIds;
    try {
      spilled = new SpilledIds(this.directory, this.hash);
    } catch (error) {
      this.inMemoryBecause = `cannot create a temporary file of ids: ${(error as Error).message}`;
      return;
    }
    try {
      for (const { bytes, file, line } of this.packed!.entries()) spilled.add(bytes, file, line);
    } catch (error) {
      spilled.close();
      this.inMemoryBecause = `cannot write the temporary file of ids: ${(error as Error).message}`;
      return;
    }
    this.spilled = spilled;
    this.packed = null;
  }

  private backToMemory(reason: string): void {
    const packed = new PackedIds();
    const decoder = new TextDecoder();
    for (const { bytes, file, line } of this.spilled!.entries()) packed.add(decoder.decode(bytes), { file: file || undefined, line });
    this.spilled!.close();
    this.spilled = null;
    this.packed = packed;
    this.repeats.clear();
    this.lastAbsent = this.lastAbsentBytes = null;
    this.inMemoryBecause = reason;
  }
}
