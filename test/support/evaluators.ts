// Evaluators for tests: table lookups by member names, counters, and
// evaluators whose calls settle only when the test says so.
export function tableEvaluator(players: string[], values: Float64Array) {
  const index = new Map(players.map((name, i) => [name, i]));
  const seen: number[] = [];
  const evaluate = (coalition: string[]) => {
    let mask = 0;
    for (const name of coalition) mask |= 1 << index.get(name)!;
    seen.push(mask);
    return values[mask];
  };
  return { evaluate, seen };
}

export interface Deferred {
  coalition: string[];
  resolve(value: number): void;
  reject(error: unknown): void;
}

/** Every call returns a promise the test settles through `calls`. */
export function deferredEvaluator() {
  const calls: Deferred[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const evaluate = (coalition: string[]) =>
    new Promise<number>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const settle = <T>(fn: (x: T) => void) => (x: T) => {
        inFlight--;
        fn(x);
      };
      calls.push({ coalition, resolve: settle(resolve), reject: settle(reject) });
    });
  return { evaluate, calls, maxInFlight: () => maxInFlight };
}

/** Lets pending promise callbacks and one round of macrotasks run. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs queued promise callbacks without letting any timer or event (a macrotask) run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
