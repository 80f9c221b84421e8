// Worker thread of `agent-credit attribute`: turns batches of record texts
// into output rows (attribute-rows.ts), so parsing and formatting, the bulk of
// the work, run on every core while the main thread reads and writes in order.
// A chunk whose rows are long goes back in parts, each sent when full and the
// next made only once the main thread has taken it (`more`), so a worker holds
// one part at a time however long an episode's rows are.
import { parentPort } from 'node:worker_threads';
import { attributeRows, type RowsBatch, type RowsJob } from './attribute-rows.js';

// The answer the part in flight waits for: whether to go on.
let taken: ((more: boolean) => void) | undefined;

const sendPart = (part: RowsBatch) =>
  new Promise<boolean>((resolve) => {
    taken = resolve;
    parentPort!.postMessage({ part }, [part.bytes.buffer as ArrayBuffer]);
  });

parentPort!.on('message', (message: { job?: RowsJob; more?: boolean }) => {
  if (message.job === undefined) {
    taken?.(message.more === true);
    taken = undefined;
    return;
  }
  attributeRows(message.job, sendPart).then(
    (batch) => parentPort!.postMessage({ batch }, [batch.bytes.buffer as ArrayBuffer]),
    (error: Error) => parentPort!.postMessage({ failure: error.stack ?? String(error) }),
  );
});
// Loaded: from now on, a worker that dies is replaced (one that cannot load is not started again).
parentPort!.postMessage({ ready: true });
