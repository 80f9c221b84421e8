// The page's Web Worker: every attribution and every playground run happens
// here, so the page stays responsive. Cancel stops an attribution between two
// records, so the preference rows of the episodes shown stay here; anything
// else (or a record that takes too long) is stopped by terminating the worker.
import { attributeSource, AttributionStopped, exportText, inspectSource, preferencesOf } from './attribute.js';
import type { InputProblem, LoadedSource, ReadSource, Request, Response } from './protocol.js';
import { InputProblems } from './records.js';
import { runPlayground } from './speed.js';

const PROGRESS_INTERVAL_MS = 50;

function post(response: Response): void {
  self.postMessage(response);
}

function problemsFrom(error: unknown): InputProblem[] {
  if (error instanceof InputProblems) return error.problems;
  return [{ line: null, field: '', message: error instanceof Error ? error.message : String(error) }];
}

/** The source's text: a loaded file is read here, off the page's thread. */
async function read(source: LoadedSource): Promise<ReadSource> {
  return { name: source.name, text: 'text' in source ? source.text : await source.file.text() };
}

/** Attribution runs the page cancelled: each stops before its next record. */
const stopRequested = new Set<number>();

self.addEventListener('message', async (event: MessageEvent<Request>) => {
  const request = event.data;
  if (request.kind === 'cancel') {
    stopRequested.add(request.id);
    return;
  }
  try {
    if (request.kind === 'attribute') {
      let lastPost = 0;
      const value = await attributeSource(
        await read(request.source),
        request.options,
        request.setup,
        request.judge,
        (done, total) => {
          const now = performance.now();
          if (done === total || now - lastPost >= PROGRESS_INTERVAL_MS) {
            lastPost = now;
            post({ kind: 'progress', id: request.id, done, total });
          }
        },
        (entries) => post({ kind: 'entries', id: request.id, entries }),
        () => stopRequested.has(request.id),
      );
      post({ kind: 'result', id: request.id, value });
    } else if (request.kind === 'preferences') {
      post({ kind: 'result', id: request.id, value: preferencesOf(request.index) });
    } else if (request.kind === 'export') {
      post({ kind: 'result', id: request.id, value: exportText(request.export) });
    } else if (request.kind === 'inspect') {
      post({ kind: 'result', id: request.id, value: inspectSource(await read(request.source), request.options) });
    } else {
      post({ kind: 'result', id: request.id, value: await runPlayground(request.request) });
    }
  } catch (error) {
    if (error instanceof AttributionStopped) post({ kind: 'stopped', id: request.id });
    else post({ kind: 'failure', id: request.id, problems: problemsFrom(error) });
  } finally {
    stopRequested.delete(request.id);
  }
});
