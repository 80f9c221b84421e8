import { readFileSync } from 'node:fs';

/** A JSON file under test/fixtures/ or examples/ (paths relative to the repository root). */
export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
}
