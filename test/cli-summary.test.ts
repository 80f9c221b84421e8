// The readable report: `agent-credit attribute --format summary`, `agent-credit summary
// signals.jsonl` and `npm run example` print the same text; legend, message ids,
// names wrapped whole, plurals, and the run's summary line (also after a bad record).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { episodeReport, REPORT_LEGEND } from '../src/cli/report.js';
import { attributeEpisode } from '../src/episodes/attribute.js';
import { MIN_EPISODES_FOR_RATE, MIN_SECONDS_FOR_RATE, runSummaryLine } from '../src/cli/run-summary.js';
import { cli, root } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('agent-credit-summary-');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const body = (report: string) => {
  expect(report.startsWith(REPORT_LEGEND)).toBe(true);
  return report.slice(REPORT_LEGEND.length);
};

const LONG = 'a_research_agent_with_a_name_far_longer_than_fourteen_characters_to_show_names_are_never_cut';
/** Two agents, one with a long name; v({long}) = 0.3, v({coder}) = 0.5, v(both) = 1: credits 0.4 and 0.6. */
const episode = {
  id: 'long-names',
  agents: [LONG, 'coder'],
  messages: [
    { id: 'first', agent: LONG, content: 'found the cause', label: 'helpful' },
    { id: 'second', agent: 'coder', content: 'patched it', label: 'helpful' },
    ...Array.from({ length: 6 }, (_, k) => ({ id: `extra-${k}`, agent: k % 2 ? 'coder' : LONG, content: 'more' })),
  ],
  outcome: { score: 1, success: true },
  coalitions: [
    { agents: [], value: 0 },
    { agents: [LONG], value: 0.3 },
    { agents: ['coder'], value: 0.5 },
  ],
};

