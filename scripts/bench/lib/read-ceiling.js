// The memory-bandwidth ceiling of the exact pass on a shared table: one
// thread, then two threads each on half, reading every entry once with a SIMD
// sum (assembly/shared-exact.ts sumShared) and doing nothing else. An exact
// pass over the same table cannot gain more from a second worker than this.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bestTime } from './measure.js';

if (!isMainThread) {
  const { module, memory } = workerData;
  const { exports } = await WebAssembly.instantiate(module, { env: { memory } });
  parentPort.on('message', ({ offset, count }) => parentPort.postMessage(exports.sumShared(offset, count)));
  parentPort.postMessage('ready');
}

/** ms for one reader over the whole table and for two readers over a half each, best of `repeat`. */
export async function readCeiling(module, memory, tableOffset, entries, repeat = 7) {
  const readers = await Promise.all(
    [0, 1].map(async () => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { module, memory } });
      await new Promise((resolve) => worker.once('message', resolve));
      return worker;
    }),
  );
  const read = (worker, first, count) =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage({ offset: tableOffset + first * 8, count });
    });
  try {
    const half = entries / 2;
    const one = await bestTime(() => read(readers[0], 0, entries), repeat);
    const two = await bestTime(() => Promise.all([read(readers[0], 0, half), read(readers[1], half, half)]), repeat);
    return { one, two };
  } finally {
    await Promise.all(readers.map((worker) => worker.terminate()));
  }
}
