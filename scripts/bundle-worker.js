// Bundles the pool's worker (dist/pool/worker.js) with everything it imports,
// comlink included, into one file. Import maps do not apply inside workers,
// so a worker with bare imports ('comlink') only loads through a bundler; the
// bundled one also loads from a plain <script type="module"> page.
import { build } from 'esbuild';

const worker = new URL('../dist/pool/worker.js', import.meta.url).pathname;
await build({
  entryPoints: [worker],
  outfile: worker,
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});
