// Every byte of a buffer to a file, or an error. One write(2) may write fewer
// bytes than it is given and say so: Linux writes at most 0x7ffff000 bytes
// per call, a disk that fills or a file-size limit takes what fits, a signal
// can cut a write short. FileHandle.write and fs.write are one write(2) each
// and only report the count; a caller that does not write the rest loses it
// without a word.

/** Most bytes given to one write: under Linux's per-call cap, and within the 32-bit length libuv keeps for a buffer. */
export const LARGEST_WRITE = 1 << 30;

/** A file handle's write: FileHandle's, or fs.write's on a descriptor. */
export interface ByteWriter {
  write(buffer: Uint8Array, offset: number, length: number, position: null): Promise<{ bytesWritten: number }>;
}

/**
 * Writes all of `bytes` at the file's position, at most LARGEST_WRITE bytes
 * per call, writing again after each short write. Rejects with the system's
 * error; a write that writes nothing at all (no progress, no error) rejects too,
 * rather than loop.
 */
export async function writeAll(file: ByteWriter, bytes: Uint8Array): Promise<void> {
  for (let from = 0; from < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, from, Math.min(LARGEST_WRITE, bytes.length - from), null);
    if (!(bytesWritten > 0)) throw new Error(`a write wrote nothing, ${bytes.length - from} bytes short`);
    from += bytesWritten;
  }
}
