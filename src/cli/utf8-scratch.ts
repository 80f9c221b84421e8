// UTF-8 of one string at a time, into one reused buffer: the id sets encode
// every id they are asked about, and a new buffer per id (millions of them)
// would churn the allocator.

export class Utf8Scratch {
  private readonly encoder = new TextEncoder();
  private buffer = new Uint8Array(3 * 64);

  /** The text's UTF-8 bytes: a view of the buffer, valid until the next call. */
  encode(text: string): Uint8Array {
    if (this.buffer.length < 3 * text.length) this.buffer = new Uint8Array(3 * text.length);
    return this.buffer.subarray(0, this.encoder.encodeInto(text, this.buffer).written);
  }
}
