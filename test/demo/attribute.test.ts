import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { attributeCommand } from '../../dist/cli/attribute.js';
import { distinctEpisodeId, fileEpisodeId } from '../../dist/episodes/episode-ids.js';
import { attributeSource, exportText, inspectSource } from '../../demo/src/attribute.js';
import type { EpisodeEntry, ExportKind, ResultEntry, RunOptions, Setup } from '../../demo/src/protocol.js';
import { cli } from '../support/cli.js';
import { genAiTrace } from '../support/ecosystems.js';
import { startJudgeServer } from '../support/judge-server.js';
import { tempDir } from '../support/temp-dir.js';

// The naming functions, watched: the page and the CLI must both call these, not copies of them.
vi.mock('../../dist/episodes/episode-ids.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../dist/episodes/episode-ids.js')>();
  return { ...original, fileEpisodeId: vi.fn(original.fileEpisodeId), distinctEpisodeId: vi.fn(original.distinctEpisodeId) };
});

const OPTIONS: RunOptions = { format: 'auto', method: 'auto', budget: 1000, seed: 0 };

function failedEpisode(withCoalitions: boolean): Record<string, unknown> {
  const agents = ['planner', 'coder'];
  const values = [0, 0.1, 0.2, 0.4];
  return {
    id: 'e1',
    agents,
    messages: [
      { id: 'm1', agent: 'planner', content: 'Plan.' },
      { id: 'm2', agent: 'coder', content: 'Wrong code.', label: 'error' },
    ],
    outcome: { score: 0.4, success: false },
    ...(withCoalitions ? { coalitions: values.map((value, mask) => ({ agents: agents.filter((_, i) => (mask >> i) & 1), value })) } : {}),
  };
}

async function run(record: unknown, setup: Setup) {
  const entries: ResultEntry[] = [];
  const result = await attributeSource({ name: 'one.json', text: JSON.stringify(record) }, OPTIONS, setup, null, () => undefined, (batch) => entries.push(...batch));
  return { result, episode: entries[0] as EpisodeEntry | undefined };
}

describe('attributeSource: the setup step', () => {
  it('an outcome chosen in the setup wins over the one the input holds', async () => {
    // Unlabelled: an error label would contradict the success.
    const record = failedEpisode(true);
    delete (record.messages as { label?: string }[])[1].label;
    const { episode } = await run(record, { outcome: { success: true, score: 0.4 } });
    expect(episode!.episode.outcome).toEqual({ success: true, score: 0.4 });
    expect(episode!.signals.success).toBe(true);
  });

  it('a score chosen in the setup wins when no coalition table gives v(team)', async () => {
    const { episode } = await run(failedEpisode(false), { outcome: { success: false, score: 0.7 } });
    expect(episode!.episode.outcome).toEqual({ success: false, score: 0.7 });
  });

  it('a score that contradicts the coalition table is reported at outcome.score', async () => {
    await expect(run(failedEpisode(true), { outcome: { success: false, score: 0.9 } })).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'outcome.score', message: expect.stringContaining('0.4') })],
    });
  });
});

