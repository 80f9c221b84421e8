// A repeated episode id is renamed in rows the workers already wrote
// (renameRows): in export rows the bytes are edited where the top-level
// `episode` field is, so the same id elsewhere in a row must stay as it is.
import { describe, expect, it } from 'vitest';
import { renameRows } from '../dist/cli/attribute-rows.js';
import { toDpo, toKto, toPrm, toRewards, toJsonl } from '../dist/episodes.js';
import { attributeEpisode } from '../dist/episodes.js';

const id = 'ep "1"\u2028';
// The id everywhere a row can repeat it: as an agent, a message id, in text (also as JSON text), as a task;
// with quotes and U+2028, which rows write escaped.
const episode = {
  id,
  task: `Solve ${id}`,
  agents: [id, 'coder'],
  messages: [
    { id, agent: id, content: `plan for {"episode":"${id}"} and ,"episode":${JSON.stringify(id)},`, label: 'helpful' },
    { id: 'm2', agent: 'coder', content: `"episode":${JSON.stringify(id)}}`, label: 'error' },
    { id: 'm3', agent: id, content: 'fixed it', label: 'corrective' },
  ],
  // A repair makes the DPO pair.
  repairs: [{ message: 'm2', content: `checked ,"episode":${JSON.stringify(id)}} first` }],
  outcome: { success: false, score: 0 },
};

/** The rename as a reader would do it: parse each row, rename its top-level field, write it again. */
function parsedRename(bytes: Uint8Array, to: string): string {
  return new TextDecoder().decode(bytes).split('\n').filter((line) => line !== '').map((line) => {
    const row = JSON.parse(line);
    if (row.episode === id) row.episode = to;
    return toJsonl(row);
  }).join('');
}

describe('renameRows', async () => {
  const signals = await attributeEpisode(episode);
  const formats = {
    dpo: toDpo(signals),
    kto: toKto(signals),
    prm: toPrm(signals, episode),
    rewards: toRewards(signals, episode),
  } as const;
  for (const [format, rows] of Object.entries(formats)) {
    it(`${format}: renames the top-level episode field only, as parsing the rows would`, () => {
      expect(rows.length).toBeGreaterThan(0);
      const bytes = new TextEncoder().encode(toJsonl(rows));
      const to = `rows.jsonl:7/${id}`;
      const renamed = new TextDecoder().decode(renameRows(bytes, format as keyof typeof formats, id, to));
      expect(renamed).toBe(parsedRename(bytes, to));
      expect(renamed.split('\n').filter(Boolean).map((line) => JSON.parse(line).episode)).toEqual(rows.map(() => to));
    });
  }
});
