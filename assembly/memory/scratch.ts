// Memory the host asks for: inputs, outputs and sampler state live in blocks
// from the TLSF allocator, each freed by the host when done. Kernels
// themselves never allocate.

/** Allocates `bytes` (16-byte aligned); traps when no block of that size can be had (over 1 GiB). */
export function allocate(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function release(pointer: usize): void {
  heap.free(pointer);
}
