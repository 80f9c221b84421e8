// Judge overhead: milliseconds of library time per judged call (rendering
// the prompt, hashing the cache key, building and parsing the request and
// reply, checking the reply, storing it), target under 1 ms at 1,000 calls.
// The server is an in-process fetch that answers at once; its own time (the
// same requests and replies made and read without the judge) is measured in
// the same run and subtracted. Also: the cost of a cached judgement, and the
// judge entry's size beside the main entry's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJudge } from '../../dist/judge.js';
import { createJsonlStore } from '../../dist/node.js';
import { bundledSize } from './lib/size.js';
import { fixed, seededRandom, table, verdict } from './lib/measure.js';

const CALLS = 1000;
const AGENTS = ['planner', 'researcher', 'coder', 'tester', 'reviewer'];
const SENTENCES = [
  'Split the task into retrieval, implementation and review steps, and say who owns each.',
  'Found two candidate sources; the second one has the 2024 figures and cites the original survey.',
  'Implemented the parser and added a test for empty input; the suite passes locally.',
  'The test fails on inputs with a trailing newline; fixing the tokenizer before the release.',
  'Reviewed the change: the error handling path is not covered yet, please add a case.',
];

/** CALLS distinct 5-agent, 10-message episodes (about 1 kB of transcript each). */
function episodes() {
  const random = seededRandom(12);
  return Array.from({ length: CALLS }, (_, k) => ({
    id: `ep-${k}`,
    task: `Fix the failing date parser and ship release ${k}.`,
    agents: AGENTS,
    messages: Array.from({ length: 10 }, (_, m) => ({ id: `m${m}`, agent: AGENTS[m % 5], content: SENTENCES[Math.floor(random() * SENTENCES.length)] })),
  }));
}

const completion = (content) => JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 400, completion_tokens: 40 } });
const VALUE_REPLY = completion(JSON.stringify({ value: 0.75, reason: 'most of the task is done' }));
const LABELS_REPLY = completion(JSON.stringify({ messages: Array.from({ length: 10 }, (_, i) => ({ message: i + 1, label: 'helpful', score: 0.5, reason: 'moves the task forward' })) }));

/** A server inside the process: answers every request at once with `reply`. */
const instantFetch = (reply) => async (_url, init) => {
  return new Response(reply, { status: 200, headers: { 'content-type': 'application/json' } });
};

/** The server's share: the same fetch called with a request of the same size, its reply read and parsed. */
async function serverOnly(reply, body) {
  const fetch = instantFetch(reply);
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) JSON.parse(await (await fetch('http://127.0.0.1/v1/chat/completions', { method: 'POST', body })).text());
  return performance.now() - start;
}

async function timed(run) {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Best of `repeat` runs of a full judging pass over fresh judges (no reply cached). */
async function judgePass(judgement, reply, list, repeat = 3) {
  let best = Infinity;
  let requestBytes = 0;
  for (let r = 0; r < repeat; r++) {
    const fetch = async (url, init) => {
      requestBytes = init.body.length;
      return instantFetch(reply)(url, init);
    };
    const judge = createJudge({ baseURL: 'http://127.0.0.1:8000/v1', model: 'bench', fetch, concurrency: 4 });
    best = Math.min(best, await timed(() => Promise.all(list.map((episode) => judge[judgement](episode)))));
  }
  return { ms: best, requestBytes };
}

export async function run() {
  const list = episodes();
  const rows = [];
  for (const [judgement, reply] of [['value', VALUE_REPLY], ['labels', LABELS_REPLY]]) {
    await judgePass(judgement, reply, list.slice(0, 100), 1);
    const { ms, requestBytes } = await judgePass(judgement, reply, list);
    let server = Infinity;
    for (let r = 0; r < 3; r++) server = Math.min(server, await serverOnly(reply, 'x'.repeat(requestBytes)));
    const library = (ms - server) / CALLS;
    rows.push([`\`${judgement}\`, ${CALLS} distinct episodes (5 agents, 10 messages), nothing cached`, fixed(ms / CALLS, 3), fixed(server / CALLS, 3), fixed(library, 3), '< 1 ms', verdict(library < 1)]);
  }

  const memoryJudge = createJudge({ baseURL: 'http://127.0.0.1:8000/v1', model: 'bench', fetch: instantFetch(VALUE_REPLY) });
  await Promise.all(list.map((episode) => memoryJudge.value(episode)));
  const memory = await timed(() => Promise.all(list.map((episode) => memoryJudge.value(episode))));
  rows.push([`\`value\`, the same ${CALLS} again (memory cache)`, fixed(memory / CALLS, 3), '0', fixed(memory / CALLS, 3), '—', '—']);

  const folder = mkdtempSync(join(tmpdir(), 'agent-credit-judge-bench-'));
  try {
    const path = join(folder, 'cache.jsonl');
    const writer = createJudge({ baseURL: 'http://127.0.0.1:8000/v1', model: 'bench', fetch: instantFetch(VALUE_REPLY), cache: createJsonlStore(path) });
    const written = await timed(() => Promise.all(list.map((episode) => writer.value(episode))));
    rows.push([`\`value\`, ${CALLS} distinct episodes, each reply appended to a JSON-lines file`, fixed(written / CALLS, 3), '—', '—', '—', '—']);
    const resumed = createJudge({ baseURL: 'http://127.0.0.1:8000/v1', model: 'bench', fetch: instantFetch(VALUE_REPLY), cache: createJsonlStore(path) });
    const read = await timed(() => Promise.all(list.map((episode) => resumed.value(episode))));
    if (resumed.usage().calls !== 0) throw new Error(`a resumed run made ${resumed.usage().calls} calls; expected none`);
    rows.push([`\`value\`, the same ${CALLS} from that file in a new judge (a resumed run: 0 requests)`, fixed(read / CALLS, 3), '0', fixed(read / CALLS, 3), '—', '—']);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  console.log(`#### Judge overhead (ms per judged call; the server is an in-process fetch answering at once, its time measured apart and subtracted)\n`);
  console.log(table(['run', 'total per call', 'server per call', 'library per call', 'target', 'status'], rows));

  const judgeEntry = await bundledSize({ file: './dist/judge.js', platform: 'browser' });
  const mainEntry = await bundledSize({ file: './dist/index.js', platform: 'browser' });
  console.log(`\n#### Judge entry size (esbuild, minified, gzip -9; kB = 1000 bytes)\n`);
  console.log(table(['entry', 'minified', 'min + gzip', 'in the main entry\'s budget'], [
    ['`agent-credit/judge` (dist/judge.js, browser, zod/mini bundled)', fixed(judgeEntry.minified / 1000), fixed(judgeEntry.gzip / 1000), 'no: a subpath of its own'],
    ['`agent-credit` (dist/index.js), for comparison', fixed(mainEntry.minified / 1000), fixed(mainEntry.gzip / 1000), 'yes'],
  ]));
}
