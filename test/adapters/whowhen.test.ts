import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromWhoWhen, whoWhenAgent } from '../../src/episodes/adapters/whowhen.js';
import { attributeEpisode, attributeEpisodes } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { toPrm } from '../../src/episodes/export.js';
import { readJson } from '../support/fixtures.js';
import { cli } from '../support/cli.js';
import { WHOWHEN_RELEASE } from '../support/whowhen-release.js';
import { tempDir } from '../support/temp-dir.js';

const FILES = ['examples/whowhen/Hand-Crafted/6.json', 'examples/whowhen/Algorithm-Generated/93.json', 'examples/whowhen/Algorithm-Generated/102.json'];

describe('Who&When adapter (the three bundled logs)', () => {
  for (const file of FILES) {
    it(`${file}: the first error is mistake_agent at mistake_step`, async () => {
      const log = readJson(file) as { mistake_agent: string; mistake_step: string; history: unknown[]; question: string };
      const episode = parseEpisode(fromWhoWhen(log));
      expect(episode.messages).toHaveLength(log.history.length);
      expect(episode.task).toBe(log.question);
      const signals = await attributeEpisode(episode);
      expect(signals.success).toBe(false);
      expect(signals.firstError).toMatchObject({ agent: log.mistake_agent, index: Number(log.mistake_step), strategy: 'label' });
      // PRM rows are one per agent, its own messages the steps: the mistake agent's row turns false at its message.
      const row = toPrm(signals, episode).find((prm) => prm.agent === log.mistake_agent)!;
      const ownBefore = episode.messages.slice(0, Number(log.mistake_step)).filter((message) => message.agent === log.mistake_agent).length;
      expect(row.labels.indexOf(false)).toBe(ownBefore);
    });
  }

  it('strips role suffixes of the Magentic-One variant', () => {
    expect(whoWhenAgent('Orchestrator (thought)')).toBe('Orchestrator');
    expect(whoWhenAgent('Orchestrator (-> WebSurfer)')).toBe('Orchestrator');
    expect(whoWhenAgent('WebSurfer')).toBe('WebSurfer');
    const episode = parseEpisode(fromWhoWhen(readJson(FILES[0])));
    expect(episode.agents).toEqual(['Orchestrator', 'WebSurfer']);
    expect(episode.context).toEqual(['human']);
  });

  it('reads the agent from name in the AG2 variant', () => {
    const episode = parseEpisode(fromWhoWhen(readJson(FILES[1])));
    expect(episode.agents).toEqual(['JamesBondFilms_Expert', 'MovieProp_Expert', 'FilmCritic_Expert']);
  });

  it('rejects a mistake_step outside history', () => {
    const log = readJson(FILES[1]) as Record<string, unknown>;
    expect(() => fromWhoWhen({ ...log, mistake_step: '6' })).toThrow(/mistake_step: expected a 0-based index into history \(0\.\.5\) as an integer or a string of digits, got "6"/);
  });

  it('accepts mistake_step only as an integer or a string of digits, naming the field and value otherwise', () => {
    const log = { question_ID: 'q', history: [{ role: 'A', content: 'a' }, { role: 'B', content: 'b' }] };
    expect(fromWhoWhen({ ...log, mistake_step: '1' }).annotations).toEqual({ question_ID: 'q', mistake_step: '1' });
    expect(fromWhoWhen({ ...log, mistake_step: '1' }).messages).toEqual([{ agent: 'A', content: 'a' }, { agent: 'B', content: 'b', label: 'error' }]);
    expect(fromWhoWhen({ ...log, mistake_step: 0 }).messages).toEqual([{ agent: 'A', content: 'a', label: 'error' }, { agent: 'B', content: 'b' }]);
    expect(fromWhoWhen(log).messages).toEqual([{ agent: 'A', content: 'a' }, { agent: 'B', content: 'b' }]);
    for (const [step, shown] of [[null, 'null'], ['', '""'], [true, 'true'], [' 1', '" 1"'], ['1.0', '"1.0"'], [1.5, '1.5'], [-1, '-1'], ['0x1', '"0x1"'], [[1], 'an array of 1']] as const) {
      expect(() => fromWhoWhen({ ...log, mistake_step: step })).toThrow(`mistake_step: expected a 0-based index into history (0..1) as an integer or a string of digits, got ${shown}`);
    }
  });

  it('keeps the evaluation beside the log (coalitions, outcome, id, repairs); a numeric question_ID is the id', async () => {
    const history = [{ role: 'A', content: 'a' }, { role: 'B', content: 'b' }];
    const coalitions = [{ agents: [], value: 0 }, { agents: ['A'], value: 0.25 }, { agents: ['B'], value: 0.5 }, { agents: ['A', 'B'], value: 1 }];
    const correct = fromWhoWhen({ question_ID: 7, is_correct: true, history, coalitions });
    expect(correct).toMatchObject({ id: '7', outcome: { score: 1, success: true }, coalitions });
    const signals = await attributeEpisode(correct);
    expect(signals.agents.map((agent) => agent.credit)).toEqual([expect.closeTo(0.375, 12), expect.closeTo(0.625, 12)]);
    const failed = fromWhoWhen({ question_ID: 'q', id: 'mine', history, mistake_step: '1', outcome: { score: 0.2, success: false }, coalitions: [...coalitions.slice(0, 3), { agents: ['A', 'B'], value: 0.2 }], repairs: [{ message: '1', content: 'better' }] });
    expect(failed).toMatchObject({ id: 'mine', outcome: { score: 0.2, success: false } });
    const failedSignals = await attributeEpisode(failed);
    expect(failedSignals.agents.every((agent) => typeof agent.credit === 'number')).toBe(true);
    expect(failedSignals.preferences[0]).toMatchObject({ type: 'pair', source: 'repair', message: '1' });
    expect(fromWhoWhen({ history }, { id: 'fallback', outcome: { score: 0.5, success: false } })).toMatchObject({ id: 'fallback', outcome: { score: 0.5, success: false } });
  });
});


