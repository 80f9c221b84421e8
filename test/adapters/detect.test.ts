// --from auto: one record of each format (the foreign ones made by their own
// libraries, run offline) is sniffed as its format and read as its adapter
// reads it; a record that fits none, or fails in the adapter it was sniffed
// for, names file, line, field and the format assumed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { detectFormat, episodeFrom, episodesFrom, formatOf, FORMAT_LABELS, RECORD_FORMATS, type RecordFormat } from '../../src/episodes/adapters/index.js';
import { cli, root } from '../support/cli.js';
import { genAiTrace, langGraphCheckpoint, weatherRun } from '../support/ecosystems.js';
import { readJson } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const failed = { score: 0, success: false };

/** One record of every format, with the evaluation beside it where the format has none. */
async function recordsOfEveryFormat(): Promise<Record<RecordFormat, unknown>> {
  const run = await weatherRun();
  const { checkpoint } = await langGraphCheckpoint(false);
  return {
    episode: readJson('examples/episodes/03-book-flights.json'),
    whowhen: readJson('examples/whowhen/Algorithm-Generated/93.json'),
    openai: readJson('test/fixtures/openai-chat.json'),
    responses: { id: 'agents-run', input: run.input, newItems: run.newItems, outcome: failed },
    ag2: readJson('test/fixtures/ag2-groupchat.json'),
    autogen: readJson('test/fixtures/autogen-taskresult.json'),
    langchain: { ...checkpoint, outcome: failed },
    otel: genAiTrace().otlp(),
    text: { id: 'mast-1', trace: { trajectory: 'User: add 2 and 2\nSolver: 5\nChecker: 2 + 2 is 4, not 5.' }, outcome: failed },
  };
}

describe('format detection', () => {
  it('sniffs one record of every format as that format', async () => {
    const records = await recordsOfEveryFormat();
    for (const format of RECORD_FORMATS) expect([format, detectFormat(records[format])]).toEqual([format, format]);
    // Bare lists: chat messages, LangChain messages, Responses items, spans; a JSON string is a text log.
    expect(detectFormat([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }])).toBe('openai');
    expect(detectFormat([{ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', 'HumanMessage'], kwargs: { content: 'hi' } }])).toBe('langchain');
    expect(detectFormat([{ type: 'human', content: 'hi' }])).toBe('langchain');
    // Python's model_dump of a chunk, and class names as type.
    expect(detectFormat([{ type: 'ToolMessageChunk', content: 'ok', tool_call_id: 'c' }])).toBe('langchain');
    expect(detectFormat({ messages: [{ type: 'HumanMessage', content: 'hi' }] })).toBe('langchain');
    expect(detectFormat([{ spanId: 'a', traceId: 'b', name: 'x' }])).toBe('otel');
    expect(detectFormat('Alice: hi')).toBe('text');
    // An Agents SDK history whose input was given as { role, content } (the usual way to call run()) is no Who&When log.
    const sdkHistory = { id: 'x', history: [{ role: 'user', content: 'q' }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }] }] };
    expect(detectFormat(sdkHistory)).toBe('responses');
  });

  it('episodesFrom(auto) reads each record as its own adapter does', async () => {
    const records = await recordsOfEveryFormat();
    for (const format of RECORD_FORMATS) {
      expect(episodesFrom('auto', records[format], {}, { id: 'fallback' })).toEqual(episodesFrom(format, records[format], {}, { id: 'fallback' }));
    }
  });

  it('an unknown format name is an InputError listing the formats, with the nearest name', () => {
    const record = readJson('test/fixtures/openai-chat.json');
    const formats = 'auto, episode, openai, responses, ag2, autogen, langchain, otel, text, whowhen';
    for (const read of [episodeFrom, episodesFrom]) {
      expect(() => read('openaii' as never, record)).toThrow(InputError);
      expect(() => read('openaii' as never, record)).toThrow(`format: unknown input format "openaii" (did you mean openai?); expected one of ${formats}`);
      expect(() => read('csv' as never, record)).toThrow(`format: unknown input format "csv"; expected one of ${formats}`);
      // Names of Object's own methods are not adapters either.
      expect(() => read('constructor' as never, record)).toThrow(/format: unknown input format "constructor"/);
      expect(() => read(undefined as never, record)).toThrow(`format: expected an input format name (${formats}), got undefined`);
    }
  });

  it('a record read as another format than its own: the error says which format it looks like', async () => {
    const records = await recordsOfEveryFormat();
    const episode = records.episode as { id: string };
    expect(() => episodesFrom('openai', episode, { file: 'runs.jsonl', line: 3 })).toThrow(
      `runs.jsonl line 3, episode "${episode.id}" (read as OpenAI chat messages as asked; it looks like episode v1, which format "episode" (--from episode) or "auto" reads): messages[0].role: expected a non-empty string, got undefined`,
    );
    for (const format of RECORD_FORMATS) {
      for (const asked of RECORD_FORMATS.filter((other) => other !== format)) {
        let message = '';
        try {
          episodesFrom(asked, records[format], {}, { id: 'fallback' });
        } catch (error) {
          message = (error as Error).message;
        }
        // Some records also fit a format they are not (a Who&When history is a list of chat messages); those are read.
        if (message !== '') expect(message, `${format} read as ${asked}`).toContain(`it looks like ${FORMAT_LABELS[format]}, which format "${format}" (--from ${format})`);
      }
    }
  });

  it('a record that fits no format: what it resembles most and which fields it lacks', () => {
    expect(() => formatOf({ history: [{ speaker: 'A', text: 'x' }], question: 'q' })).toThrow(
      /not a known format \(an object with "history", "question"\); closest: Who&When log \(missing history\[0\]\.content, mistake_agent, mistake_step\)/,
    );
    expect(() => formatOf({ messages: [{ text: 'x' }], outcome: failed })).toThrow(/closest: episode v1 \(missing messages\[0\]\.agent, messages\[0\]\.content, agents\)/);
    expect(() => formatOf(42)).toThrow(/not a known format \(42\); expected one of episode v1, OpenAI chat messages/);
  });
});

