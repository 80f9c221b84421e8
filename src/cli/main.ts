// The agent-credit command line: reads JSON, prints one JSON object on stdout,
// reports errors on stderr with exit code 1.
import { readFile } from 'node:fs/promises';
import { parseFlags } from './flags.js';
import { ATTRIBUTE_USAGE, attributeCommand } from './attribute.js';
import { SUMMARY_USAGE, summaryCommand } from './summary.js';
import { BENCH_WHOWHEN_USAGE, benchWhoWhenCommand } from './bench-whowhen.js';
import { InputError } from '../core/errors.js';
import { terminalLines } from '../core/terminal-text.js';
import { JudgeError } from '../judge/judge-error.js';
import { reasonOf, stdoutOutput, type Output } from './output.js';
import { decodeUtf8, fileKind } from './records.js';
import { detectFormat } from '../episodes/adapters/detect.js';
import { isRecord, misspelledName } from '../core/validate.js';
import type { Method } from '../core/schemas.js';
import { banzhaf, interactions, shapley, type Game, type ShapleyResult } from '../attribution/shapley.js';

const SHAPLEY_USAGE =
  '  agent-credit shapley <game.json> [--method exact|permutation|stratified|kernel|svarm|msr|auto] [--index shapley|banzhaf] [--budget N] [--seed N]';
const INTERACTIONS_USAGE = '  agent-credit interactions <game.json>';
const GAME = '<game.json> holds {"players": [...], "values": [...]} with values[mask] = v(S), bit i of mask = players[i].';

const USAGE = `Usage:
${SHAPLEY_USAGE}
${INTERACTIONS_USAGE}
${ATTRIBUTE_USAGE}
${SUMMARY_USAGE}
${BENCH_WHOWHEN_USAGE}

${GAME}
Run agent-credit <command> --help for a command's options; agent-credit --version prints the version.`;

/** A failure the user can fix; printed without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function integerFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${name}: expected a non-negative integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

async function readJson(path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  // The same decoding as attribute: a byte order mark is dropped, bytes that are not UTF-8 are named.
  const decoded = decodeUtf8(bytes);
  if (!('text' in decoded)) throw new UsageError(`${path}: ${decoded.unreadable}`);
  const { text } = decoded;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * The game file of `shapley` or `interactions`. An episode, a transcript or a
 * JSON Lines file given here instead (the commands sit side by side in
 * --help) is named as such, with the command that reads it, rather than
 * failing on its missing `players`.
 */
async function readGame(path: string, command: string): Promise<unknown> {
  const toAttribute = `${command} takes a game table {"players": [...], "values": [...]}; for the agents of an episode or a transcript, run: agent-credit attribute ${path}`;
  let json: unknown;
  try {
    json = await readJson(path);
  } catch (error) {
    if (error instanceof UsageError && fileKind(path) === 'jsonl') throw new UsageError(`${error.message}\n${path} looks like JSON Lines (episodes or a log, one record per line): ${toAttribute}`);
    throw error;
  }
  const what = transcriptKind(json);
  if (what) throw new UsageError(`${path}: holds ${what}, not a game table: ${toAttribute}`);
  return json;
}

/** What attribute --from auto would read `json` as, when it is no game table: an episode or transcript, or a list of them; else null. */
function transcriptKind(json: unknown): string | null {
  if (!isRecord(json) && !Array.isArray(json)) return null;
  if (isRecord(json) && 'players' in json) return null;
  if (detectFormat(json) !== null) return 'an episode or a transcript';
  return Array.isArray(json) && detectFormat(json[0]) !== null ? 'a list of episodes or transcripts' : null;
}

function plain(result: ShapleyResult): object {
  return { ...result, values: Array.from(result.values), stderr: result.stderr && Array.from(result.stderr) };
}

type Command = (args: string[], out: (text: string) => Promise<void>) => Promise<void>;