describe('a JSON array of episodes', () => {
  it('is read in time linear in its length (each element located once, not by a scan of the whole text)', () => {
    const episodes = Array.from({ length: 5000 }, (_, k) => ({ id: `e${k}`, messages: [{ role: 'assistant', name: 'a', content: `message ${k}` }] }));
    const started = performance.now();
    expect(inspectSource({ name: 'many.json', text: JSON.stringify(episodes, null, 2) }, OPTIONS)).toBeNull();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

/** What the page's downloads hold for `text` loaded as `name`, per kind, and what the CLI writes for the same file. */
async function downloadsBesideCli(name: string, text: string, kinds: ExportKind[] = ['signals', 'rewards']) {
  const dir = tempDir('demo-ids-');
  writeFileSync(join(dir, name), text);
  await attributeSource({ name, text }, OPTIONS, {}, null, () => undefined, () => undefined);
  const page: Record<string, string> = {};
  const written: Record<string, string> = {};
  for (const kind of kinds) {
    page[kind] = exportText(kind);
    written[kind] = (await cli('attribute', join(dir, name), '--format', kind, '--skip-invalid')).stdout;
  }
  return { page, cli: written };
}

describe('episode ids', () => {
  const transcript = { messages: [{ role: 'user', content: 'Plan a trip.' }, { role: 'assistant', name: 'scout', content: 'Lisbon.' }, { role: 'assistant', name: 'booker', content: 'Booked.' }], outcome: { score: 1, success: true }, coalitions: [{ agents: [], value: 0 }, { agents: ['scout'], value: 0.5 }, { agents: ['booker'], value: 0.2 }, { agents: ['scout', 'booker'], value: 1 }] };

  it('are made by the functions the CLI makes them with (agent-credit/episodes: fileEpisodeId, distinctEpisodeId), with the same results', async () => {
    // Without an id, with one, and that one again: a default id, a kept id and a renamed one.
    const text = [transcript, { ...transcript, id: 'twice' }, { ...transcript, id: 'twice' }].map((record) => JSON.stringify(record)).join('\n');
    const named = () => ({
      file: vi.mocked(fileEpisodeId).mock.results.map((result) => result.value as string),
      distinct: vi.mocked(distinctEpisodeId).mock.results.map((result) => result.value as string | undefined),
    });
    vi.mocked(fileEpisodeId).mockClear();
    vi.mocked(distinctEpisodeId).mockClear();
    const entries: ResultEntry[] = [];
    await attributeSource({ name: 'examples/runs.jsonl', text }, OPTIONS, {}, null, () => undefined, (batch) => entries.push(...batch));
    const page = named();
    expect(page).toEqual({ file: ['runs:1', 'runs:2', 'runs:3'], distinct: ['runs:1', 'twice', 'runs:3/twice'] });
    expect(entries.map((entry) => (entry as EpisodeEntry).episode.id)).toEqual(page.distinct);

    const dir = tempDir('demo-ids-');
    writeFileSync(join(dir, 'runs.jsonl'), text);
    vi.mocked(fileEpisodeId).mockClear();
    vi.mocked(distinctEpisodeId).mockClear();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await attributeCommand([join(dir, 'runs.jsonl'), '-o', join(dir, 'signals.jsonl'), '--workers', '0']);
    } finally {
      stderr.mockRestore();
    }
    // The CLI names each record's file twice: for its default id (where it is parsed), and as the place of a repeated id (where ids are checked).
    expect(new Set(named().file)).toEqual(new Set(page.file));
    expect(named().distinct).toEqual(page.distinct);
    const rows = readFileSync(join(dir, 'signals.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    expect(rows).toEqual(page.distinct);
  });

  it('a record that holds several episodes (an OTel trace of two conversations) gives each of them', async () => {
    const first = genAiTrace('conv-a').otlp() as { resourceSpans: unknown[] };
    const second = genAiTrace('conv-b', 100).otlp() as { resourceSpans: unknown[] };
    const text = JSON.stringify({ resourceSpans: [...first.resourceSpans, ...second.resourceSpans] });
    const entries: ResultEntry[] = [];
    const result = await attributeSource({ name: 'trace.json', text }, OPTIONS, {}, null, () => undefined, (batch) => entries.push(...batch));
    expect(result.problems).toEqual([]);
    expect(entries.map((entry) => (entry as EpisodeEntry).episode.id)).toEqual(['conv-a', 'conv-b']);
    const { page, cli } = await downloadsBesideCli('trace.json', text, ['signals', 'kto', 'prm', 'rewards']);
    expect(page).toEqual(cli);
    expect(inspectSource({ name: 'trace.json', text }, OPTIONS)).toBeNull();
  });
});

describe('a connected judge that fails', () => {
  const unlabelled = (k: number) => ({ id: `run-${k}`, messages: [{ role: 'user', content: 'Name the capital. Facts: Paris' }, { role: 'assistant', name: 'writer', content: `Lyon, says record ${k}.` }], outcome: { score: 0, success: false } });
  const lines = [0, 1, 2].map((k) => JSON.stringify(unlabelled(k))).join('\n');

  it('stops the run at the first record it fails, said once as the judge’s problem, not as each record’s', async () => {
    const server = await startJudgeServer();
    try {
      server.inject('unauthorized', { times: 1000 });
      const run = attributeSource({ name: 'runs.jsonl', text: lines }, OPTIONS, {}, { baseURL: server.baseURL, model: 'rules', apiKey: 'sk-wrong' }, () => undefined, () => undefined);
      const error = await run.then(() => null, (failure: unknown) => failure);
      expect(error).toMatchObject({ problems: [{ line: null, field: 'judge', message: expect.stringMatching(/^the judge failed at line 1, so the run stopped there: judge: .*401/) }] });
      // The first record's requests only: the records after it were not sent to a judge known to fail.
      expect(server.requests.every((request) => JSON.stringify(request.body).includes('Lyon, says record 0.'))).toBe(true);
      const firstRecordCalls = server.calls;
      expect(firstRecordCalls).toBeGreaterThan(0);
      expect(firstRecordCalls).toBeLessThanOrEqual(4);
    } finally {
      await server.close();
    }
  });

  it('an endpoint URL that is not http(s) is the judge’s problem, not the input’s', async () => {
    await expect(attributeSource({ name: 'runs.jsonl', text: lines }, OPTIONS, {}, { baseURL: '127.0.0.1:8000/v1', model: 'rules' }, () => undefined, () => undefined)).rejects.toMatchObject({
      problems: [{ line: null, field: 'judge', message: expect.stringContaining('"127.0.0.1:8000/v1"') }],
    });
  });
});

describe('what is missing', () => {
  it('with a judge connected that found no first error, it does not ask to connect one', async () => {
    const server = await startJudgeServer();
    try {
      const record = { id: 'calm', messages: [{ role: 'user', content: 'Convert 3 miles to km.' }, { role: 'assistant', name: 'converter', content: '3 miles is 4.8 km.' }], outcome: { score: 0, success: false } };
      const result = await attributeSource({ name: 'calm.json', text: JSON.stringify(record) }, OPTIONS, {}, { baseURL: server.baseURL, model: 'rules' }, () => undefined, () => undefined);
      expect(server.calls).toBeGreaterThan(0);
      expect(result.missing.join('\n')).not.toContain('connect a judge');
      expect(result.missing).toContain('The run failed and neither its labels nor the judge located its first error: mark it in the setup step.');
    } finally {
      await server.close();
    }
  });
});

describe('problems', () => {
  it('of an unknown format point to the page’s format choice, not to the CLI’s --from', async () => {
    const error = await attributeSource({ name: 'odd.json', text: '{"turns": []}' }, OPTIONS, {}, null, () => undefined, () => undefined).then(() => null, (failure: unknown) => failure);
    const [problem] = (error as { problems: { message: string }[] }).problems;
    expect(problem.message).toMatch(/^not a known format \(an object with "turns"\);/);
    expect(problem.message).toMatch(/Choose the format under "Input format and method" to see every field at fault\.$/);
    expect(problem.message).not.toContain('--from');
  });

  it('of an empty JSON list say there are no records, as the CLI does, not that the format is unknown', async () => {
    for (const text of ['[]', '[\n]\n']) {
      const error = await attributeSource({ name: 'empty.json', text }, OPTIONS, {}, null, () => undefined, () => undefined).then(() => null, (failure: unknown) => failure);
      expect((error as { problems: unknown[] }).problems).toEqual([{ line: null, field: '', message: 'no records: the input is an empty JSON list; nothing to attribute' }]);
    }
    expect(inspectSource({ name: 'empty.json', text: '[]' }, OPTIONS)).toBeNull();
    const dir = tempDir('demo-empty-');
    writeFileSync(join(dir, 'empty.json'), '[]');
    expect((await cli('attribute', join(dir, 'empty.json'))).stderr).toMatch(/no records in .*empty\.json; nothing to attribute\nattribute: 0 episodes/);
  });

  it('are listed in the order of their lines, a line that is not JSON among the others', async () => {
    const good = JSON.stringify(failedEpisode(true));
    const text = [JSON.stringify({ a: 1 }), '{broken', good.replace('"e1"', '"e2"'), JSON.stringify({ b: 2 })].join('\n');
    const result = await attributeSource({ name: 'set.jsonl', text }, OPTIONS, {}, null, () => undefined, () => undefined);
    expect(result.problems.map((problem) => problem.line)).toEqual([1, 2, 4]);
  });
});

describe('a plain text log', () => {
  const log = 'Task: Find the capital of France.\nplanner: Ask the researcher.\nresearcher: The capital is Lyon.\nwriter: Final answer: Lyon.\n';

  it('is set up as a transcript: its speakers and messages, no outcome', () => {
    const draft = inspectSource({ name: 'run.txt', text: log }, OPTIONS);
    expect(draft).toMatchObject({ format: 'plain text transcript', outcome: null, speakers: [{ name: 'planner' }, { name: 'researcher' }, { name: 'writer' }] });
  });

  it('runs with the outcome and the first error set up', async () => {
    const draft = inspectSource({ name: 'run.txt', text: log }, OPTIONS)!;
    const { episode } = await runText(log, { outcome: { success: false, score: 0 }, firstError: draft.messages[1].id });
    expect(episode!.signals.firstError).toMatchObject({ agent: 'researcher' });
  });

  async function runText(text: string, setup: Setup) {
    const entries: ResultEntry[] = [];
    await attributeSource({ name: 'run.txt', text }, OPTIONS, setup, null, () => undefined, (batch) => entries.push(...batch));
    return { episode: entries[0] as EpisodeEntry | undefined };
  }
});
