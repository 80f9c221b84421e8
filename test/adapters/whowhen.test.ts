import { describe, expect, it } from 'vitest';
import { fromWhoWhen, whoWhenAgent } from '../../src/adapters/whowhen.js';
import { attributeEpisode } from '../../src/attribute.js';
import { parseEpisode } from '../../src/episode.js';
import { toPrm } from '../../src/export.js';
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
    expect(() => fromWhoWhen({ ...log, mistake_step: '6' })).toThrow(/mistake_step: expected a 0-based index into history \(0\.\.5\), got "6"/);
  });
});
