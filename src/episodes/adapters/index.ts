// The adapters by input format name (the CLI's --from).
import { EpisodeError, parseEpisode, type Episode, type RecordSource } from '../episode.js';
import { InputError } from '../../core/errors.js';
import type { AdapterDefaults } from './common.js';
import { fromAG2 } from './ag2.js';
import { fromAutoGen } from './autogen.js';
import { fromLangChain } from './langchain.js';
import { fromOpenAI } from './openai.js';
import { fromWhoWhen } from './whowhen.js';

export type { AdapterDefaults } from './common.js';
export { fromAG2, fromAutoGen, fromLangChain, fromOpenAI, fromWhoWhen };

/** Input formats the adapters read (the CLI's `--from`). */
export const INPUT_FORMATS = ['episode', 'openai', 'ag2', 'autogen', 'langchain', 'whowhen'] as const;
/** One of {@link INPUT_FORMATS}. */
export type InputFormat = (typeof INPUT_FORMATS)[number];

type Adapter = (record: unknown, defaults: AdapterDefaults) => unknown;

const ADAPTERS: Record<InputFormat, Adapter> = {
  episode: (record) => record,
  openai: fromOpenAI,
  ag2: fromAG2,
  autogen: fromAutoGen,
  langchain: fromLangChain,
  whowhen: fromWhoWhen,
};

function idOf(record: unknown): string | undefined {
  const id = record && typeof record === 'object' && 'id' in record ? (record as { id: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Adapts and validates one record; errors name the episode, the line and the field. */
export function episodeFrom(format: InputFormat, record: unknown, source: RecordSource = {}, defaults: AdapterDefaults = {}): Episode {
  let adapted: unknown;
  try {
    adapted = ADAPTERS[format](record, defaults);
  } catch (error) {
    if (error instanceof InputError) throw new EpisodeError(error.issues, idOf(record) ?? defaults.id, source);
    throw error;
  }
  return parseEpisode(adapted, source);
}
