// Worker thread of `agent-credit attribute`: turns batches of record texts
// into output rows (attribute-rows.ts), so parsing and formatting, the bulk of
// the work, run on every core while the main thread reads and writes in order.
import { parentPort } from 'node:worker_threads';
import { attributeRows, type RowsJob } from './attribute-rows.js';

parentPort!.on('message', (job: RowsJob) => {
  attributeRows(job).then(
    (batch) => parentPort!.postMessage({ batch }, [batch.bytes.buffer as ArrayBuffer]),
    (error: Error) => parentPort!.postMessage({ failure: error.stack ?? String(error) }),
  );
});
// Loaded: from now on, a worker that dies is replaced (one that cannot load is not started again).
parentPort!.postMessage({ ready: true });
