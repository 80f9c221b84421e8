// The `agent-credit/episodes` entry, imported the way users import it (the
// package referring to itself by name resolves through its exports map).
import { describe, expect, it } from 'vitest';
import { readJson } from './support/fixtures.js';

describe('agent-credit/episodes entry', () => {
  it('resolves through the exports map and runs the whole pipeline', async () => {
    const episodes = await import('agent-credit/episodes');
    expect(Object.keys(episodes).sort()).toEqual([
      'EpisodeError', 'FORMAT_LABELS', 'INPUT_FORMATS', 'MESSAGE_LABELS', 'RECORD_FORMATS', 'ablate', 'agentView', 'annotationAgreement', 'attributeEpisode',
      'attributeEpisodes', 'detectFormat', 'distinctEpisodeId', 'dpoRows', 'episodeFrom', 'episodeSchema', 'episodesFrom', 'failureRewards', 'fileEpisodeId', 'findFirstError', 'foldSystemTurn', 'formatOf',
      'fromAG2', 'fromAutoGen', 'fromLangChain', 'fromOpenAI', 'fromOpenAIResponses', 'fromOtel', 'fromText', 'fromWhoWhen', 'ktoRows', 'messageQuality',
      'messageSchema', 'parseEpisode', 'preferencesOf', 'prmRows', 'rewardRows', 'searchFirstError', 'splitCredit', 'toDpo', 'toJsonl', 'toKto', 'toPrm', 'toRewards',
    ]);
    const signals = await episodes.attributeEpisode(readJson('examples/episodes/03-book-flights.json'));
    expect(episodes.toDpo(signals)).toHaveLength(1);
  });
});
