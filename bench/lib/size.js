// What users download: the Wasm core and each package entry bundled the way
// an app bundles it (esbuild, minified, dependencies such as zod/mini and
// comlink included), then gzipped. Shared by bench/size.js and test/size.test.ts.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('../../', import.meta.url);

/** Budgets in bytes (1 kB = 1000 bytes), from issue 7. */
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

/** Minified and gzipped size of one entry bundled with its dependencies. */
export async function bundledSize({ file, platform }) {
  const result = await build({
    absWorkingDir: new URL('.', root).pathname,
    entryPoints: [file],
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { minified: bytes.length, gzip: gzipBytes(bytes) };
}

/** Sizes of the Wasm core and of every entry of the exports map. */
export async function measureSizes() {
  const entries = [];
  for (const entry of packageEntries()) entries.push({ ...entry, ...(await bundledSize(entry)) });
  return { wasm: wasmSize(), entries };
}
