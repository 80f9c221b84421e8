// Where `--report` goes: collects each attributed episode's entry while the
// run goes on, then writes the HTML file once, through the same temporary
// file and rename as -o (a run that fails leaves no half-written report).
import { stat } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { fileOutput } from './output.js';
import type { InputFile } from './records.js';
import { reportHtml } from './html-report.js';
import { terminalText } from '../core/terminal-text.js';

export interface ReportOutput {
  /** htmlReportEntry() texts of the attributed episodes, in input order. */
  entries: string[];
  /** Errors of the records that were skipped or stopped the run. */
  problems: string[];
  /** Writes the report when the run completed (or stopped at a bad record); else removes it. */
  close(complete: boolean, inputs: string[]): Promise<void>;
}

/** The report's file; that it is not -o or another file the run writes is checked before (output-paths.ts). */
export async function reportOutput(path: string, inputs: InputFile[]): Promise<ReportOutput> {
  const existing = await stat(path).catch(() => undefined);
  const clash = existing && inputs.find((file) => file.dev === existing.dev && file.ino === existing.ino);
  if (clash) throw new InputError(`--report ${path} is also an input (${terminalText(clash.path)}); choose a report file outside the inputs`);
  const file = await fileOutput(path, inputs, '--report');
  const entries: string[] = [];
  const problems: string[] = [];
  return {
    entries,
    problems,
    async close(complete, names) {
      if (!complete) return file.abort();
      await file.write(new TextEncoder().encode(await reportHtml(names, entries, problems)));
      await file.commit();
    },
  };
}
