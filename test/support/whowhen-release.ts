// The Who&When public release (184 failure logs, MIT), bundled verbatim under
// test/fixtures so that every test on real logs runs on a fresh clone; see its
// SOURCE.md for the quirks the adapter handles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WHOWHEN_RELEASE = fileURLToPath(new URL('../fixtures/whowhen-release/', import.meta.url));

/** The release's two subsets, each a folder of one JSON log per task. */
export const WHOWHEN_SUBSETS = ['Algorithm-Generated', 'Hand-Crafted'] as const;

export interface WhoWhenLog {
  /** "<subset>/<name>.json": unique, where a log's own id is not (45 questions are in both subsets). */
  file: string;
  record: Record<string, unknown>;
}

/** Every log under `directory` (the bundled release by default), subset by subset, in name order; a missing subset is skipped. */
export function whoWhenLogs(directory: string = WHOWHEN_RELEASE): WhoWhenLog[] {
  return WHOWHEN_SUBSETS.flatMap((subset) => {
    const folder = join(directory, subset);
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => ({ file: `${subset}/${name}`, record: JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown> }));
  });
}