describe('the summary report', () => {
  it('is the same from attribute --format summary (any worker count), from summary on the signals rows, and from npm run example', async () => {
    const direct = await cli('attribute', 'examples/episodes', '--format', 'summary');
    expect(direct.code).toBe(0);
    expect(direct.stderr).toMatch(/^attribute: 5 episodes \(3 success, 2 failure\) -> summary, \d+\.\d\d s/);
    expect((await cli('attribute', 'examples/episodes', '--format', 'summary', '--workers', '0')).stdout).toBe(direct.stdout);
    const signals = join(dir, 'episodes.signals.jsonl');
    expect((await cli('attribute', 'examples/episodes', '-o', signals)).code).toBe(0);
    const summary = await cli('summary', signals);
    expect(summary).toMatchObject({ code: 0, stderr: '' });
    expect(summary.stdout).toBe(direct.stdout);

    // npm run example, after its build step (the tests run on the built dist/ already).
    const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.example as string;
    expect(script).toMatch(/^npm run build && /);
    const example = await promisify(execFile)('bash', ['-c', script.replace(/^npm run build && /, '')], { cwd: root });
    const whowhen = await cli('attribute', 'examples/whowhen', '--from', 'whowhen', '--format', 'summary');
    expect(example.stdout).toBe(direct.stdout + body(whowhen.stdout));
  });

  it('opens with the two-line legend and shows each episode: outcome, credit, interaction, first error, rewards by message id, preferences', async () => {
    const { stdout } = await cli('attribute', 'examples/episodes/03-book-flights.json', '--format', 'summary');
    expect(REPORT_LEGEND.trimEnd().split('\n')).toHaveLength(2);
    expect(REPORT_LEGEND).toMatch(/credit: each agent's Shapley share of v\(whole team\) - v\(no agent\)/);
    expect(REPORT_LEGEND).toMatch(/found by: label = labelled error or harmful/);
    expect(body(stdout)).toBe(
      '\n' +
        'book-flights  FAILURE\n' +
        '  credit       booking_agent +0.07   planner +0.07   verifier -0.05\n' +
        '  interaction  redundancy booking_agent + verifier (-0.10)\n' +
        '  first error  message b1 (#1) by booking_agent, found by label\n' +
        '  rewards      p1: planner +0.38 | b1: booking_agent -1.00 | v1: verifier -0.69\n' +
        '               b2: booking_agent +0.44 | v2: verifier +0.00\n' +
        '  preferences  1 DPO pair, 2 unpaired KTO rows\n',
    );
  });

  it('wraps long names whole onto indented lines, never cutting them; one of a kind is singular', async () => {
    const input = file('long.json', JSON.stringify(episode));
    const { code, stdout, stderr } = await cli('attribute', input, '--format', 'summary');
    expect(code).toBe(0);
    const lines = body(stdout).split('\n');
    expect(lines[1]).toBe('long-names  SUCCESS');
    // The long name does not fit beside coder's within 100 columns: it goes whole onto the next line.
    expect(lines.slice(2, 4)).toEqual(['  credit       coder +0.60', `               ${LONG} +0.40`]);
    const rewards = lines.slice(lines.findIndex((line) => line.startsWith('  rewards')));
    const items = rewards.join('\n').trimEnd().replace(/^ {2}rewards {6}/, '').split(/ \| |\n {15}/).filter(Boolean);
    expect(items.map((item) => item.split(' ')[0])).toEqual(episode.messages.map((m) => `${m.id}:`));
    for (const item of items) expect(item).toMatch(new RegExp(`^\\S+: (${LONG}|coder) [+-]\\d\\.\\d\\d$`));
    for (const line of rewards.slice(1).filter(Boolean)) expect(line.startsWith(' '.repeat(15))).toBe(true);
    for (const line of rewards) expect(line.length <= 100 || !line.includes(' | ')).toBe(true);
    // One episode: no rate to report, and the singular.
    expect(stderr).toMatch(/^attribute: 1 episode \(1 success, 0 failure\) -> summary, \d+\.\d\d s\n$/);
  });

  it('counts preferences with their plurals', async () => {
    const { stdout } = await cli('attribute', 'examples/episodes/04-revenue-report.json', '--format', 'summary');
    expect(stdout).toMatch(/^ {2}preferences {2}0 DPO pairs, 1 unpaired KTO row$/m);
  });

  it('names from the transcript cannot forge lines, colour the terminal or reverse a reward: controls and bidi overrides are escaped', async () => {
    const hostile = {
      id: 'run\u202e-1',
      agents: ['Web\u202eSurfer', 'coder\n  first error  message x by nobody', '\u001b[2Jwiper'],
      messages: [
        { id: 'm1', agent: 'Web\u202eSurfer', content: 'wrong', label: 'error' },
        { id: 'm\u20282', agent: 'coder\n  first error  message x by nobody', content: 'ok' },
        { id: 'm3', agent: '\u001b[2Jwiper', content: 'ok' },
      ],
      outcome: { score: 0, success: false },
    };
    const { code, stdout } = await cli('attribute', file('hostile.json', JSON.stringify(hostile)), '--format', 'summary');
    expect(code).toBe(0);
    const report = body(stdout);
    expect(report).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e\u2028]/);
    expect(report.split('\n').filter((line) => line.startsWith('  first error'))).toEqual(['  first error  message m1 (#0) by Web\\u202eSurfer, found by label']);
    expect(report).toContain('run\\u202e-1  FAILURE');
    expect(report).toContain('m\\u20282: coder\\u000a  first error  message x by nobody');
    expect(report).toContain('m3: \\u001b[2Jwiper');
  });
});

