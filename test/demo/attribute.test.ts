import { describe, expect, it } from 'vitest';
import { attributeSource, inspectSource } from '../../demo/src/attribute.js';
import type { EpisodeEntry, ResultEntry, RunOptions, Setup } from '../../demo/src/protocol.js';

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