/** The public release's logs, in path order, with their subset. */
function releaseLogs(): Array<{ subset: string; file: string; log: Record<string, unknown> }> {
  return ['Algorithm-Generated', 'Hand-Crafted'].flatMap((subset) =>
    readdirSync(join(WHOWHEN_RELEASE, subset))
      .filter((file) => file.endsWith('.json'))
      .sort((a, b) => Number.parseInt(a) - Number.parseInt(b))
      .map((file) => ({ subset, file: join(WHOWHEN_RELEASE, subset, file), log: JSON.parse(readFileSync(join(WHOWHEN_RELEASE, subset, file), 'utf8')) as Record<string, unknown> })),
  );
}

describe('Who&When: the 184 logs of the public release', () => {
  const logs = releaseLogs();

  it('gives 184 episodes, 0 errors, every annotation carried; is_correct / is_corrected read as the outcome', async () => {
    expect(logs).toHaveLength(184);
    const episodes = logs.map(({ log }) => parseEpisode(fromWhoWhen(log)));
    for (const [k, episode] of episodes.entries()) {
      const { log } = logs[k];
      for (const key of ['mistake_agent', 'mistake_step', 'mistake_reason', 'ground_truth', 'question_ID']) expect(episode.annotations![key]).toEqual(log[key]);
      if ('level' in log) expect(episode.annotations!.level).toEqual(log.level);
      expect('is_correct' in log ? episode.annotations!.is_correct : episode.annotations!.is_corrected).toBe(false);
      expect(episode.annotations).not.toHaveProperty('history');
      expect(episode.outcome).toEqual({ score: 0, success: false });
    }
    expect(logs.filter(({ log }) => 'is_corrected' in log)).toHaveLength(58);
    // is_corrected is the Hand-Crafted outcome: a log marked corrected is a success.
    const handCrafted = logs.find(({ subset }) => subset === 'Hand-Crafted')!.log;
    expect(fromWhoWhen({ ...handCrafted, is_corrected: true }).outcome).toEqual({ score: 1, success: true });
    const signals = await attributeEpisodes(episodes);
    const disagreeing = signals.flatMap((signal, k) => (signal.annotationAgreement!.agent === false ? [`${logs[k].subset}/${logs[k].file.replace(/^.*\//, '')}`] : []));
    // The 8 logs whose annotated mistake_agent is not the writer of history[mistake_step] (2 only by letter case).
    expect(disagreeing.sort()).toEqual([
      'Algorithm-Generated/14.json', 'Algorithm-Generated/15.json', 'Algorithm-Generated/59.json',
      'Hand-Crafted/11.json', 'Hand-Crafted/13.json', 'Hand-Crafted/20.json', 'Hand-Crafted/22.json', 'Hand-Crafted/49.json',
    ]);
    expect(signals.every((signal) => signal.annotationAgreement!.step === true)).toBe(true);
    expect(signals[0].annotations).toEqual(episodes[0].annotations);
  });

  it('the single JSONL of both subsets runs without --skip-invalid: 45 repeated question_IDs are named by file and line', async () => {
    const dir = tempDir('whowhen-');
    const single = join(dir, 'who_and_when.jsonl');
    writeFileSync(single, logs.map(({ log }) => JSON.stringify(log)).join('\n') + '\n');
    const { stdout, stderr, code } = await cli('attribute', single);
    expect(code, stderr).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; annotationAgreement: { agent: boolean } });
    expect(rows).toHaveLength(184);
    expect(new Set(rows.map((row) => row.id)).size).toBe(184);
    const renamed = rows.filter((row) => row.id.startsWith('who_and_when:'));
    expect(renamed).toHaveLength(45);
    expect(stderr).toMatch(/45 episode ids repeated an earlier one and became file:line\/id/);
    expect(stderr).toMatch(/8 episodes' first error disagree with the annotated mistake agent or step/);
    expect(stderr).toMatch(/attribute: 184 episodes \(0 success, 184 failure\)/);
    const one = await cli('attribute', join(WHOWHEN_RELEASE, 'Hand-Crafted', '11.json'), '-o', join(dir, 'one.jsonl'));
    expect(one.stderr).toMatch(/^agent-credit: 1 episode's first error disagrees with the annotated mistake agent or step/m);
    // The directory form: --from auto detects every log; --id-from file names each by its path.
    const byFile = await cli('attribute', WHOWHEN_RELEASE, '--id-from', 'file');
    expect(byFile.code, byFile.stderr).toBe(0);
    const ids = byFile.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    expect(new Set(ids).size).toBe(184);
    // Relative to the input directory, however its path was given.
    expect(ids).toContain('Hand-Crafted/6');
  });
});
