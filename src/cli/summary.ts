// `agent-credit summary signals.jsonl [...]`: the readable report (src/cli/report.ts) of
// signals rows that `agent-credit attribute` wrote, the same text `attribute --format summary`
// prints. Each row is checked for the fields the report reads, so a file of other rows
// (dpo, rewards, ...) is an error naming its line and field, not a report of undefined values.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as z from 'zod/mini';
import type { Signals } from '../episodes/attribute.js';
import { InputError } from '../core/errors.js';
import { parseOrThrow } from '../core/validate.js';
import { reasonOf, stdoutOutput } from './output.js';
import { REPORT_LEGEND, reportEntry } from './report.js';
import { terminalLines, terminalText } from '../core/terminal-text.js';

export const SUMMARY_USAGE = '  agent-credit summary <signals.jsonl> [...]';

const SUMMARY_HELP = `Usage:
${SUMMARY_USAGE}

Prints the readable report of signals rows written by agent-credit attribute (--format signals,
the default): a legend, then per episode its credit, strongest interaction, first error, message
rewards and preferences. agent-credit attribute --format summary prints the same report directly.
  -h, --help   print this help`;

const nullableNumber = z.nullable(z.number());
/** The fields of a signals row the report reads; other fields are left alone. */
const signalsRow = z.looseObject({
  id: z.string(),
  success: z.boolean(),
  agents: z.array(z.looseObject({ agent: z.string(), credit: nullableNumber, stderr: z.optional(nullableNumber) })),
  interactions: z.optional(z.nullable(z.array(z.array(z.number())))),
  messages: z.array(z.looseObject({ id: z.string(), agent: z.string(), reward: z.number() })),
  firstError: z.optional(z.nullable(z.looseObject({ id: z.string(), index: z.number(), agent: z.string(), strategy: z.string() }))),
  preferences: z.array(z.looseObject({ type: z.string() })),
  // v(team) beside outcome.score, which the report shows for a judged or re-run episode.
  sources: z.optional(z.looseObject({ team: z.optional(z.nullable(z.looseObject({ value: z.number(), source: z.string(), outcomeScore: z.number() }))) })),
});

async function* reportOf(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number++;
      if (line.trim() === '') continue;
      const where = `${terminalText(path)} line ${number}`;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (error) {
        // A pretty-printed episode or transcript fails on its first line: say what summary reads, and what reports that file.
        const hint = number === 1 ? `\n  summary reads the signals rows agent-credit attribute writes (JSONL); to report an episode or transcript file, run agent-credit attribute ${terminalText(path)} --format summary` : '';
        throw new InputError(`not valid JSON (${(error as Error).message})${hint}`, where);
      }
      try {
        yield reportEntry(parseOrThrow(signalsRow, row) as unknown as Signals);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        throw new InputError(`${error.message}\n  expected a signals row, as agent-credit attribute writes with --format signals (the default)`, where);
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${terminalText(path)}: ${reasonOf(error)}`);
  } finally {
    lines.close();
  }
}

export async function summaryCommand(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) return void process.stdout.write(SUMMARY_HELP + '\n');
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown) throw new InputError(`summary: unknown option ${unknown}\nUsage:\n${SUMMARY_USAGE}`);
  if (args.length === 0) throw new InputError(`summary: expected one or more signals files (JSONL)\nUsage:\n${SUMMARY_USAGE}`);
  for (const path of args) {
    const kind = await stat(path).then((found) => (found.isDirectory() ? 'directory' : 'file'), () => 'file');
    if (kind === 'directory') throw new InputError(`summary: ${terminalText(path)} is a directory; give the signals files in it (JSONL), e.g. ${terminalText(join(path, '*.jsonl'))}`);
  }
  const output = stdoutOutput();
  const encoder = new TextEncoder();
  // The legend goes out with the first entry (or at the end of an empty report): a file that fails at once prints nothing.
  let legend = false;
  for (const path of args) {
    let rows = 0;
    for await (const entry of reportOf(path)) {
      rows++;
      // A reader that went away (`| head`) ends the report quietly.
      if (output.closed) return;
      await output.write(encoder.encode(legend ? entry : REPORT_LEGEND + entry));
      legend = true;
    }
    // An empty file (a run that attributed nothing, a wrong path pattern) reports nothing: say so, as attribute does.
    if (rows === 0) process.stderr.write(terminalLines(`agent-credit: warning: ${path} holds no signals rows; nothing to report from it\n`));
  }
  if (!legend) await output.write(encoder.encode(REPORT_LEGEND));
  await output.commit();
}
