// End to end: `agent-credit attribute --judge` and `bench-whowhen` against
// the loopback judge server (test/support/judge-server.ts), whose documented
// rules make every value and first error known. The CLI runs as a child
// process; the server counts every request.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromWhoWhen } from '../src/episodes/adapters/index.js';
import { parseEpisode } from '../src/episodes/episode.js';
import { bin, cli, root } from './support/cli.js';
import { judgeKey, judgeSummary, type JudgedRun } from '../src/cli/judged-run.js';
import { labelsOf, rulesFor, startJudgeServer, type JudgeServer, type TaskKnowledge } from './support/judge-server.js';
import { WHOWHEN_RELEASE, whoWhenLogs } from './support/whowhen-release.js';

interface Log {
  file: string;
  record: Record<string, unknown> & { question: string; history: Array<{ content: string }>; mistake_step: string; mistake_agent: string; ground_truth: unknown };
}

const loadLogs = () => whoWhenLogs() as Log[];

const lines = (text: string) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, any>);

/** The CLI as a child process we can kill; resolves with its exit code (or signal) and output. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** The CLI under a file-size limit of `blocks` 512-byte blocks (POSIX sh): Node ignores SIGXFSZ, so a write past it fails with EFBIG, as on a full disk. */
function limitedCli(blocks: number, args: string[]) {
  const quoted = [process.execPath, bin, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('/bin/sh', ['-c', `ulimit -f ${blocks} && exec ${quoted}`], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe("the summary line's judge part", () => {
  it('counts one call and one cache hit in the singular', () => {
    const run = (calls: number, cacheHits: number) => ({ judge: { usage: () => ({ calls, cacheHits, promptTokens: 608, completionTokens: 139 }) } }) as unknown as JudgedRun;
    expect(judgeSummary(run(1, 1))).toBe('; judge: 1 call, 1 cache hit, 608 prompt + 139 completion tokens');
    expect(judgeSummary(run(0, 184))).toBe('; judge: 0 calls, 184 cache hits, 608 prompt + 139 completion tokens');
  });
});

describe('agent-credit attribute --judge on the 184 Who&When logs (mistake_step hidden)', () => {
  let server: JudgeServer;
  let dir: string;
  let logs: Log[];
  let hiddenFile: string;
  const knowledge = new Map<string, Required<TaskKnowledge>>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-credit-judge-cli-'));
    logs = loadLogs();
    for (const { record } of logs) {
      const known = knowledge.get(record.question) ?? { facts: [], errors: [] };
      known.facts.push(String(record.ground_truth));
      known.errors.push(record.history[Number(record.mistake_step)]!.content);
      knowledge.set(record.question, known);
    }
    server = await startJudgeServer({ knowledge: (task) => knowledge.get(task) });
    // What the CLI reads: each log without its annotation, under an id of its own (question ids repeat across subsets).
    hiddenFile = join(dir, 'whowhen-hidden.jsonl');
    writeFileSync(hiddenFile, logs.map(({ file, record }) => {
      const { mistake_step: _s, mistake_agent: _a, mistake_reason: _r, ...hidden } = record;
      return JSON.stringify({ ...hidden, id: file });
    }).join('\n') + '\n');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every failure gets a first error found by the judge; a second run with the cache makes zero calls', async () => {
    const cache = join(dir, 'judge-cache.jsonl');
    const out = join(dir, 'signals.jsonl');
    const first = await cli('attribute', hiddenFile, '--from', 'whowhen', '--judge', server.baseURL, '--model', 'rules', '--judge-cache', cache, '-o', out);
    expect(first.stderr).toMatch(/attribute: 184 episodes \(0 success, 184 failure\) -> 184 signals rows/);
    expect(first.code).toBe(0);
    const calls = server.calls;
    // One labels call per log (the default strategy).
    expect(calls).toBe(184);
    expect(first.stderr).toMatch(/judge: 184 calls, 0 cache hits, \d+ prompt \+ \d+ completion tokens/);
    const signals = lines(readFileSync(out, 'utf8'));
    let exact = 0;
    signals.forEach((row, k) => {
      const { file, record } = logs[k];
      expect(row.id).toBe(file);
      expect(row.firstError).not.toBeNull();
      expect(row.sources.firstError).toBe('judged');
      expect(row.messages.length).toBeGreaterThan(0);
      expect(row.usage.calls).toBe(1);
      // The rules' first error among the players' messages (the judged episode's context messages are never blamed).
      const episode = parseEpisode({ ...fromWhoWhen({ ...record, mistake_step: undefined }), id: file });
      const players = new Set(episode.agents);
      const rules = labelsOf(episode.messages.map((message) => ({ text: message.content })), rulesFor(episode.task, (task) => knowledge.get(task)));
      const expected = rules.findIndex((label, m) => label.label === 'error' && players.has(episode.messages[m].agent));
      expect(row.firstError.index).toBe(expected);
      if (row.firstError.index === Number(record.mistake_step)) exact++;
    });
    expect(exact).toBeGreaterThan(170);

    const second = await cli('attribute', hiddenFile, '--from', 'whowhen', '--judge', server.baseURL, '--model', 'rules', '--judge-cache', cache, '-o', join(dir, 'again.jsonl'));
    expect(second.code).toBe(0);
    expect(server.calls).toBe(calls);
    expect(second.stderr).toMatch(/judge: 0 calls, 184 cache hits/);
    const again = lines(readFileSync(join(dir, 'again.jsonl'), 'utf8'));
    for (const row of again) expect(row.usage).toMatchObject({ calls: 0, cacheHits: 1 });
    const withoutUsage = (rows: Array<Record<string, any>>) => rows.map(({ usage: _, ...row }) => row);
    expect(withoutUsage(again)).toEqual(withoutUsage(signals));
  });

  it('a run killed halfway and restarted makes only the calls not yet made', async () => {
    const slow = await startJudgeServer({ knowledge: (task) => knowledge.get(task), delayMs: 15 });
    try {
      const cache = join(dir, 'killed-cache.jsonl');
      const args = ['attribute', hiddenFile, '--from', 'whowhen', '--judge', slow.baseURL, '--model', 'rules', '--judge-cache', cache, '--concurrency', '2', '-o', join(dir, 'killed.jsonl')];
      const killed = spawnCli(args);
      while (slow.calls < 60) await new Promise((resolve) => setTimeout(resolve, 10));
      killed.child.kill('SIGTERM');
      const ended = await killed.done;
      expect(ended.code === 0).toBe(false);
      const before = slow.calls;
      const answered = slow.requests.filter((request) => request.end > 0 && request.status === 200).length;
      expect(before).toBeLessThan(184);
      const resumed = await cli(...args);
      expect(resumed.code).toBe(0);
      const made = slow.calls - before;
      // Every reply the run had taken in was kept: at most the requests in flight when it died (2) are asked again.
      expect(made).toBeGreaterThanOrEqual(184 - before);
      expect(made).toBeLessThanOrEqual(184 - answered + 2);
      expect(slow.maxInFlight).toBeLessThanOrEqual(2);
      expect(lines(readFileSync(join(dir, 'killed.jsonl'), 'utf8'))).toHaveLength(184);
    } finally {
      await slow.close();
    }
  });

  it('a server that cuts the logs to a 2,048-token context (Ollama\'s way): the run stops at the third long log, saying so, even with --skip-invalid', async () => {
    const cutting = await startJudgeServer({ knowledge: (task) => knowledge.get(task), cutAt: 2048 });
    try {
      const { code, stderr } = await cli('attribute', hiddenFile, '--from', 'whowhen', '--judge', cutting.baseURL, '--model', 'rules', '--concurrency', '1', '--skip-invalid', '-o', join(dir, 'cut.jsonl'));
      expect(code).toBe(1);
      expect(stderr).toMatch(/the judge failed: judge: labels of episode .*the server counted 2048 prompt tokens for each of 3 prompts of [\d,]+ to [\d,]+ characters: it cuts prompts longer than its context to fit \(Ollama/);
      // A labels reply from a cut prompt misses the messages cut away (asked again, it still does): such an episode is
      // skipped until a third prompt of another length, over 6 characters for each token counted, gives the server away.
      const chars = (request: { body: Record<string, unknown> }) => (request.body.messages as Array<{ content: string }>).reduce((sum, message) => sum + message.content.length, 0);
      expect(cutting.requests.filter((request) => chars(request) > 6 * 2048).length).toBeLessThanOrEqual(6);
      expect(stderr.match(/skipped /g)?.length ?? 0).toBeLessThanOrEqual(2);
      expect(existsSync(join(dir, 'cut.jsonl'))).toBe(false);
    } finally {
      await cutting.close();
    }
  });

  it('bench-whowhen with a judge that cannot be reached: one line naming the judgement and the refusal, no stack trace', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { code, stderr } = await cli('bench-whowhen', join(WHOWHEN_RELEASE, 'Hand-Crafted', '6.json'), '--judge', `http://127.0.0.1:${port}/v1`, '--model', 'rules');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^agent-credit: judge: \w+ of episode .*no response from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: fetch failed: .*ECONNREFUSED/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('bench-whowhen with a file that is not a judge cache: named by --judge-cache before any request', async () => {
    const notCache = join(dir, 'bench-not-a-cache.jsonl');
    writeFileSync(notCache, '{"id":"x"}\n');
    const before = server.calls;
    const { code, stderr } = await cli('bench-whowhen', join(WHOWHEN_RELEASE, 'Hand-Crafted', '6.json'), '--judge', server.baseURL, '--model', 'rules', '--judge-cache', notCache);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^agent-credit: --judge-cache ${notCache}: line 1: expected a stored judge reply`));
    expect(server.calls).toBe(before);
  });

  it('bench-whowhen prints the accuracy table of each strategy with the annotations hidden from the judge', async () => {
    const before = server.calls;
    const cache = join(dir, 'bench-cache.jsonl');
    const { code, stdout, stderr } = await cli('bench-whowhen', WHOWHEN_RELEASE, '--judge', server.baseURL, '--model', 'rules', '--json', '--concurrency', '8', '--judge-cache', cache);
    expect(stderr).toMatch(/bench-whowhen: 184 logs, 3 strategies/);
    expect(code).toBe(0);
    const table = JSON.parse(stdout) as { logs: number; rows: Array<Record<string, any>> };
    expect(table.logs).toBe(184);
    expect(table.rows.map((row) => `${row.strategy}/${row.subset}`)).toEqual([
      'labels/Algorithm-Generated', 'labels/Hand-Crafted', 'labels/all',
      'prefix/Algorithm-Generated', 'prefix/Hand-Crafted', 'prefix/all',
      'binary/Algorithm-Generated', 'binary/Hand-Crafted', 'binary/all',
    ]);
    // No request carried an annotation: the judge never saw mistake_step, mistake_agent or mistake_reason.
    for (const request of server.requests.slice(before)) expect(JSON.stringify(request.body)).not.toMatch(/mistake_(step|agent|reason)/);
    for (const row of table.rows.filter((entry) => entry.subset === 'all')) {
      // The server's rules name each log's annotated mistake text as an error: every strategy locates one in every log.
      expect(row.located).toBe(184);
      expect(row.stepAccuracy).toBeGreaterThan(0.9);
      expect(row.within1).toBeGreaterThanOrEqual(row.stepAccuracy);
      expect(row.within3).toBeGreaterThanOrEqual(row.within1);
      expect(row.agentAccuracy).toBeGreaterThan(0.85);
    }
    const labels = table.rows.find((row) => row.strategy === 'labels' && row.subset === 'all')!;
    expect(labels.callsPerLog).toBe(1);
    const binary = table.rows.find((row) => row.strategy === 'binary' && row.subset === 'all')!;
    expect(binary.callsPerLog).toBeGreaterThan(1);
    // The text table, from the cache: no new calls.
    const calls = server.calls;
    const text = await cli('bench-whowhen', WHOWHEN_RELEASE, '--judge', server.baseURL, '--model', 'rules', '--strategy', 'labels', '--judge-cache', cache);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^strategy\s+subset\s+logs\s+located\s+agent\s+step\s+\+-1\s+\+-3\s+calls\/log\s+tokens\/log$/m);
    expect(text.stdout).toMatch(/^labels\s+all\s+184\s+184\s/m);
    expect(text.stdout).toMatch(/Who&When paper, best method: agent 53\.5%, step 14\.2%/);
    expect(server.calls).toBe(calls);
  });

  it('bench-whowhen on one log file: one log, named by its file name', async () => {
    const file = join(WHOWHEN_RELEASE, 'Hand-Crafted', readdirSync(join(WHOWHEN_RELEASE, 'Hand-Crafted')).sort()[0]);
    const { code, stdout, stderr } = await cli('bench-whowhen', file, '--judge', server.baseURL, '--model', 'rules', '--json', '--strategy', 'labels');
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/bench-whowhen: 1 log, 1 strategy;/);
    const table = JSON.parse(stdout) as { logs: number; rows: Array<Record<string, any>> };
    expect(table.logs).toBe(1);
    expect(table.rows.map((row) => `${row.strategy}/${row.subset}/${row.logs}/${row.located}`)).toEqual(['labels/all/1/1']);
  });
});

/** An OpenAI chat transcript of a 3-agent team with system, user and tool turns; the facts of its task are in Facts:. */
function openaiTranscript(id: string, facts: string[], says: { planner: string; coder: string; critic: string }, success = true) {
  return {
    id,
    task: `Find the facts.\nFacts: ${facts.join("; ")}`,
    outcome: { score: success ? 1 : 0, success },
    messages: [
      { role: 'system', content: 'You are a team of three.' },
      { role: 'user', content: 'Please find the facts.' },
      { role: 'assistant', name: 'planner', content: says.planner, tool_calls: [{ id: `call-${id}`, type: 'function', function: { name: 'web_search', arguments: '{"q":"facts"}' } }] },
      { role: 'tool', tool_call_id: `call-${id}`, content: 'search results: nothing new' },
      { role: 'assistant', name: 'coder', content: says.coder },
      { role: 'assistant', name: 'critic', content: says.critic },
    ],
  };
}

describe('agent-credit attribute --judge on OpenAI transcripts', () => {
  let server: JudgeServer;
  let dir: string;
  beforeAll(async () => {
    server = await startJudgeServer({ delayMs: 5 });
    dir = mkdtempSync(join(tmpdir(), 'agent-credit-judge-openai-'));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const transcripts = () => [
    openaiTranscript('t1', ['alpha', 'beta', 'gamma'], { planner: 'alpha first', coder: 'beta next', critic: 'gamma and alpha' }),
    openaiTranscript('t2', ['delta', 'epsilon'], { planner: 'nothing yet', coder: 'delta', critic: 'epsilon' }),
    openaiTranscript('t3', ['zeta'], { planner: 'zeta', coder: 'WRONG: omega', critic: 'agreed' }, false),
  ];

  it('a success gets exact judged credit over the 3 agents (system, user and tool are context); a failure its judged first error', async () => {
    const input = join(dir, 'runs.jsonl');
    writeFileSync(input, transcripts().map((t) => JSON.stringify(t)).join('\n') + '\n');
    server.reset();
    // No --agents: the adapter makes system, user and tool turns context (the tool result joins the planner's turn).
    const { code, stdout, stderr } = await cli('attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--concurrency', '3');
    expect(stderr).toMatch(/attribute: 3 episodes \(2 success, 1 failure\)/);
    expect(code).toBe(0);
    const [t1, t2, t3] = lines(stdout);
    expect(t1.agents.map((agent: { agent: string }) => agent.agent)).toEqual(['planner', 'coder', 'critic']);
    // Facts alpha (planner, critic), beta (coder), gamma (critic): Shapley 1/6, 1/3, 1/2 of v(team) = 1.
    expect(t1.agents.map((agent: { credit: number }) => agent.credit)).toEqual([1 / 6, 1 / 3, 1 / 2].map((x) => expect.closeTo(x, 12)));
    expect(t1.sources.team).toEqual({ value: 1, source: 'judged', outcomeScore: 1 });
    expect(t1.messages.map((message: { agent: string }) => message.agent)).toEqual(['planner', 'coder', 'critic']);
    expect(t2.agents.map((agent: { credit: number }) => agent.credit)).toEqual([0, 0.5, 0.5].map((x) => expect.closeTo(x, 12)));
    expect(t3.firstError).toMatchObject({ agent: 'coder', index: 3 });
    expect(t3.sources.firstError).toBe('judged');
    // 2^3 coalitions per success (none needed twice), one labels call per episode.
    const byJudgement = (judgement: string) => server.requests.filter((request) => request.judgement === judgement).length;
    expect(byJudgement('value')).toBe(16);
    expect(byJudgement('labels')).toBe(3);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.maxInFlight).toBeGreaterThan(1);
    // Every counterfactual kept the system, user and tool turns.
    for (const request of server.requests.filter((entry) => entry.judgement === 'value')) {
      expect(request.messages.filter((message) => message.as === 'context').map((message) => message.from)).toEqual(expect.arrayContaining(['system', 'user']));
    }
  });

  it('a LangChain conversation serialized by @langchain/core runs end to end: the human is context, the ToolMessage joins its caller', async () => {
    const { AIMessage, HumanMessage, SystemMessage, ToolMessage } = await import('@langchain/core/messages');
    const conversation = (id: string, says: string[], success: boolean) => ({
      id,
      task: 'Report the facts.\nFacts: alpha; beta',
      outcome: { score: success ? 1 : 0, success },
      // JSON.stringify gives LangChain's own serialization ({ lc, type, id, kwargs }), as dumpd does.
      messages: JSON.parse(JSON.stringify([
        new SystemMessage('You are a research team.'),
        new HumanMessage('What are the facts?'),
        new AIMessage({ name: 'researcher', content: says[0], tool_calls: [{ id: `call-${id}`, name: 'lookup', args: { q: 'facts' } }] }),
        new ToolMessage({ tool_call_id: `call-${id}`, content: 'lookup: no match' }),
        new AIMessage({ name: 'writer', content: says[1] }),
        new AIMessage({ name: 'checker', content: says[2] }),
      ])),
    });
    const input = join(dir, 'langchain.jsonl');
    writeFileSync(input, [conversation('lc-1', ['alpha', 'beta', 'both confirmed'], true), conversation('lc-2', ['alpha', 'WRONG: gamma', 'fine'], false)].map((c) => JSON.stringify(c)).join('\n') + '\n');
    server.reset();
    const { code, stdout, stderr } = await cli('attribute', input, '--from', 'langchain', '--judge', server.baseURL, '--model', 'rules');
    expect(stderr).toMatch(/attribute: 2 episodes \(1 success, 1 failure\)/);
    expect(code).toBe(0);
    const [success, failure] = lines(stdout);
    expect(success.agents.map((agent: { agent: string }) => agent.agent)).toEqual(['researcher', 'writer', 'checker']);
    // alpha from the researcher, beta from the writer: 1/2 each of v(team) = 1; the checker adds nothing.
    expect(success.agents.map((agent: { credit: number }) => agent.credit)).toEqual([0.5, 0.5, 0].map((x) => expect.closeTo(x, 12)));
    expect(success.messages).toHaveLength(3);
    expect(failure.firstError).toMatchObject({ agent: 'writer' });
    expect(failure.sources.firstError).toBe('judged');
  });

  it("judged labels that contradict judged credit give way to it, with a warning naming the episode, agent and label; the record's own labels stay an error", async () => {
    // b states the fact with an error that c corrects: the coalitions with both are worth 1, so b's credit is 1/2, while the judge labels its only message an error.
    const contra = {
      id: 'contra', task: 'Lisbon trip\nFacts: Casa Azul', outcome: { score: 1, success: true },
      messages: [
        { role: 'user', content: 'Book a hotel.' },
        { role: 'assistant', name: 'a', content: 'hello team' },
        { role: 'assistant', name: 'b', content: 'WRONG: I booked Casa Azul for 400 EUR.' },
        { role: 'assistant', name: 'c', content: 'CORRECTION: price fixed to 240 EUR.' },
      ],
    };
    const input = join(dir, 'contra.jsonl');
    writeFileSync(input, JSON.stringify(contra) + '\n');
    const { code, stdout, stderr } = await cli('attribute', input, '--judge', server.baseURL, '--model', 'rules');
    expect(stderr).toMatch(/attribute: 1 episode \(1 success, 0 failure\) -> 1 signals row, .*1 warning/);
    expect(code).toBe(0);
    expect(stderr).toMatch(/warning: .*contra\.jsonl line 1, episode "contra": agent "b": its credit 0\.5 cannot be split over its messages as the judge labelled them \(message "2" labelled error: .*set aside/);
    const [row] = lines(stdout);
    expect(row.agents.map((agent: { credit: number }) => agent.credit)).toEqual([0, 0.5, 0.5].map((x) => expect.closeTo(x, 12)));
    expect(row.messages.find((message: { agent: string }) => message.agent === 'b').reward).toBeCloseTo(0.5, 12);
    expect(row.sources.messages.find((message: { id: string }) => message.id === '2')).toMatchObject({ label: null, setAside: { label: 'error' } });

    // The same run from an episode record whose own label says error: the user can fix that label, so it stops there.
    const given = join(dir, 'contra-given.jsonl');
    writeFileSync(given, JSON.stringify({
      id: 'contra-given', task: contra.task, agents: ['a', 'b', 'c'], context: ['user'], outcome: { score: 1, success: true },
      messages: contra.messages.map((message, m) => ({ id: String(m), agent: message.name ?? message.role, content: message.content, ...(message.name === 'b' ? { label: 'error' } : {}) })),
    }) + '\n');
    const stopped = await cli('attribute', given, '--judge', server.baseURL, '--model', 'rules');
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/episode "contra-given": agent "b": credit 0\.5 cannot be split .*The labels contradict the credit; check them/);
  });

  it("--strategy prefix or binary keeps a recorded first error (Who&When's mistake_step) and asks the judge only where there is none", async () => {
    const logs = ['1', '2', '3'].map((name) => JSON.parse(readFileSync(join(WHOWHEN_RELEASE, 'Hand-Crafted', `${name}.json`), 'utf8')));
    const input = join(dir, 'whowhen-annotated');
    mkdirSync(input, { recursive: true });
    logs.forEach((log, k) => writeFileSync(join(input, `${k + 1}.json`), JSON.stringify(log)));
    for (const strategy of ['prefix', 'binary']) {
      server.reset();
      const { code, stdout, stderr } = await cli('attribute', input, '--judge', server.baseURL, '--model', 'rules', '--strategy', strategy);
      expect(code, stderr).toBe(0);
      expect(stderr).not.toMatch(/no first error located/);
      const rows = lines(stdout);
      expect(rows.map((row) => row.firstError?.index)).toEqual(logs.map((log) => Number(log.mistake_step)));
      expect(rows.every((row) => row.sources.firstError === 'given' && row.firstError.strategy === 'label')).toBe(true);
      expect(server.requests.filter((request) => request.judgement === 'prefix_values' || request.judgement === 'recoverable')).toHaveLength(0);
    }
  });

  it('--agents overrides who the players are: everyone else is context, kept in every counterfactual', async () => {
    const input = join(dir, 'agents.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    const { code, stdout } = await cli('attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder');
    expect(code).toBe(0);
    const [row] = lines(stdout);
    expect(row.agents.map((agent: { agent: string }) => agent.agent)).toEqual(['planner', 'coder']);
    // The critic's "gamma and alpha" is context: v(no player) = 2/3, the coder adds beta, the planner nothing new.
    expect(row.agents.map((agent: { credit: number }) => agent.credit)).toEqual([0, 1 / 3].map((x) => expect.closeTo(x, 12)));
    expect(row.messages.map((message: { agent: string }) => message.agent)).toEqual(['planner', 'coder']);
  });

  it('--agents re-casts episode records without coalitions: the other speakers become context', async () => {
    const input = join(dir, 'episodes.jsonl');
    const record = {
      id: 'e1', task: 'Find the facts.\nFacts: alpha; beta', outcome: { score: 1, success: true },
      agents: ['user', 'planner', 'coder'],
      messages: [{ agent: 'user', content: 'go' }, { agent: 'planner', content: 'alpha' }, { agent: 'coder', content: 'beta' }],
    };
    writeFileSync(input, JSON.stringify(record) + '\n' + JSON.stringify({ ...record, id: 'e2', coalitions: [{ agents: [], value: 0 }] }) + '\n');
    const { code, stdout, stderr } = await cli('attribute', input, '--from', 'episode', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder', '--skip-invalid');
    expect(code).toBe(0);
    const [row] = lines(stdout);
    expect(row.agents.map((agent: { agent: string }) => agent.agent)).toEqual(['planner', 'coder']);
    expect(row.agents.map((agent: { credit: number }) => agent.credit)).toEqual([0.5, 0.5].map((x) => expect.closeTo(x, 12)));
    expect(stderr).toMatch(/skipped .*episode "e2": agents: cannot make planner, coder the players of an episode that brings coalitions/);
  });

  it('--budget is never exceeded: below 2^n the credit is sampled with standard errors', async () => {
    const input = join(dir, 'budget.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    server.reset();
    const { code, stdout } = await cli('attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--budget', '5', '--team-value', 'outcome');
    expect(code).toBe(0);
    const [row] = lines(stdout);
    expect(server.requests.filter((request) => request.judgement === 'value').length).toBeLessThanOrEqual(5);
    expect(row.agents.every((agent: { stderr: number | null }) => agent.stderr !== null)).toBe(true);
    expect(row.sources.team).toEqual({ value: 1, source: 'given', outcomeScore: 1 });
  });

  it('reads the API key from the environment variable only, and never writes it', async () => {
    const input = join(dir, 'key.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[2]) + '\n');
    const cache = join(dir, 'key-cache.jsonl');
    server.reset();
    const run = spawnCli(['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--judge-key-env', 'MY_JUDGE_KEY', '--judge-cache', cache], { MY_JUDGE_KEY: 'sk-test-secret-123' });
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(0);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-test-secret-123');
    for (const text of [stdout, stderr, readFileSync(cache, 'utf8')]) expect(text).not.toContain('sk-test-secret');
    const missing = await cli('attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--judge-key-env', 'NO_SUCH_KEY_VAR');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--judge-key-env: the environment variable NO_SUCH_KEY_VAR is not set/);
  });

  it('OPENAI_API_KEY by default goes only over https or to this machine; a named variable goes wherever --judge points', async () => {
    const env = { OPENAI_API_KEY: 'sk-openai-789', LAN_KEY: 'lan-key-012' };
    const keyFor = (judge: string, keyEnv?: string) => judgeKey({ judge, ...(keyEnv ? { 'judge-key-env': keyEnv } : {}) }, env);
    for (const url of ['http://127.0.0.1:8000/v1', 'http://localhost:11434/v1', 'http://[::1]:8000/v1', 'https://api.openai.com/v1', 'https://gpu-box.lan/v1']) {
      expect(keyFor(url), url).toEqual({ apiKey: 'sk-openai-789', variable: 'OPENAI_API_KEY', sent: true, withheld: false });
    }
    for (const url of ['http://192.168.1.20:8000/v1', 'http://gpu-box.lan:11434/v1']) {
      expect(keyFor(url), url).toEqual({ variable: 'OPENAI_API_KEY', sent: false, withheld: true });
      expect(keyFor(url, 'OPENAI_API_KEY').apiKey).toBe('sk-openai-789');
      expect(keyFor(url, 'LAN_KEY').apiKey).toBe('lan-key-012');
    }
    // Through the CLI to the loopback server: the default key is sent.
    const input = join(dir, 'default-key.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[2]) + '\n');
    server.reset();
    const { code } = await spawnCli(['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic'], { OPENAI_API_KEY: 'sk-default-345' }).done;
    expect(code).toBe(0);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-default-345');
  });

  it('a key the judge refuses (401): one request, and the error names the variable to fix instead of advising a rerun', async () => {
    const input = join(dir, 'refused.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[2]) + '\n');
    const cache = join(dir, 'refused-cache.jsonl');
    for (const [flags, env, variable] of [[['--judge-key-env', 'MY_JUDGE_KEY'], { MY_JUDGE_KEY: 'sk-wrong-secret-456' }, 'MY_JUDGE_KEY'], [[], { OPENAI_API_KEY: '' }, 'OPENAI_API_KEY']] as const) {
      server.reset();
      server.inject('unauthorized', { times: Infinity });
      const { code, stderr } = await spawnCli(['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', ...flags, '--judge-cache', cache], env).done;
      expect(code).toBe(1);
      expect(server.calls).toBe(1);
      expect(stderr).toMatch(/the judge failed: judge: labels of episode "t3": HTTP 401: Incorrect API key provided/);
      expect(stderr).toContain(`the judge refused its credentials: set ${variable}`);
      expect(stderr).not.toContain('run the same command again');
      expect(stderr).not.toContain('sk-wrong-secret');
    }
  });

  it('a judge that fails for good stops the run naming the episode and the coalition; the same command resumes', async () => {
    const input = join(dir, 'fail.jsonl');
    writeFileSync(input, transcripts().slice(0, 2).map((t) => JSON.stringify(t)).join('\n') + '\n');
    const cache = join(dir, 'fail-cache.jsonl');
    server.reset();
    // The second episode's value requests fail every time.
    server.inject('server-error', { times: Infinity, when: (request) => request.judgement === 'value' && /delta/.test(request.task ?? '') });
    const args = ['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--judge-cache', cache, '--concurrency', '1', '-o', join(dir, 'fail.out.jsonl')];
    const failed = await cli(...args);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/episode "t2".*the judge failed: evaluate failed for coalition \{[a-z, ]*\}.*the replies so far are kept in .*fail-cache\.jsonl; run the same command again to resume/);
    // The record is fine: the summary line says what stopped the run, not "a bad record".
    expect(failed.stderr).toMatch(/\nattribute: stopped at a judge failure after 1 episode \(1 success, 0 failure\) -> 1 signals row in .*fail\.out\.jsonl\.partial, .*; judge: .*fail\.out\.jsonl was left as it was\n$/);
    // The first episode's rows are kept (in <out>.partial, as for a bad record); its replies are in the cache.
    expect(lines(readFileSync(join(dir, 'fail.out.jsonl.partial'), 'utf8')).map((row) => row.id)).toEqual(['t1']);
    server.reset();
    const resumed = await cli(...args);
    expect(resumed.code).toBe(0);
    // Only t2's judgements are asked for: t1's 8 values and labels come from the cache.
    expect(server.requests.every((request) => /delta/.test(request.task ?? ''))).toBe(true);
  });

  it('says replies are kept in the --judge-cache file only once it holds one; before the first reply, that nothing is kept', async () => {
    const input = join(dir, 'nothing-kept.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    const cache = join(dir, 'nothing-kept-cache.jsonl');
    const args = ['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--judge-cache', cache, '--judge-timeout-ms', '50', '--concurrency', '1'];
    const nothingKept = new RegExp(`no reply had reached ${cache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} yet, so nothing is kept for a rerun`);

    // A judge that fails for good at the first request.
    server.reset();
    server.inject('server-error', { times: Infinity });
    const failed = await cli(...args);
    expect(failed.code).toBe(1);
    expect(existsSync(cache)).toBe(false);
    expect(failed.stderr).toMatch(/the judge failed: /);
    expect(failed.stderr).not.toContain('kept in');
    expect(failed.stderr).toMatch(nothingKept);

    // A key refused at the first request: the hint is the key, and no cache file is named as keeping anything.
    server.reset();
    server.inject('unauthorized', { times: Infinity });
    const refused = await spawnCli(args, { OPENAI_API_KEY: 'sk-wrong' }).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the judge refused its credentials');
    expect(refused.stderr).not.toContain('kept in');

    // Stopped by a signal while the first request is still out.
    server.reset();
    server.inject('hang', { times: Infinity });
    const run = spawnCli(args.map((arg) => (arg === '50' ? '60000' : arg)));
    while (server.calls < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    run.child.kill('SIGINT');
    const ended = await run.done;
    expect(ended.signal).toBe('SIGINT');
    expect(ended.stderr).not.toContain('kept in');
    expect(ended.stderr).toMatch(nothingKept);

    // A cache file that cannot take its first reply (a file-size limit of 0).
    server.reset();
    const full = await limitedCli(0, [...args, '-o', '/dev/null']);
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(`cannot append to the judge cache ${cache}: EFBIG`);
    expect(full.stderr).not.toContain('kept in');
    expect(full.stderr).toContain(`(nothing could be written to ${cache}: make room for it, or pass another path where there is room, then run the same command again)`);
    server.reset();
  });

  it('a judge cache that cannot be appended to (a full disk) is named, with what to do; after making room the same command resumes', async () => {
    const input = join(dir, 'full-cache.jsonl');
    writeFileSync(input, transcripts().slice(0, 2).map((t) => JSON.stringify(t)).join('\n') + '\n');
    const cache = join(dir, 'full-cache.cache.jsonl');
    const args = ['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--judge-cache', cache, '--concurrency', '1', '-o', '/dev/null'];
    server.reset();
    // 2 KiB hold a few replies; -o /dev/null is a device, which the limit does not touch.
    const full = await limitedCli(4, args);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/episode "t1": the judge failed: .*judge: value of episode "t1" \(coalition \{/);
    expect(full.stderr).toContain(`cannot append to the judge cache ${cache}: EFBIG`);
    expect(full.stderr).toContain(`(the replies before it are kept in ${cache}; make room for it, or copy it where there is room and pass that path, then run the same command again`);
    const paid = server.calls;
    const kept = readFileSync(cache, 'utf8').split('\n').filter((line) => line.endsWith('}')).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(paid);
    server.reset();
    const resumed = await cli(...args);
    expect(resumed.code).toBe(0);
    // Every reply that reached the file is a cache hit: 2 x (8 values + 1 labels) judgements in all.
    const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
    expect(resumed.stderr).toContain(`judge: ${count(18 - kept, 'call')}, ${count(kept, 'cache hit')}`);
  });

  it('Ctrl-C (SIGINT) mid-run: it says what it kept, dies of the signal, leaves -o as it was, and the same command resumes', async () => {
    const slow = await startJudgeServer({ delayMs: 150 });
    try {
      const input = join(dir, 'interrupted.jsonl');
      writeFileSync(input, transcripts().map((t) => JSON.stringify(t)).join('\n') + '\n');
      const cache = join(dir, 'interrupted-cache.jsonl');
      const out = join(dir, 'interrupted.out.jsonl');
      const args = ['attribute', input, '--from', 'openai', '--judge', slow.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--judge-cache', cache, '--concurrency', '1', '-o', out];
      const run = spawnCli(args);
      while (slow.requests.filter((request) => request.end > 0).length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      run.child.kill('SIGINT');
      const ended = await run.done;
      expect(ended.signal).toBe('SIGINT');
      expect(ended.stderr).toBe(`agent-credit: stopped by SIGINT after judging 0 episodes; the judge's replies so far are kept in ${cache}: run the same command again to resume without paying for them\n`);
      expect(readdirSync(dir).filter((name) => name.includes('interrupted.out'))).toEqual([]);
      const paid = slow.calls;
      const resumed = await cli(...args);
      expect(resumed.code).toBe(0);
      // 2 x (8 values + 1 labels) + 1 labels in all; of those paid before, at most the one in flight is asked again.
      expect(slow.calls - paid).toBeLessThanOrEqual(19 - paid + 1);
      expect(lines(readFileSync(out, 'utf8')).map((row) => row.id)).toEqual(['t1', 't2', 't3']);
      // Without a cache it says nothing was kept.
      const bare = spawnCli(args.filter((arg, k) => arg !== '--judge-cache' && args[k - 1] !== '--judge-cache').map((arg) => (arg === out ? join(dir, 'bare.out.jsonl') : arg)));
      slow.reset();
      while (slow.calls < 1) await new Promise((resolve) => setTimeout(resolve, 10));
      bare.child.kill('SIGTERM');
      const bareEnd = await bare.done;
      expect(bareEnd.signal).toBe('SIGTERM');
      expect(bareEnd.stderr).toBe("agent-credit: stopped by SIGTERM after judging 0 episodes; no --judge-cache was given, so the judge's replies were not kept; add --judge-cache FILE to keep them for a rerun\n");
    } finally {
      await slow.close();
    }
  });

  it('each episode\'s rows are written once it is judged, to stdout and to -o alike: Ctrl-C loses none that were paid for', async () => {
    const slow = await startJudgeServer({ delayMs: 100 });
    try {
      const input = join(dir, 'streamed.jsonl');
      // Three small episodes: one chunk of input, which used to be written only once all three were judged.
      writeFileSync(input, transcripts().map((t) => JSON.stringify(t)).join('\n') + '\n');
      const args = ['attribute', input, '--from', 'openai', '--judge', slow.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--concurrency', '1'];
      const judging = (text: RegExp) => slow.requests.some((request) => text.test(request.task ?? ''));
      const run = spawnCli(args);
      while (!judging(/delta/)) await new Promise((resolve) => setTimeout(resolve, 10));
      run.child.kill('SIGINT');
      const ended = await run.done;
      expect(ended.signal).toBe('SIGINT');
      expect(lines(ended.stdout).map((row) => row.id)).toEqual(['t1']);

      // -o: the temporary file holds t1's row while t2 is judged (and a finished run renames it into place).
      slow.reset();
      const out = join(dir, 'streamed.out.jsonl');
      const toFile = spawnCli([...args, '-o', out]);
      while (!judging(/delta/)) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const temporary = readdirSync(dir).filter((name) => name.startsWith('.streamed.out.jsonl.') && name.endsWith('.tmp'));
      expect(temporary).toHaveLength(1);
      expect(lines(readFileSync(join(dir, temporary[0]!), 'utf8')).map((row) => row.id)).toEqual(['t1']);
      expect((await toFile.done).code).toBe(0);
      expect(lines(readFileSync(out, 'utf8')).map((row) => row.id)).toEqual(['t1', 't2', 't3']);
    } finally {
      await slow.close();
    }
  });

  it('--agent NAME: an episode NAME is not an agent of is not judged, and a misspelled NAME is named at the first episode, with nothing paid', async () => {
    const [t1, t2, t3] = transcripts();
    // t2's third speaker is a reviewer, not a critic.
    const reviewed = { ...t2, messages: t2.messages.map((message) => (message.name === 'critic' ? { ...message, name: 'reviewer' } : message)) };
    const input = join(dir, 'agent.jsonl');
    writeFileSync(input, [t1, reviewed, t3].map((t) => JSON.stringify(t)).join('\n') + '\n');
    const judged = ['--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--format', 'rewards'];
    server.reset();
    const typo = await cli('attribute', input, ...judged, '--agent', 'critc');
    expect(typo.code).toBe(1);
    expect(server.calls).toBe(0);
    expect(typo.stderr).toMatch(/^agent-credit: warning: \S*agent\.jsonl line 1, episode "t1" has no agent "critc" \(its agents: coder, critic, planner; did you mean "critic"\?\); episodes without it give no rows for --agent and are not judged\n/);
    // Nothing was asked of the judge, so nothing is said about keeping its replies.
    expect(typo.stderr).toMatch(/\nagent-credit: --agent critc: no episode has an agent "critc" \(did you mean "critic"\?\); the agents are coder, critic, planner, reviewer\n$/);

    server.reset();
    const some = await cli('attribute', input, ...judged, '--agent', 'critic');
    expect(some.code).toBe(0);
    expect(some.stderr).toMatch(/episode "t2" has no agent "critic" \(its agents: coder, planner, reviewer\)/);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.some((request) => /delta/.test(request.task ?? ''))).toBe(false);
    expect(lines(some.stdout).map((row) => [row.episode, row.agent])).toEqual([['t1', 'critic'], ['t3', 'critic']]);
    expect(some.stderr).toMatch(/attribute: 3 episodes \(2 success, 1 failure\)/);

    // An episode's agents are its own text: the warning shows them escaped, never as terminal controls.
    const hostile = { ...t2, messages: t2.messages.map((message) => (message.name === 'critic' ? { ...message, name: 'rev\u202eiewer\u001b[2J' } : message)) };
    const hostileInput = join(dir, 'agent-hostile.jsonl');
    writeFileSync(hostileInput, [t1, hostile].map((t) => JSON.stringify(t)).join('\n') + '\n');
    server.reset();
    const escaped = await cli('attribute', hostileInput, ...judged, '--agent', 'critic');
    expect(escaped.stderr).toContain('rev\\u202eiewer\\u001b[2J');
    expect(escaped.stderr).not.toMatch(/[\u001b\u202e]/);

    // The report shows every episode, so all are judged, and the warning says so.
    server.reset();
    const reported = await cli('attribute', input, ...judged, '--agent', 'critic', '--report', join(dir, 'agent-report.html'));
    expect(reported.code).toBe(0);
    expect(reported.stderr).toMatch(/episode "t2" has no agent "critic" .*; episodes without it give no rows for --agent and are judged all the same for --report\n/);
    expect(server.requests.some((request) => /delta/.test(request.task ?? ''))).toBe(true);
  });

  it('a rerun with another --format, --agent, --id-from or --judge-max-tokens, or with the cache file moved, pays for nothing judged before', async () => {
    const input = join(dir, 'rerun.jsonl');
    writeFileSync(input, transcripts().map((t) => JSON.stringify(t)).join('\n') + '\n');
    const cache = join(dir, 'rerun-cache.jsonl');
    const judged = ['--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic'];
    server.reset();
    expect((await cli('attribute', input, ...judged, '--judge-cache', cache)).code).toBe(0);
    expect(server.calls).toBeGreaterThan(0);
    server.reset();
    const moved = join(dir, 'rerun-moved', 'cache.jsonl');
    mkdirSync(join(dir, 'rerun-moved'));
    writeFileSync(moved, readFileSync(cache));
    rmSync(cache);
    for (const more of [['--format', 'rewards', '--agent', 'coder'], ['--format', 'dpo', '--id-from', 'file'], ['--format', 'summary', '--judge-max-tokens', '4096']]) {
      const rerun = await cli('attribute', input, ...judged, '--judge-cache', moved, ...more);
      expect(rerun.code).toBe(0);
      expect(rerun.stderr).toMatch(/judge: 0 calls, \d+ cache hits?,/);
    }
    expect(server.calls).toBe(0);
  });

  it('-o on a full disk in a judged run: the write error says where the judge\'s replies are, and the same command resumes from them', async () => {
    const input = join(dir, 'full-out.jsonl');
    // Reward rows carry the transcript, the cache only short replies: 8 KiB hold the cache but not the rows.
    const [t1] = transcripts();
    const padded = { ...t1, messages: t1.messages.map((message) => (message.name === 'planner' ? { ...message, content: `alpha first ${'and so on '.repeat(600)}` } : message)) };
    writeFileSync(input, JSON.stringify(padded) + '\n');
    const cache = join(dir, 'full-out.cache.jsonl');
    const out = join(dir, 'full-out.out.jsonl');
    const args = ['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--judge-cache', cache, '--format', 'rewards', '-o', out];
    server.reset();
    const full = await limitedCli(16, args);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(new RegExp(`^agent-credit: cannot write ${out}: file too large \\(the judge's replies so far are kept in ${cache}: run the same command again to resume without paying for them\\)\n$`));
    expect(existsSync(out)).toBe(false);
    const paid = server.calls;
    expect(paid).toBeGreaterThan(0);
    const resumed = await cli(...args);
    expect(resumed.code).toBe(0);
    expect(server.calls).toBe(paid);
    const bare = await limitedCli(16, args.filter((arg, k) => arg !== '--judge-cache' && args[k - 1] !== '--judge-cache'));
    expect(bare.stderr).toMatch(/file too large \(no --judge-cache was given, so the judge's replies were not kept; add --judge-cache FILE to keep them for a rerun\)\n$/);
  });

  it('a judge cache that is not one (signals rows given as the cache) is an error naming --judge-cache before any request', async () => {
    const input = join(dir, 'not-cache.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[2]) + '\n');
    const rows = join(dir, 'not-cache.signals.jsonl');
    writeFileSync(rows, JSON.stringify({ id: 't3', success: false, agents: [] }) + '\n');
    server.reset();
    const wrong = await cli('attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--judge-cache', rows);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toBe(`agent-credit: --judge-cache ${rows}: line 1: expected a stored judge reply { key, judgement, model, prompt, reply, ... } as one JSON object (the file is not a judge cache, or was edited: delete that line, and its reply is asked again; or give another cache file)\n`);
    expect(server.calls).toBe(0);
    const empty = await cli('attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--judge-cache', '');
    expect(empty.stderr).toBe('agent-credit: --judge-cache: expected the path of the cache file (JSON Lines, created when missing), got ""\n');
  });

  it('an episode over the model\'s context: --skip-invalid skips it and judges the rest; without, the run stops saying how to go on', async () => {
    const small = await startJudgeServer({ contextTokens: 1500 });
    try {
      const [t1, t2, t3] = transcripts();
      // t2's critic says 8,000 characters more: its prompts exceed 1,500 tokens, the others' do not.
      const long = { ...t2, messages: t2.messages.map((message) => (message.name === 'critic' ? { ...message, content: `epsilon ${'and more '.repeat(900)}` } : message)) };
      const input = join(dir, 'context.jsonl');
      writeFileSync(input, [t1, long, t3].map((t) => JSON.stringify(t)).join('\n') + '\n');
      const args = ['attribute', input, '--from', 'openai', '--judge', small.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--concurrency', '1'];
      const skipped = await cli(...args, '--skip-invalid', '-o', join(dir, 'context.out.jsonl'));
      expect(skipped.code).toBe(0);
      expect(skipped.stderr).toMatch(/skipped .*episode "t2".*the judge could not judge it: judge: \w+ of episode "t2".*maximum context length is 1500 tokens/);
      expect(skipped.stderr).toMatch(/attribute: 2 episodes .*1 skipped/);
      expect(lines(readFileSync(join(dir, 'context.out.jsonl'), 'utf8')).map((row) => row.id)).toEqual(['t1', 't3']);
      // The episode over the context costs one refused request per judgement begun, not a retry per response format.
      const refused = small.requests.filter((request) => request.status === 400);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((request) => /delta/.test(request.task ?? ''))).toBe(true);
      expect(new Set(refused.map((request) => request.judgement)).size).toBe(refused.length);

      small.reset();
      const stopped = await cli(...args, '-o', join(dir, 'context-stop.out.jsonl'));
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(/episode "t2".*the judge failed: .*maximum context length.*--skip-invalid skips such episodes and judges the rest/);
      // Nothing after the failure is judged: t3 costs nothing.
      expect(small.requests.some((request) => /zeta/.test(request.task ?? ''))).toBe(false);
    } finally {
      await small.close();
    }
  });

  it('--skip-invalid skips an episode whose replies never fit, but not a failing server', async () => {
    const input = join(dir, 'unfit.jsonl');
    writeFileSync(input, transcripts().map((t) => JSON.stringify(t)).join('\n') + '\n');
    const args = ['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--concurrency', '1', '--skip-invalid'];
    server.reset();
    // Every reply about t2 is cut short: asked again, it still does not fit.
    server.inject('malformed-json', { times: Infinity, when: (request) => /delta/.test(request.task ?? '') });
    const unfit = await cli(...args);
    expect(unfit.code).toBe(0);
    expect(unfit.stderr).toMatch(/skipped .*episode "t2".*the judge could not judge it: .*the reply did not fit, asked twice/);
    expect(lines(unfit.stdout).map((row) => row.id)).toEqual(['t1', 't3']);

    server.reset();
    server.inject('server-error', { times: Infinity, when: (request) => /delta/.test(request.task ?? '') });
    const down = await cli(...args);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/episode "t2".*the judge failed: .*HTTP 500/);
    expect(down.stderr).not.toContain('--skip-invalid skips');
    expect(server.requests.some((request) => /zeta/.test(request.task ?? ''))).toBe(false);
  });

  it('--prm-max-chars below an episode\'s shortest PRM row: that record\'s error, found before the judge is asked anything about it', async () => {
    const [t1, , t3] = transcripts();
    const input = join(dir, 'prm-short.jsonl');
    writeFileSync(input, [t1, t3].map((t) => JSON.stringify(t)).join('\n') + '\n');
    const judged = ['--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--format', 'prm'];
    const tooShort = /episode "t1": --prm-max-chars: expected at least (\d+) characters for the PRM rows of episode "t1", got 50: the row of "\w+" from message "\d+" cannot be shorter/;
    server.reset();
    const stopped = await cli('attribute', input, ...judged, '--prm-max-chars', '50');
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(tooShort);
    expect(server.calls).toBe(0);
    const smallest = Number(tooShort.exec(stopped.stderr)![1]);

    // With --prm-until-first-error a failure's rows end at its judged first error; even each agent's first step alone does not fit.
    server.reset();
    const skipped = await cli('attribute', input, ...judged, '--prm-max-chars', '50', '--prm-until-first-error', '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped .*episode "t1": --prm-max-chars: expected at least/);
    expect(skipped.stderr).toMatch(/skipped .*episode "t3": --prm-max-chars: expected at least \d+ characters for the PRM rows of episode "t3", got 50/);
    expect(server.calls).toBe(0);

    // The smallest N named for the success is enough for it: it is judged, and each of its rows fits.
    server.reset();
    const fitted = await cli('attribute', input, ...judged, '--prm-max-chars', String(smallest), '--skip-invalid');
    expect(fitted.code).toBe(0);
    expect(server.calls).toBeGreaterThan(0);
    const t1Rows = lines(fitted.stdout).filter((row) => row.episode === 't1');
    expect(t1Rows.length).toBeGreaterThan(0);
    for (const row of t1Rows) expect((row.completions as string[]).reduce((sum, step) => sum + step.length + 1, (row.prompt as string).length)).toBeLessThanOrEqual(smallest);
  });

  it('a bad record stops a judged run before anything after it is judged, in its chunk or a later one', async () => {
    const [t1, t2, t3] = transcripts();
    // Each record about 100 KiB: the input spans several 256 KiB chunks, read ahead of the judging.
    const padded = (t: ReturnType<typeof transcripts>[number], id: string) => ({ ...t, id, messages: [...t.messages, { role: 'user', content: 'padding '.repeat(12_500) }] });
    const records = [padded(t1, 'a1'), { id: 'bad', messages: [] }, ...Array.from({ length: 6 }, (_, k) => padded([t1, t2, t3][k % 3]!, `a${k + 2}`))];
    const input = join(dir, 'bad-first.jsonl');
    writeFileSync(input, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const args = ['attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--concurrency', '1'];
    server.reset();
    const stopped = await cli(...args, '-o', join(dir, 'bad-first.out.jsonl'));
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/line 2, episode "bad"/);
    // Only a1 was judged: its requests carry the padding and alpha, beta, gamma.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((request) => /alpha/.test(request.task ?? ''))).toBe(true);
    const judgedBefore = server.requests.length;
    expect(lines(readFileSync(join(dir, 'bad-first.out.jsonl.partial'), 'utf8')).map((row) => row.id)).toEqual(['a1']);

    server.reset();
    const skipped = await cli(...args, '--skip-invalid', '-o', join(dir, 'bad-skipped.out.jsonl'));
    expect(skipped.code).toBe(0);
    expect(lines(readFileSync(join(dir, 'bad-skipped.out.jsonl'), 'utf8')).map((row) => row.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
    expect(server.requests.length).toBeGreaterThan(judgedBefore);
  });

  it('checks where the run writes before the first request: no file written over another, no cache the next run reads as episodes', async () => {
    const input = join(dir, 'paths.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    const judged = ['--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic'];
    const refused = async (args: string[], message: RegExp) => {
      server.reset();
      const run = await cli('attribute', ...args);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(server.requests).toHaveLength(0);
    };
    // The rows over the cache: the replies paid for would be lost.
    const cache = join(dir, 'paths-cache.jsonl');
    writeFileSync(cache, '');
    await refused([input, ...judged, '--judge-cache', cache, '-o', cache], /--judge-cache .*paths-cache\.jsonl and -o .*paths-cache\.jsonl are the same file/);
    // The report through a link to the rows.
    const out = join(dir, 'paths-out.jsonl');
    writeFileSync(out, 'earlier rows\n');
    symlinkSync(out, join(dir, 'paths-report.html'));
    await refused([input, '-o', out, '--report', join(dir, 'paths-report.html')], /--report .*paths-report\.html and -o .*paths-out\.jsonl are the same file/);
    expect(readFileSync(out, 'utf8')).toBe('earlier rows\n');
    // The report among the per-agent files.
    await refused([input, '--format', 'rewards', '--split-by-agent', join(dir, 'paths-split'), '--report', join(dir, 'paths-split', 'planner.rewards.jsonl')], /--report .* lies in the --split-by-agent directory/);
    // A cache in the input directory under an episode file's name: the resuming run would read it as episodes.
    const inputs = join(dir, 'paths-inputs');
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'runs.jsonl'), JSON.stringify(transcripts()[0]) + '\n');
    await refused([inputs, ...judged, '--judge-cache', join(inputs, 'cache.jsonl')], /--judge-cache .*cache\.jsonl lies in the input directory .* keep the cache outside/);
    // A cache the run cannot create fails before any request is paid for.
    await refused([input, ...judged, '--judge-cache', join(dir, 'no-such-dir', 'cache.jsonl')], /--judge-cache .*cache\.jsonl: cannot be created \(.*\); expected a writable file path/);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    // Without a cache, a failing judge says that nothing was kept.
    server.reset();
    server.inject('server-error', { times: Infinity });
    const failed = await cli('attribute', input, ...judged, '--concurrency', '1');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the judge failed: .*no --judge-cache was given, so the replies so far are not kept: add --judge-cache FILE/);
    server.reset();
  });

  it('--judge-timeout-ms: a request without a reply is abandoned after that long and retried; a bad value is refused', async () => {
    const input = join(dir, 'timeout.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    const judged = ['--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic', '--concurrency', '1'];
    server.reset();
    server.inject('hang', { times: Infinity });
    const hung = await cli('attribute', input, ...judged, '--judge-timeout-ms', '200');
    expect(hung.code).toBe(1);
    expect(hung.stderr).toMatch(/labels of episode "t1": no reply within 200 ms, 4 attempts/);
    server.reset();
    const bad = await cli('attribute', input, ...judged, '--judge-timeout-ms', '0');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--judge-timeout-ms: expected an integer from 1 to 2147483647, got "0"/);
    const alone = await cli('attribute', input, '--judge-timeout-ms', '100');
    expect(alone.stderr).toMatch(/--judge-timeout-ms: only with --judge URL/);
    expect(server.requests).toHaveLength(0);
  });

  it('--judge-max-tokens: a reply cut off at the token limit names the flag; the flag sets max_tokens, and a bad value is refused', async () => {
    const input = join(dir, 'max-tokens.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[2]) + '\n');
    const judged = ['--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--agents', 'planner,coder,critic'];
    server.reset();
    server.inject('length', { times: Infinity });
    const cut = await cli('attribute', input, ...judged);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('the reply was cut off at the token limit (finish_reason "length"; raise maxTokens, on the command line --judge-max-tokens N)');
    server.reset();
    const raised = await cli('attribute', input, ...judged, '--judge-max-tokens', '4096');
    expect(raised.code).toBe(0);
    expect(server.requests.map((request) => request.body.max_tokens)).toEqual([4096]);
    const bad = await cli('attribute', input, ...judged, '--judge-max-tokens', '0');
    expect(bad.stderr).toMatch(/--judge-max-tokens: expected an integer from 1 to 10000000, got "0"/);
    const alone = await cli('attribute', input, '--judge-max-tokens', '100');
    expect(alone.stderr).toMatch(/--judge-max-tokens: only with --judge URL/);
  });

  it('--evaluator: a module that re-runs the team gives v(S)', async () => {
    const module = join(dir, 'evaluate.mjs');
    writeFileSync(module, `export async function evaluate(episode, agents, { signal }) {
  if (!(signal instanceof AbortSignal)) throw new Error('no signal');
  const facts = { t1: { alpha: ['planner', 'critic'], beta: ['coder'], gamma: ['critic'] } }[episode.id];
  return Object.values(facts).filter((who) => who.some((agent) => agents.includes(agent))).length / 3;
}\n`);
    const input = join(dir, 'evaluated.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    const { code, stdout, stderr } = await cli('attribute', input, '--from', 'openai', '--agents', 'planner,coder,critic', '--evaluator', module);
    expect(stderr).toMatch(/attribute: 1 episode /);
    expect(code).toBe(0);
    const [row] = lines(stdout);
    expect(row.sources.credit).toBe('evaluated');
    expect(row.agents.map((agent: { credit: number }) => agent.credit)).toEqual([1 / 6, 1 / 3, 1 / 2].map((x) => expect.closeTo(x, 12)));
    const bad = await cli('attribute', input, '--from', 'openai', '--evaluator', join(dir, 'fail.jsonl'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--evaluator .*fail\.jsonl: cannot load the module/);
  });

  it('--reward-bound B: an evaluator valuing coalitions past 1 gets its credit split within B; without it the error names the flag', async () => {
    const module = join(dir, 'scale.mjs');
    writeFileSync(module, 'export async function evaluate(episode, agents) { return agents.length * 2.5; }\n');
    const input = join(dir, 'scaled.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    const stopped = await cli('attribute', input, '--from', 'openai', '--evaluator', module);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/credit 2\.5 cannot be split over its 1 message\(s\) with every \|reward\| <= 1.*Raise the bound option \(CLI: --reward-bound B\)/);
    const { code, stdout, stderr } = await cli('attribute', input, '--from', 'openai', '--evaluator', module, '--reward-bound', '5');
    expect(code, stderr).toBe(0);
    expect(lines(stdout)[0].messages.map((message: { reward: number }) => message.reward)).toEqual([2.5, 2.5, 2.5].map((x) => expect.closeTo(x, 12)));
  });

  it('--strategy prefix that finds nothing names --drop-threshold, and --drop-threshold is used', async () => {
    const input = join(dir, 'no-fall.jsonl');
    // No error phrase: the judged success probability only rises, so no fall is found at any threshold; the advice must name a flag.
    writeFileSync(input, JSON.stringify(openaiTranscript('t4', ['zeta'], { planner: 'zeta', coder: 'fine', critic: 'agreed' }, false)) + '\n');
    const { code, stderr } = await cli('attribute', input, '--from', 'openai', '--judge', server.baseURL, '--model', 'rules', '--strategy', 'prefix', '--drop-threshold', '0.05');
    expect(code).toBe(0);
    expect(stderr).toMatch(/success probability falls by more than 0\.05/);
    expect(stderr).toMatch(/or a lower dropThreshold \(CLI: --drop-threshold\)/);
  });

  it('--evaluator without --budget re-runs the team at most 256 times per episode, as with --judge (not 2^n up to 16 agents)', async () => {
    const calls = join(dir, 'evaluator-calls.txt');
    const module = join(dir, 'count-calls.mjs');
    writeFileSync(module, `import { appendFileSync } from 'node:fs';
export async function evaluate(episode, agents) {
  appendFileSync(${JSON.stringify(calls)}, '.');
  return agents.length / episode.agents.length;
}\n`);
    const agents = Array.from({ length: 9 }, (_, k) => `agent${k}`);
    const input = join(dir, 'nine-agents.jsonl');
    writeFileSync(input, JSON.stringify({ id: 'nine', agents, messages: agents.map((agent) => ({ agent, content: `${agent} did its part` })), outcome: { score: 1, success: true } }) + '\n');
    const { code, stdout, stderr } = await cli('attribute', input, '--evaluator', module);
    expect(code, stderr).toBe(0);
    expect(readFileSync(calls, 'utf8').length).toBeLessThanOrEqual(256);
    const [row] = lines(stdout);
    expect(row.sources.credit).toBe('evaluated');
    expect(row.agents.every((agent: { stderr: number | null }) => agent.stderr !== null)).toBe(true);
  });

  it('without a judge: a success without coalitions names --judge and --evaluator; a failure without a located error warns and gets no rewards', async () => {
    const input = join(dir, 'nojudge.jsonl');
    writeFileSync(input, [transcripts()[0], { ...transcripts()[2], messages: transcripts()[2].messages.slice(0, 3) }].map((t) => JSON.stringify(t)).join('\n') + '\n');
    const { code, stdout, stderr } = await cli('attribute', input, '--from', 'openai', '--agents', 'planner,coder,critic', '--skip-invalid', '--format', 'rewards');
    expect(code).toBe(0);
    expect(stderr).toMatch(/skipped .*episode "t1".*--evaluator \.\/evaluate\.mjs, or --judge URL --model NAME/);
    expect(stderr).toMatch(/warning: .*episode "t3": no first error located/);
    expect(stdout).toBe('');
  });

  it('refuses judged-only flags without a judge, and a judge without a model', async () => {
    const input = join(dir, 'flags.jsonl');
    writeFileSync(input, JSON.stringify(transcripts()[0]) + '\n');
    for (const [args, message] of [
      [['--budget', '10'], /--budget: only with --judge URL --model NAME or --evaluator/],
      [['--judge', server.baseURL], /--model: --judge needs the model/],
      [['--judge', 'localhost:8000', '--model', 'm'], /--judge: expected the API root of an OpenAI-compatible server as an http\(s\) URL/],
      // Named by the flag, not createJudge's baseURL option; a key in the query is never echoed.
      [['--judge', 'http://127.0.0.1:8000/v1?key=sk-in-query-123', '--model', 'm'], /^agent-credit: --judge: expected baseURL without a \?query or #fragment [^\n]*\n$/],
      [['--judge', `${server.baseURL}/chat/completions`, '--model', 'm'], /^agent-credit: --judge: expected baseURL as the API root, such as http:\/\/127\.0\.0\.1:8000\/v1, not the endpoint/],
      [['--judge', 'http://me:pw-secret-1@127.0.0.1:8000/v1', '--model', 'm'], /^agent-credit: --judge: expected baseURL without credentials/],
      [['--judge', server.baseURL, '--model', 'm', '--strategy', 'first'], /--strategy: expected labels, prefix or binary/],
      [['--judge', server.baseURL, '--model', 'm', '--workers', '2'], /--workers: a judged run .* runs on the main thread/],
      [['--agents', 'planner,,coder'], /--agents: expected agent names separated by commas/],
    ] as const) {
      const { code, stderr } = await cli('attribute', input, '--from', 'openai', ...args);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/sk-in-query|pw-secret/);
    }
  });
});
