// How episodes are named where their records do not name them, or name them
// twice: the CLI, the demo and attributeEpisodes all go through these rules,
// so an episode read from the same file gets the same id everywhere. No
// `node:` imports: the demo runs this in a browser worker. File names come in
// as the rows' `source` column spells them (directories joined by `/`), so
// the rules do not depend on the platform that read the file.
import { InputError } from '../core/errors.js';
import { describe, isRecord } from '../core/validate.js';

/** The extensions of files read as JSON Lines and as one JSON text, in any letter case. */
export const JSONL_EXTENSIONS = ['.jsonl', '.ndjson'] as const;
export const JSON_EXTENSIONS = ['.json'] as const;
const EXTENSIONS: readonly string[] = [...JSONL_EXTENSIONS, ...JSON_EXTENSIONS];

/** Element k of a JSON list, as a record's file names it: `runs.json[3]`. */
const ELEMENT = /\[\d+\]$/;

/** `name` without its episode-file extension; a leading dot starts a name, not an extension (`.json` stays). */
function withoutExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= name.lastIndexOf('/') + 1) return name;
  return EXTENSIONS.includes(name.slice(dot).toLowerCase()) ? name.slice(0, dot) : name;
}

/** `place/id`: an id told apart by where its episode was read (--id-from both, and a repeated id). */
export function placedEpisodeId(place: string, id: string): string {
  return `${place}/${id}`;
}

/**
 * The id of an episode whose record has none, from where it was read: the
 * file's name without its `.json`, `.jsonl` or `.ndjson` extension (any
 * letter case; other extensions stay), element k of a JSON list as
 * `name[k]`, a JSON Lines record as `name:line`. Directories stay in the id
 * as `file` gives them; a backslash is part of a name, not a separator (the
 * CLI gives files as its rows' `source` column does, with `/`). Letters of
 * every script and control characters stay as they are: the id is data, and
 * the CLI's report and messages escape controls where they show it.
 *
 * @param source `file`: the file's name, where element k of a JSON list ends
 * in `[k]` (as {@link RecordSource} names it); `line`: the 1-based line of a
 * JSON Lines record.
 * @throws InputError when `file` is not a non-empty string or `line` is not
 * a positive integer.
 *
 * @example
 * fileEpisodeId({ file: 'runs/monday.jsonl', line: 12 }); // 'runs/monday:12'
 * fileEpisodeId({ file: 'episodes.json[3]' });            // 'episodes[3]'
 * fileEpisodeId({ file: 'notes.txt' });                   // 'notes.txt'
 */
export function fileEpisodeId(source: { file: string; line?: number }): string {
  if (!isRecord(source)) {
    throw new InputError([{ path: 'source', message: `expected { file, line? }, where the episode was read, got ${describe(source)}` }], 'fileEpisodeId');
  }
  const { file, line } = source;
  if (typeof file !== 'string' || file === '') {
    throw new InputError([{ path: 'source.file', message: `expected the file's name, a non-empty string, got ${describe(file)}` }], 'fileEpisodeId');
  }
  if (line !== undefined && !(Number.isSafeInteger(line) && line >= 1)) {
    throw new InputError([{ path: 'source.line', message: `expected a JSON Lines record's line number, an integer from 1, or nothing, got ${describe(line)}` }], 'fileEpisodeId');
  }
  const element = ELEMENT.exec(file)?.[0] ?? '';
  const name = withoutExtension(file.slice(0, file.length - element.length)) + element;
  return line === undefined ? name : `${name}:${line}`;
}

/**
 * The id an episode goes by among ids already `taken`: its own; when that
 * repeats an earlier episode's, `place/id` (two subsets of one dataset that
 * share ids, say); undefined when that is taken too, or when `place` is
 * undefined (nothing to tell the two apart by): a duplicate, for the caller
 * to refuse with its own context. The id returned is not added to `taken`.
 *
 * @param id The episode's own id.
 * @param place Where the episode was read: `fileEpisodeId(source)` (the
 * CLI's and the demo's `file:line`), or `episodes[k]` (attributeEpisodes).
 * @param taken The ids given so far: a Set, a Map keyed by id, or anything
 * with `has(id)`.
 * @throws InputError when `id` is not a string, `place` is neither a string
 * nor undefined, or `taken` has no `has` method.
 *
 * @example
 * const taken = new Set(['q-17']);
 * distinctEpisodeId('q-18', 'hand-crafted:2', taken); // 'q-18'
 * distinctEpisodeId('q-17', 'hand-crafted:3', taken); // 'hand-crafted:3/q-17'
 * taken.add('hand-crafted:3/q-17');
 * distinctEpisodeId('q-17', 'hand-crafted:3', taken); // undefined: a duplicate
 */
export function distinctEpisodeId(id: string, place: string | undefined, taken: { has(id: string): boolean }): string | undefined {
  if (typeof id !== 'string') throw new InputError([{ path: 'id', message: `expected the episode's id, a string, got ${describe(id)}` }], 'distinctEpisodeId');
  if (place !== undefined && typeof place !== 'string') {
    throw new InputError([{ path: 'place', message: `expected where the episode was read, a string, or undefined, got ${describe(place)}` }], 'distinctEpisodeId');
  }
  if (typeof (taken as { has?: unknown } | null)?.has !== 'function') {
    throw new InputError([{ path: 'taken', message: `expected the ids taken so far, a Set or anything with has(id), got ${describe(taken)}` }], 'distinctEpisodeId');
  }
  if (!taken.has(id)) return id;
  if (place === undefined) return undefined;
  const placed = placedEpisodeId(place, id);
  return taken.has(placed) ? undefined : placed;
}
