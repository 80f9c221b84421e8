// How the pool spreads chunks (or blocks of pairs) over its workers.

/** Splits `count` items into `parts` contiguous ranges whose sizes differ by at most one (empty ranges dropped). */
export function splitRange(count: number, parts: number): { first: number; count: number }[] {
  const ranges: { first: number; count: number }[] = [];
  let first = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(count / parts) + (p < count % parts ? 1 : 0);
    if (size > 0) ranges.push({ first, count: size });
    first += size;
  }
  return ranges;
}
