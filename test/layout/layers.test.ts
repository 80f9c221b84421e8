// The tree reads as the pipeline: each folder of src/ may import only from
// its own layer and the ones below it, and no module imports itself back
// through a circle. Entry files at the top of src/ may import anything.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Lower layers first; folders on one rank may not import each other. */
const LAYERS: Record<string, number> = {
  core: 0,
  estimators: 1,
  evaluator: 2,
  pool: 2,
  attribution: 3,
  episodes: 4,
  judge: 5,
  ui: 5,
  cli: 6,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  const urls = [...text.matchAll(/new URL\('(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return [...specs, ...urls].map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
}

const layerOf = (file: string): string | undefined => {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0] : undefined;
};

const files = sourceFiles(SRC);

describe('src/ layers', () => {
  it('puts every folder of src/ on a layer', () => {
    const folders = new Set(files.map(layerOf).filter((layer) => layer !== undefined));
    for (const folder of folders) expect(LAYERS, `src/${folder}/ has no layer`).toHaveProperty(folder!);
  });

  it('never imports from a higher layer or a sibling layer of the same rank', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (from === undefined) continue;
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to === undefined) {
          violations.push(`${relative(SRC, file)} imports the entry ${relative(SRC, target)}`);
        } else if (to !== from && LAYERS[to]! >= LAYERS[from]!) {
          violations.push(`${relative(SRC, file)} (${from}) imports ${relative(SRC, target)} (${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import circle', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => target.endsWith('.ts'))]));
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });
});
