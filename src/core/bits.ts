// Bit counting on 32-bit words, shared by the host-side mask code.

/** Set bits of a 32-bit word (SWAR: constant time, no loop over the bits). */
export function popcount32(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
