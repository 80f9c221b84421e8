// The adapters by input format name (the CLI's --from), and format detection for --from auto.
import { EpisodeError, parseEpisode, type Episode, type RecordSource } from '../episode.js';
import { InputError } from '../../core/errors.js';
import { checkKnownOptions, describe, misspelledName } from '../../core/validate.js';
import { ADAPTER_OPTIONS, checkListedAgentsSpeak, isRecord, type AdapterDefaults } from './common.js';
import { fromAG2 } from './ag2.js';
import { fromAutoGen } from './autogen.js';
import { FORMAT_LABELS, RECORD_FORMATS, detectFormat, formatOf, type RecordFormat } from './detect.js';
import { fromLangChain } from './langchain.js';
import { fromOpenAI } from './openai.js';
import { fromOtel, OTEL_OPTIONS } from './otel.js';
import { fromOpenAIResponses, RESPONSES_OPTIONS } from './responses.js';
import { fromText, TEXT_OPTIONS } from './text.js';
import { fromWhoWhen } from './whowhen.js';

export type { AdapterDefaults } from './common.js';
export type { ContentOptions } from './content.js';
export type { OtelOptions } from './otel.js';
export type { ResponsesOptions } from './responses.js';
export type { TextOptions } from './text.js';
export type { RecordFormat } from './detect.js';
export { detectFormat, formatOf, resemblance, FORMAT_LABELS, RECORD_FORMATS } from './detect.js';
export { fromAG2, fromAutoGen, fromLangChain, fromOpenAI, fromOpenAIResponses, fromOtel, fromText, fromWhoWhen };

/** Input formats the adapters read (the CLI's `--from`); `auto` sniffs each record. */
export const INPUT_FORMATS = ['auto', ...RECORD_FORMATS] as const;
/** One of {@link INPUT_FORMATS}. */
export type InputFormat = (typeof INPUT_FORMATS)[number];

type Adapter = (record: unknown, defaults: AdapterDefaults) => unknown;

/**
 * An episode record with the players `agents` names (the CLI's --agents):
 * every other speaker, and every agent it listed that is not named, becomes
 * context. A record that brings coalitions keeps its own players: its table
 * is over them.
 */
function withPlayers(record: unknown, agents: string[] | undefined): unknown {
  if (!agents || !isRecord(record)) return record;
  if (record.coalitions !== undefined) {
    throw new InputError([{ path: 'agents', message: `cannot make ${agents.join(', ')} the players of an episode that brings coalitions (its table is over its own agents); drop --agents or the coalitions` }]);
  }
  const listed = Array.isArray(record.agents) ? record.agents : [];
  const idOf = (agent: unknown) => (isRecord(agent) ? agent.id : agent);
  const players = agents.map((agent) => listed.find((entry) => idOf(entry) === agent) ?? agent);
  const spoken = Array.isArray(record.messages) ? record.messages.map((message) => (isRecord(message) ? message.agent : undefined)) : [];
  const recordContext = Array.isArray(record.context) ? record.context : [];
  const speaking = new Set(spoken.filter((speaker): speaker is string => typeof speaker === 'string'));
  // The record's own players are outsiders here: only `agents` is the cast, and one of them may be what a silent name meant.
  checkListedAgentsSpeak(agents, speaking, [...speaking].filter((speaker) => !agents.includes(speaker) && !recordContext.includes(speaker)), 'options.agents');
  const speakers = [...listed.map(idOf), ...recordContext, ...spoken];
  const context = [...new Set(speakers.filter((speaker): speaker is string => typeof speaker === 'string' && speaker !== '' && !agents.includes(speaker)))];
  return { ...record, agents: players, context };
}

const ADAPTERS: Record<RecordFormat, Adapter> = {
  episode: (record, defaults) => withPlayers(record, defaults.agents),
  openai: fromOpenAI,
  responses: fromOpenAIResponses,
  ag2: fromAG2,
  autogen: fromAutoGen,
  langchain: fromLangChain,
  otel: fromOtel,
  text: fromText,
  whowhen: fromWhoWhen,
};

