// A chunk's output rows, encoded to UTF-8 as each is made, into a buffer
// that is handed off (taken) every few MiB. Its bytes live outside the V8
// heap, so a worker whose heap is capped (rows-runner.ts) holds one row as a
// string at a time however much the chunk writes. Joined into one string first,
// a chunk of long transcripts' rows (rewards rows repeat each message's
// history: 280 MB for one log of 600 messages) took the heap past its cap
// mid-encode, where V8 aborts the whole process rather than end the worker;
// kept in one buffer until the chunk's end, one long episode's rows grew with
// the square of its length, past the largest buffer Node allows (4 GiB).

const encoder = new TextEncoder();

export class ByteSink {
  private buffer: Uint8Array;
  // A taken buffer's size: the next one starts there, not small again, when pieces follow one another.
  private previous = 0;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buffer = new Uint8Array(capacity);
  }

  /** Appends `text` as UTF-8; returns the new length. */
  append(text: string): number {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
    const room = this.length + 3 * text.length;
    if (room > this.buffer.length) {
      const grown = new Uint8Array(Math.max(room, 2 * this.buffer.length, this.previous));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.length += encoder.encodeInto(text, this.buffer.subarray(this.length)).written;
    return this.length;
  }

  /** Drops the bytes from `length` on (those of rows that are not to be written after all). */
  rewind(length: number): void {
    this.length = Math.min(this.length, length);
  }

  /** The bytes written (a view of the buffer, which the sink no longer writes to); the sink starts again, empty. */
  take(): Uint8Array {
    const bytes = this.buffer.subarray(0, this.length);
    this.previous = this.buffer.length;
    this.buffer = new Uint8Array(0);
    this.length = 0;
    return bytes;
  }
}
