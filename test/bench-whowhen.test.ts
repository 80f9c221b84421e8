// The Who&When benchmark's scoring: the annotation hidden from what the judge
// gets, accuracy by integer step equality, +-1 and +-3, agents by name.
import { describe, expect, it } from 'vitest';
import { benchLog, formatTable, scoreFindings } from '../src/cli/bench-whowhen.js';

const log = (step: string | number, agent = 'Coder') => ({
  question: 'What is 6 x 7?',
  question_ID: 'q1',
  ground_truth: '42',
  is_correct: false,
  mistake_step: step,
  mistake_agent: agent,
  mistake_reason: 'multiplied wrong',
  history: [
    { role: 'user', name: 'Planner', content: 'compute it' },
    { role: 'assistant', name: 'Coder', content: '6 x 7 = 48' },
    { role: 'user', name: 'Checker', content: 'looks fine' },
    { role: 'user', name: 'Coder', content: 'done' },
    { role: 'user', name: 'Checker', content: 'ok' },
    { role: 'user', name: 'Coder', content: 'bye' },
  ],
});

describe('bench-whowhen scoring', () => {
  it('hides the annotation from the judged episode and keeps it for scoring', () => {
    const read = benchLog(log('1'), 'Algorithm-Generated/1.json');
    expect(read).toMatchObject({ file: 'Algorithm-Generated/1.json', subset: 'Algorithm-Generated', mistakeStep: 1, mistakeAgent: 'Coder' });
    expect(read.episode.outcome).toEqual({ score: 0, success: false });
    expect(read.episode.messages.every((message) => message.label === undefined)).toBe(true);
    expect(JSON.stringify(read.episode)).not.toMatch(/mistake|multiplied wrong/);
  });

  it('counts steps by integer equality (a string or a number), within 1 and 3, and agents by name, letter case aside', () => {
    const logs = [benchLog(log('1'), 'a/1.json'), benchLog(log(2), 'a/2.json'), benchLog(log('1', 'coder'), 'a/3.json'), benchLog(log('5'), 'a/4.json')];
    const findings = [
      { index: 1, agent: 'Coder' }, // exact
      { index: 3, agent: 'Coder' }, // annotated 2: within 1
      { index: 4, agent: 'Checker' }, // annotated 1: within 3, wrong agent
      { index: -1, agent: null }, // nothing found: wrong everywhere
    ];
    const usage = { calls: 8, cacheHits: 2, promptTokens: 1000, completionTokens: 200, wallMs: 5 };
    const row = scoreFindings('labels', 'all', logs, findings, usage);
    expect(row).toEqual({
      strategy: 'labels', subset: 'all', logs: 4, located: 3,
      agentAccuracy: 0.5, stepAccuracy: 0.25, within1: 0.5, within3: 0.75,
      callsPerLog: 2, tokensPerLog: 300, cacheHitsPerLog: 0.5,
    });
    expect(formatTable([row])).toMatch(/^labels\s+all\s+4\s+3\s+50\.0%\s+25\.0%\s+50\.0%\s+75\.0%\s+2\.00\s+300$/m);
  });

  it('shows a subset (a folder of the dataset) with its newlines, escape sequences and bidi controls as \\uXXXX, in its column', () => {
    const usage = { calls: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0, wallMs: 0 };
    const logs = [benchLog(log('1'), 'x/1.json')];
    const rows = ['Hand\nlabels  all  999', 'Algo\u001b[2J\u202e', '手作り'].map((subset) => scoreFindings('labels', subset, logs, [{ index: 1, agent: 'Coder' }], usage));
    const lines = formatTable(rows).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.slice(1, 4).map((line) => line.slice(0, 37).trimEnd())).toEqual(['labels    Hand\\u000alabels  all  999', 'labels    Algo\\u001b[2J\\u202e', 'labels    手作り']);
    expect(new Set(lines.slice(1, 4).map((line) => line.length)).size).toBe(1);
  });

  it('refuses a log without its annotation, naming the file and the field', () => {
    expect(() => benchLog({ ...log('1'), mistake_step: 'x' }, 'b/7.json')).toThrow(/b\/7\.json: mistake_step: expected the annotated 0-based index into history \(0 to 5\)/);
    expect(() => benchLog({ ...log('1'), mistake_agent: '' }, 'b/8.json')).toThrow(/b\/8\.json: mistake_agent/);
  });
});