/** The options each format's adapter takes; `auto` takes them all, passing each adapter its own. */
const OPTION_NAMES: Record<RecordFormat, readonly string[]> = {
  episode: ['agents'],
  openai: ADAPTER_OPTIONS,
  responses: RESPONSES_OPTIONS,
  ag2: ADAPTER_OPTIONS,
  autogen: ADAPTER_OPTIONS,
  langchain: ADAPTER_OPTIONS,
  otel: OTEL_OPTIONS,
  text: TEXT_OPTIONS,
  whowhen: ADAPTER_OPTIONS,
};
const ALL_OPTION_NAMES = [...new Set(Object.values(OPTION_NAMES).flat())];

/** The defaults `format`'s adapter takes (with `auto`, any adapter's options may be given). */
function defaultsFor(format: RecordFormat, defaults: AdapterDefaults): AdapterDefaults {
  const names = OPTION_NAMES[format];
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) if (names.includes(key)) own[key] = value;
  return own;
}

function idOf(record: unknown): string | undefined {
  const id = record && typeof record === 'object' && 'id' in record ? (record as { id: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** `format` as an input format name: the table lookup below would otherwise call a missing adapter (or an Object method) and fail with a TypeError. */
function checkFormat(format: unknown): InputFormat {
  if ((INPUT_FORMATS as readonly unknown[]).includes(format)) return format as InputFormat;
  const names = INPUT_FORMATS.join(', ');
  if (typeof format !== 'string') throw new InputError([{ path: 'format', message: `expected an input format name (${names}), got ${describe(format)}` }]);
  const near = misspelledName(format, INPUT_FORMATS);
  throw new InputError([{ path: 'format', message: `unknown input format ${describe(format)}${near ? ` (did you mean ${near}?)` : ''}; expected one of ${names}` }]);
}

/**
 * Adapts and validates one record: every episode it holds (a trace file may
 * hold several). With `auto` the format is sniffed; errors then name the
 * format assumed, beside the episode, the line and the field.
 */
export function episodesFrom(format: InputFormat, record: unknown, source: RecordSource = {}, defaults: AdapterDefaults = {}): Episode[] {
  checkFormat(format);
  checkKnownOptions(defaults, format === 'auto' ? ALL_OPTION_NAMES : [...ADAPTER_OPTIONS, ...OPTION_NAMES[format]]);
  try {
    return adaptedEpisodes(format, record, source, defaults);
  } catch (error) {
    // A record of another format than the one named fails on some field of the named one (an episode read as
    // OpenAI chat lacks messages[0].role): say which format it looks like, the likelier mistake.
    if (format === 'auto' || !(error instanceof EpisodeError)) throw error;
    const looksLike = detectFormat(record);
    if (looksLike === null || looksLike === format) throw error;
    const read = `${FORMAT_LABELS[format]} as asked; it looks like ${FORMAT_LABELS[looksLike]}, which format "${looksLike}" (--from ${looksLike}) or "auto" reads`;
    throw new EpisodeError(error.issues, error.episode, { ...error.source, format: read });
  }
}

function adaptedEpisodes(format: InputFormat, record: unknown, source: RecordSource, defaults: AdapterDefaults): Episode[] {
  let where = source;
  let adapted: unknown;
  try {
    const concrete = format === 'auto' ? formatOf(record) : format;
    if (format === 'auto') where = { ...source, format: FORMAT_LABELS[concrete] };
    adapted = ADAPTERS[concrete](record, defaultsFor(concrete, defaults ?? {}));
  } catch (error) {
    if (error instanceof InputError) throw new EpisodeError(error.issues, idOf(record) ?? defaults.id, where);
    throw error;
  }
  return Array.isArray(adapted) && format !== 'episode' ? adapted.map((item) => parseEpisode(item, where)) : [parseEpisode(adapted, where)];
}

/** Adapts and validates one record that holds one episode; errors name the episode, the line and the field. */
export function episodeFrom(format: InputFormat, record: unknown, source: RecordSource = {}, defaults: AdapterDefaults = {}): Episode {
  const episodes = episodesFrom(format, record, source, defaults);
  if (episodes.length !== 1) throw new EpisodeError(`holds ${episodes.length} episodes (${episodes.map((episode) => JSON.stringify(episode.id)).join(', ')}); read it with episodesFrom`, undefined, source);
  return episodes[0];
}
