// The I/O window: one growable region after the static data where the host
// lays out inputs and outputs for a single kernel call. Kernels never allocate.

const PAGE_BYTES: usize = 65536;

/** Makes sure `bytes` bytes are available at the window and returns its address. */
export function reserve(bytes: usize): usize {
  const start = (__heap_base + 15) & ~(<usize>15);
  const end = start + bytes;
  const havePages = <usize>memory.size();
  const needPages = (end + PAGE_BYTES - 1) / PAGE_BYTES;
  if (needPages > havePages) {
    if (memory.grow(<i32>(needPages - havePages)) < 0) return 0;
  }
  return start;
}
