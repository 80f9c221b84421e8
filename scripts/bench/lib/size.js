// What users download: the Wasm core and each package entry bundled the way
// an app bundles it (esbuild, minified, code splitting on, dependencies such
// as zod/mini and comlink included), then gzipped. An entry's size is what a
// page loads when it imports it; chunks it imports dynamically (the embedded
// Wasm, loaded with the first computation) are counted apart. Shared by
// scripts/bench/size.js and test/size.test.ts.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('../../../', import.meta.url);

/** Budgets in bytes (1 kB = 1000 bytes): the Wasm core under 24 kB, the main entry under 30 kB. */
export const BUDGETS = {
  wasm: 24_000,
  mainEntryGzip: 30_000,
};

function gzipBytes(bytes) {
  return gzipSync(bytes, { level: 9 }).length;
}

/** The Wasm core as built by `npm run build:wasm`. */
export function wasmSize() {
  const bytes = readFileSync(new URL('build/agent-credit.wasm', root));
  return { bytes: bytes.length, gzip: gzipBytes(bytes) };
}

/** Every JS entry of the exports map, with the platform a bundler would build it for. */
export function packageEntries() {
  const { exports } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  return Object.entries(exports)
    .filter(([, target]) => typeof target === 'object')
    .map(([subpath, target]) => ({
      subpath,
      file: target.default,
      platform: subpath === './node' ? 'node' : 'browser',
    }));
}

/**
 * Minified and gzipped size of one entry bundled with its dependencies: what
 * loads with it (`minified`, `gzip`) and what it loads later through dynamic
 * imports (`lazyMinified`, `lazyGzip`).
 */
export async function bundledSize({ file, platform }) {
  const result = await build({
    absWorkingDir: new URL('.', root).pathname,
    entryPoints: [file],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform,
    target: 'es2022',
    outdir: 'size-check',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Map(result.outputFiles.map((output) => [output.path, output.contents]));
  const absolute = (path) => new URL(path, new URL('.', root)).pathname;
  const [entry] = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint);
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of result.metafile.outputs[path].imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  const sizes = { minified: 0, gzip: 0, lazyMinified: 0, lazyGzip: 0 };
  for (const path of Object.keys(result.metafile.outputs).filter((path) => path.endsWith('.js'))) {
    const bytes = files.get(absolute(path));
    if (eager.has(path)) {
      sizes.minified += bytes.length;
      sizes.gzip += gzipBytes(bytes);
    } else {
      sizes.lazyMinified += bytes.length;
      sizes.lazyGzip += gzipBytes(bytes);
    }
  }
  return sizes;
}

/** Sizes of the Wasm core and of every entry of the exports map. */
export async function measureSizes() {
  const entries = [];
  for (const entry of packageEntries()) entries.push({ ...entry, ...(await bundledSize(entry)) });
  return { wasm: wasmSize(), entries };
}
