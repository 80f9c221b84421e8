// Bundles the HTML report's script (dist/ui/report-page.js) with the
// components it draws into one minified file, in place. The CLI inlines it in
// every report, so a report needs no other file and no network.
import { build } from 'esbuild';

const page = new URL('../dist/ui/report-page.js', import.meta.url).pathname;
await build({
  entryPoints: [page],
  outfile: page,
  allowOverwrite: true,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
});
