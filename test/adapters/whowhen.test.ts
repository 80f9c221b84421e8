import { describe, expect, it } from 'vitest';
import { fromWhoWhen, whoWhenAgent } from '../../src/episodes/adapters/whowhen.js';
import { attributeEpisode } from '../../src/episodes/attribute.js';
import { parseEpisode } from '../../src/episodes/episode.js';
import { toPrm } from '../../src/episodes/export.js';
import { readJson } from '../support/fixtures.js';

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
      const [row] = toPrm(signals, episode);
      expect(row.labels.indexOf(false)).toBe(Number(log.mistake_step));
    });
  }

  it('strips role suffixes of the Magentic-One variant', () => {
    expect(whoWhenAgent('Orchestrator (thought)')).toBe('Orchestrator');
    expect(whoWhenAgent('Orchestrator (-> WebSurfer)')).toBe('Orchestrator');
    expect(whoWhenAgent('WebSurfer')).toBe('WebSurfer');
    const episode = parseEpisode(fromWhoWhen(readJson(FILES[0])));
    expect(episode.agents).toEqual(['human', 'Orchestrator', 'WebSurfer']);
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