describe('agent-credit summary', () => {
  it('names the line and field of a row that is not a signals row, and says what it expects', async () => {
    const dpo = join(dir, 'dpo.jsonl');
    expect((await cli('attribute', 'examples/episodes/03-book-flights.json', '--format', 'dpo', '-o', dpo)).code).toBe(0);
    const { code, stdout, stderr } = await cli('summary', dpo);
    expect(code).toBe(1);
    // Nothing on stdout, not even the legend: the first row already fails.
    expect(stdout).toBe('');
    expect(stderr).toMatch(/dpo\.jsonl line 1: \d+ problems\n {2}- id: expected a string, got nothing/);
    expect(stderr).toMatch(/expected a signals row, as agent-credit attribute writes with --format signals/);
  });

  it('shows v(team) from a signals row, refuses one it cannot read, and warns of a file without rows', async () => {
    const row = JSON.parse(readFileSync(join(dir, 'episodes.signals.jsonl'), 'utf8').split('\n')[0]);
    const judged = file('judged.jsonl', JSON.stringify({ ...row, sources: { credit: 'judged', team: { value: 0.9, source: 'judged', outcomeScore: 1 } } }) + '\n');
    const shown = await cli('summary', judged);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('  v(team)      0.90 judged, outcome.score 1.00 (gap -0.10)\n');
    const bad = file('bad-team.jsonl', JSON.stringify({ ...row, sources: { team: { value: '0.9', source: 'judged', outcomeScore: 1 } } }) + '\n');
    const refused = await cli('summary', bad);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/bad-team\.jsonl line 1: sources\.team\.value: expected a number/);
    const empty = file('empty.jsonl', '\n');
    const nothing = await cli('summary', empty, judged);
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toContain(`agent-credit: warning: ${empty} holds no signals rows; nothing to report from it`);
    expect(nothing.stdout).toContain('v(team)');
  });

  it('names broken JSON by line, a missing file by path, and asks for a file when given none', async () => {
    const broken = file('broken.jsonl', `${readFileSync(join(dir, 'episodes.signals.jsonl'), 'utf8').split('\n')[0]}\n{"id": \n`);
    const { code, stdout, stderr } = await cli('summary', broken);
    expect(code).toBe(1);
    expect(stdout).toMatch(/fix-flaky-test {2}SUCCESS/);
    expect(stderr).toMatch(/broken\.jsonl line 2: not valid JSON/);
    expect((await cli('summary', join(dir, 'missing.jsonl'))).stderr).toMatch(/cannot read .*missing\.jsonl: no such file or directory/);
    expect(await cli('summary')).toMatchObject({ code: 1, stderr: expect.stringMatching(/summary: expected one or more signals files/) });
    // A directory, and an episode file (pretty-printed JSON): each says what summary reads instead.
    expect(await cli('summary', 'examples/episodes')).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/summary: examples\/episodes is a directory; give the signals files in it \(JSONL\), e\.g\. examples\/episodes\/\*\.jsonl/) });
    const episodeFile = await cli('summary', 'examples/episodes/03-book-flights.json');
    expect(episodeFile).toMatchObject({ code: 1, stdout: '' });
    expect(episodeFile.stderr).toMatch(/line 1: not valid JSON .*\n {2}summary reads the signals rows agent-credit attribute writes \(JSONL\); to report an episode or transcript file, run agent-credit attribute examples\/episodes\/03-book-flights\.json --format summary/);
    expect(await cli('summary', '--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/agent-credit summary <signals\.jsonl>/) });
    expect((await cli('--help')).stdout).toMatch(/agent-credit summary <signals\.jsonl>/);
  });
});