describe('agent-credit attribute --from auto (the default)', () => {
  it('reads a file holding a record of every format, each as its format', async () => {
    const records = await recordsOfEveryFormat();
    const dir = tempDir('auto-');
    const input = join(dir, 'mixed.jsonl');
    writeFileSync(input, RECORD_FORMATS.map((format) => JSON.stringify(records[format])).join('\n') + '\n');
    const { code, stdout, stderr } = await cli('attribute', input, '--workers', '0');
    expect(code, stderr).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; agents: Array<{ agent: string }> });
    const expected = RECORD_FORMATS.flatMap((format, k) => episodesFrom(format, records[format], { file: input, line: k + 1 }, { id: `${input.slice(0, -'.jsonl'.length)}:${k + 1}` }));
    expect(rows.map((row) => [row.id, row.agents.map((agent) => agent.agent)])).toEqual(expected.map((episode) => [episode.id, episode.agents]));
    expect(stderr).toMatch(new RegExp(`attribute: ${RECORD_FORMATS.length} episodes`));
  });

  it('bad records name file, line, field and the format assumed', async () => {
    const dir = tempDir('auto-bad-');
    const input = join(dir, 'bad.jsonl');
    const log = readJson('examples/whowhen/Algorithm-Generated/93.json') as Record<string, unknown>;
    writeFileSync(input, [
      JSON.stringify({ ...log, mistake_step: '99' }),
      JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'text', text: 'x' }], tool_calls: [{ id: 'c' }] }], outcome: failed }),
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 't', name: 'chat' }] }] }] }),
      JSON.stringify({ foo: 1 }),
      JSON.stringify({ newItems: [{ type: 'message_output_item', rawItem: { type: 'message', role: 'assistant', content: 'ok' }, agent: { name: 'a' } }, { type: 'tool_call_item', rawItem: { type: 'telepathy' } }], outcome: failed }),
      JSON.stringify({ messages: [{ source: 'planner', type: 'TextMessage' }, { type: 'TextMessage', content: 'x' }, { source: 'coder', content: 'y' }], outcome: failed }),
      JSON.stringify({ channel_values: { messages: [{ type: 'human', content: 'a' }, { type: 'remove', id: 'nope' }] }, outcome: failed }),
      JSON.stringify({ trajectory: 'no speaker lines at all', outcome: failed }),
      JSON.stringify({ chat_history: [{ name: 'Admin', role: 'user', content: 'go' }, { name: 'Coder', role: 'user', content: 'x', tool_calls: [{ id: 'c', function: {} }] }], outcome: failed }),
    ].join('\n') + '\n');
    const { stderr } = await cli('attribute', input, '--skip-invalid', '--workers', '0');
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 1, episode .* \(read as Who&When log\): mistake_step: expected a 0-based index into history \(0\.\.5\)/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 2, episode .* \(read as OpenAI chat messages\): messages\[1\]\.tool_calls\[0\]: expected a tool call \{ id, function: \{ name, arguments \} \}/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 3, episode .* \(read as OpenTelemetry \/ OpenInference spans\): resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.spanId: expected the span's id/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 4, episode ".*bad:4": not a known format \(an object with "foo"\); expected one of episode v1/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 5, .* \(read as OpenAI Responses \/ Agents SDK items\): newItems\[1\]\.type: unknown Responses item type "telepathy"/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 6, .* \(read as AutoGen AgentChat TaskResult\): messages\[1\]\.source: expected a non-empty string/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 7, .* \(read as LangChain \/ LangGraph messages\): channel_values\.messages\[1\]\.id: RemoveMessage for "nope"/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 8, .* \(read as plain text transcript\): trajectory: no speaker lines/);
    expect(stderr).toMatch(/skipped .*bad\.jsonl line 9, .* \(read as AG2 GroupChat\): chat_history\[1\]\.tool_calls\[0\]: expected a tool call/);
    expect(stderr).toMatch(/attribute: 0 episodes/);
  });

  it('the bundled Who&When examples need no --from', async () => {
    const { code, stdout, stderr } = await cli('attribute', join(root, 'examples/whowhen'), '--format', 'rewards');
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n').length).toBeGreaterThan(0);
    expect(readFileSync(join(root, 'examples/whowhen/Hand-Crafted/6.json'), 'utf8')).toContain('mistake_step');
  });
});
