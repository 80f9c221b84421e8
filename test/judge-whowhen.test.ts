// The judge on the 184 Who&When failure logs (bundled under test/fixtures/whowhen-release) with
// their annotations hidden: the test server knows each task's answer and its
// annotated mistake (TaskKnowledge), the judge sees only the transcript, and
// the three first-error strategies find the message the server's rules name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJudge, type Judge } from '../src/judge.js';
import { fromWhoWhen } from '../src/episodes/adapters/index.js';
import { parseEpisode, type Episode } from '../src/episodes/episode.js';
import { searchFirstError } from '../src/episodes/first-error.js';
import { labelsOf, rulesFor, startJudgeServer, type JudgeServer, type TaskKnowledge } from './support/judge-server.js';
import { whoWhenLogs } from './support/whowhen-release.js';


interface Log {
  file: string;
  episode: Episode;
  /** The index of the message the adapter labelled from mistake_step. */
  annotated: number;
}

function loadLogs(): Log[] {
  return whoWhenLogs().map(({ file, record }) => {
    // Ids repeat across the two subsets (45 shared questions): one id per file.
    const annotated = parseEpisode({ ...fromWhoWhen(record), id: file }).messages.findIndex((message) => message.label === 'error');
    // What the judge gets: the transcript without the annotation.
    const episode = parseEpisode({ ...fromWhoWhen({ ...record, mistake_step: undefined }), id: file });
    return { file, episode, annotated };
  });
}

describe('judge on the Who&When logs (mistake_step hidden)', () => {
  let server: JudgeServer;
  let logs: Log[];
  let judge: Judge;
  const knowledge = new Map<string, Required<TaskKnowledge>>();

  beforeAll(async () => {
    logs = loadLogs();
    for (const log of whoWhenLogs()) {
      const record = log.record as { question: string; ground_truth: unknown; history: Array<{ content: string }>; mistake_step: string };
      const known = knowledge.get(record.question) ?? { facts: [], errors: [] };
      known.facts.push(String(record.ground_truth));
      known.errors.push(record.history[Number(record.mistake_step)]!.content);
      knowledge.set(record.question, known);
    }
    server = await startJudgeServer({ knowledge: (task) => knowledge.get(task) });
    judge = createJudge({ baseURL: server.baseURL, model: 'rules', concurrency: 8 });
  });
  afterAll(() => server?.close());

  it('loads all 184 logs, none of them carrying a label once mistake_step is hidden', () => {
    expect(logs).toHaveLength(184);
    for (const { episode, annotated } of logs) {
      expect(annotated).toBeGreaterThanOrEqual(0);
      expect(episode.messages.every((message) => message.label === undefined)).toBe(true);
    }
  });

  it('labels, prefix values and binary search over recoverable all find the first error the rules name, in every log', async () => {
    const found = await Promise.all(logs.map(async ({ episode }) => {
      const labels = await judge.labels(episode);
      const prefix = await judge.prefixValues(episode);
      const search = await searchFirstError(episode.messages.length, (k) => judge.recoverable(episode, k));
      return {
        byLabel: labels.findIndex((entry) => entry.label === 'error'),
        // The first message after which the judged chance of success is gone.
        byPrefix: prefix.indexOf(0),
        bySearch: search.index,
      };
    }));
    const expected = logs.map(({ episode }) => labelsOf(episode.messages.map((message) => ({ text: message.content })), rulesFor(episode.task, (task) => knowledge.get(task))).findIndex((entry) => entry.label === 'error'));
    expect(found.map((f) => f.byLabel)).toEqual(expected);
    expect(found.map((f) => f.byPrefix)).toEqual(expected);
    expect(found.map((f) => f.bySearch)).toEqual(expected);
    // Every failure gets a first error, at or before its annotated mistake
    // (earlier when the mistaken message repeats an earlier one word for word).
    logs.forEach(({ annotated }, i) => {
      expect(expected[i]).toBeGreaterThanOrEqual(0);
      expect(expected[i]).toBeLessThanOrEqual(annotated);
    });
    const exact = logs.filter(({ annotated }, i) => expected[i] === annotated).length;
    expect(exact).toBeGreaterThan(170);
    // The cache: a second pass costs no request.
    const calls = server.calls;
    await Promise.all(logs.map(({ episode }) => judge.labels(episode)));
    expect(server.calls).toBe(calls);
  });
});