describe('the line that ends an attribute run', () => {
  it('also ends a run stopped by a bad record: the error, then the line with what was written', async () => {
    const input = file('bad.jsonl', [episode, { ...episode, id: 'broken', messages: [{ agent: 'ghost', content: 'x' }] }].map((record) => JSON.stringify(record)).join('\n') + '\n');
    const out = join(dir, 'bad.signals.jsonl');
    const { code, stderr } = await cli('attribute', input, '-o', out, '--workers', '0');
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^agent-credit: .*bad\.jsonl line 2, episode "broken".*: messages\[0\]\.agent: unknown agent "ghost"/);
    // The rows before the bad record are in <out>.partial; -o itself is left as it was.
    const escaped = out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(lines.at(-1)).toMatch(new RegExp(`^attribute: stopped at a bad record after 1 episode \\(1 success, 0 failure\\) -> 1 signals row in ${escaped}\\.partial, \\d+\\.\\d\\d s; ${escaped} was left as it was$`));
    expect(readFileSync(`${out}.partial`, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('attribute --format summary prints the legend with the first entry: a bad first record prints nothing, an empty input the legend alone', async () => {
    const badFirst = file('bad-first.jsonl', [{ ...episode, id: 'broken', messages: [{ agent: 'ghost', content: 'x' }] }, episode].map((record) => JSON.stringify(record)).join('\n') + '\n');
    for (const workers of ['0', '1']) {
      const stopped = await cli('attribute', badFirst, '--format', 'summary', '--workers', workers);
      expect(stopped).toMatchObject({ code: 1, stdout: '' });
      expect(stopped.stderr).toMatch(/unknown agent "ghost"/);
    }
    const skipped = await cli('attribute', badFirst, '--format', 'summary', '--skip-invalid');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout.startsWith(REPORT_LEGEND)).toBe(true);
    expect(skipped.stdout.split(REPORT_LEGEND)).toHaveLength(2);
    const empty = await cli('attribute', file('empty.jsonl', '\n'), '--format', 'summary');
    expect(empty).toMatchObject({ code: 0, stdout: REPORT_LEGEND });
  });

  it('reports a rate only for a run long enough to measure one, with singular and plural counts', () => {
    const counts = { episodes: 1, success: 1, failure: 0, skipped: 0, rows: 1 };
    const line = (seconds: number, more = {}) => runSummaryLine({ counts, format: 'rewards', seconds, skipInvalid: false, stoppedAt: null, ...more });
    expect(line(0.12)).toBe('attribute: 1 episode (1 success, 0 failure) -> 1 rewards row, 0.12 s');
    expect(line(MIN_SECONDS_FOR_RATE - 0.01)).not.toMatch(/episodes\/s/);
    // One episode that took long (a loaded machine): still no rate; enough episodes: a rate, to two digits when slow.
    expect(line(30)).toBe('attribute: 1 episode (1 success, 0 failure) -> 1 rewards row, 30.00 s');
    const judged = { episodes: MIN_EPISODES_FOR_RATE, success: 10, failure: 0, skipped: 0, rows: 40 };
    expect(line(12, { counts: judged })).toBe('attribute: 10 episodes (10 success, 0 failure) -> 40 rewards rows, 12.00 s (0.83 episodes/s)');
    expect(line(MIN_SECONDS_FOR_RATE - 0.01, { counts: judged })).not.toMatch(/episodes\/s/);
    const many = { episodes: 25_000, success: 20_000, failure: 4_000, skipped: 1, rows: 80_000 };
    expect(runSummaryLine({ counts: many, format: 'dpo', output: 'out.jsonl', seconds: 2, skipInvalid: true, stoppedAt: null })).toBe(
      'attribute: 25000 episodes (20000 success, 4000 failure, 1 skipped) -> 80000 dpo rows in out.jsonl, 2.00 s (12500 episodes/s)',
    );
  });
});

describe('the report of an episode whose v(team) was judged or re-run', () => {
  const episode = {
    id: 'calibration',
    agents: ['planner', 'coder'],
    messages: [
      { id: 'm1', agent: 'planner', content: 'Plan it.' },
      { id: 'm2', agent: 'coder', content: 'Done.' },
    ],
    outcome: { score: 0.8, success: true },
  };
  // A re-run of the team scores it 1 where the record says 0.8: the credits split 1.
  const evaluate = (agents: string[]) => agents.length / 2;

  it('shows v(team), where it came from, outcome.score and their gap', async () => {
    const report = episodeReport(await attributeEpisode(episode, { evaluate }));
    expect(report).toContain('  v(team)      1.00 evaluated, outcome.score 0.80 (gap +0.20)\n');
  });

  it('says nothing of it when v(team) is the given score', async () => {
    const pinned = episodeReport(await attributeEpisode(episode, { evaluate, teamValue: 'outcome' }));
    expect(pinned).not.toContain('v(team)');
    const given = episodeReport(await attributeEpisode({ ...episode, coalitions: [{ agents: [], value: 0 }, { agents: ['planner'], value: 0.3 }, { agents: ['coder'], value: 0.4 }] }));
    expect(given).not.toContain('v(team)');
  });
});
