// Runs the judge in the page against the test's judge server on another
// origin (CORS), with the IndexedDB store, and publishes plain results on
// window.judgeResults (or window.judgeFailure). The test loads it twice in
// one browser context: the second load must find every reply in IndexedDB.
import { createIndexedDBStore, createJudge, JudgeError } from '../../dist/judge.js';

const episode = {
  id: 'browser',
  task: 'Where is the Eiffel Tower and when was it finished?\nFacts: Paris; 1889',
  agents: ['a', 'b', 'c'],
  context: ['user'],
  messages: [
    { id: 'u', agent: 'user', content: 'Please find out.' },
    { id: 'm0', agent: 'a', content: 'It stands in Paris.' },
    { id: 'm1', agent: 'b', content: 'WRONG: it was finished in 1890.' },
    { id: 'm2', agent: 'c', content: 'CORRECTION: it was finished in 1889.' },
  ],
  outcome: { score: 1, success: true },
};

async function run() {
  const params = new URLSearchParams(location.search);
  const store = createIndexedDBStore({ name: 'judge-test' });
  const judge = createJudge({ baseURL: params.get('server'), model: 'rules', apiKey: 'sk-browser', headers: { 'x-run': params.get('phase') }, cache: store, retryDelayMs: 0 });
  const evaluate = judge.evaluator(episode);
  const signal = new AbortController().signal;
  const results = {
    secureContext: isSecureContext,
    value: await judge.value(episode),
    coalitions: [await evaluate(['a'], { signal }), await evaluate(['a', 'b'], { signal }), await evaluate(['b', 'c'], { signal })],
    labels: await judge.labels(episode),
    prefixValues: await judge.prefixValues(episode),
    recoverable: [await judge.recoverable(episode, 2), await judge.recoverable(episode, 3)],
  };
  const refused = createJudge({ baseURL: params.get('server').replace('/v1', '/nowhere'), model: 'rules', retries: 0 });
  results.refused = await refused.value(episode).then(String, (error) => `${error instanceof JudgeError}: ${error.message}`);
  results.usage = judge.usage();
  await store.close();
  return results;
}

run().then(
  (results) => (window.judgeResults = results),
  (error) => (window.judgeFailure = `${error?.name}: ${error?.message}\n${error?.stack}`),
);