const commands: Record<string, Command> = {
  attribute: (args) => attributeCommand(args),
  summary: (args) => summaryCommand(args),
  'bench-whowhen': (args, out) => benchWhoWhenCommand(args, out),
  async shapley(args, out) {
    const { values: flags, positionals } = parseFlags(args, {
      method: { type: 'string' },
      index: { type: 'string', default: 'shapley' },
      budget: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (flags.help) return out(`Usage:\n${SHAPLEY_USAGE}\n\n${GAME}`);
    if (positionals.length !== 1) throw new UsageError('shapley: expected exactly one <game.json>');
    const game = (await readGame(positionals[0], 'shapley')) as Game;
    if (flags.index !== 'shapley' && flags.index !== 'banzhaf') {
      throw new UsageError(`--index: expected shapley or banzhaf, got ${JSON.stringify(flags.index)}`);
    }
    const method = flags.method as Method | undefined;
    const budget = integerFlag('budget', flags.budget);
    const seed = integerFlag('seed', flags.seed);
    if (flags.index === 'banzhaf' && (method !== undefined || budget !== undefined || seed !== undefined)) {
      // Banzhaf values are always exact here: a sampling flag would be silently ignored.
      throw new UsageError('--index banzhaf: Banzhaf values are computed exactly; drop --method, --budget and --seed');
    }
    const result = flags.index === 'banzhaf' ? await banzhaf(game) : await shapley(game, { method, budget, seed });
    await out(JSON.stringify({ index: flags.index, ...plain(result) }));
  },
  async interactions(args, out) {
    const { values: flags, positionals } = parseFlags(args, { help: { type: 'boolean', short: 'h', default: false } });
    if (flags.help) return out(`Usage:\n${INTERACTIONS_USAGE}\n\n${GAME}`);
    if (positionals.length !== 1) throw new UsageError('interactions: expected exactly one <game.json>');
    const game = (await readGame(positionals[0], 'interactions')) as Parameters<typeof interactions>[0];
    const { players, matrix } = await interactions(game);
    await out(JSON.stringify({ players, matrix: Array.from(matrix) }));
  },
};

/** Registers a subcommand (used by modules that add their own). */
export function addCommand(name: string, command: Command): void {
  commands[name] = command;
}

/** The version in the package.json beside dist/ (the one npm installed). */
async function packageVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // A reader that goes away (`| head`) ends the output quietly, as for other Unix tools. Rows and
  // results go through stdoutOutput, which fails the command; this catches the rest (help text).
  let stdoutFailure: Error | undefined;
  process.stdout.on('error', (error: Error & { code?: string }) => {
    if (error.code !== 'EPIPE') stdoutFailure ??= error;
  });
  process.stderr.on('error', () => undefined); // nowhere left to report to
  let [name, ...rest] = argv;
  if (name === 'help' && rest.length > 0 && commands[rest[0]]) [name, rest] = [rest[0], ['--help']];
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${await packageVersion()}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(USAGE + '\n');
    return name ? 0 : 1;
  }
  const command = commands[name];
  let stdout: Output | undefined;
  const out = async (text: string) => {
    stdout ??= stdoutOutput();
    await stdout.write(new TextEncoder().encode(text + '\n'));
  };
  try {
    if (!command) {
      const near = misspelledName(name, Object.keys(commands));
      throw new UsageError(`unknown command ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ''}\n${USAGE}`);
    }
    await command(rest, out);
    await stdout?.commit();
    // Writes to a file or device report their failure on a later tick.
    await new Promise((next) => setImmediate(next));
    if (stdoutFailure) throw new InputError(`cannot write stdout: ${reasonOf(stdoutFailure)}`);
    return 0;
  } catch (error) {
    // A judge that failed for good is not a bug: its message names the episode, the judgement and why.
    const known = error instanceof InputError || error instanceof UsageError || error instanceof JudgeError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(terminalLines(`agent-credit: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`));
    return 1;
  }
}
