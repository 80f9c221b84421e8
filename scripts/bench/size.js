// Package size budget: the Wasm core under 24 kB, the main entry under 30 kB
// minified + gzip with its dependencies bundled.
import { BUDGETS, measureSizes } from './lib/size.js';
import { table, verdict } from './lib/measure.js';

const kB = (bytes) => (bytes / 1000).toFixed(1);

export async function run() {
  const { wasm, entries } = await measureSizes();
  console.log('#### Package size (kB = 1000 bytes; entries bundled by esbuild with their dependencies, minified, gzip -9)\n');
  const rows = [['Wasm core (build/agent-credit.wasm)', kB(wasm.bytes), '—', kB(wasm.gzip), '—', `${kB(BUDGETS.wasm)} raw`, verdict(wasm.bytes < BUDGETS.wasm)]];
  for (const entry of entries) {
    const budgeted = entry.subpath === '.';
    rows.push([
      `entry \`${entry.subpath}\` (${entry.file}, ${entry.platform})`,
      '—',
      kB(entry.minified),
      kB(entry.gzip),
      entry.lazyGzip ? `+ ${kB(entry.lazyGzip)} (= ${kB(entry.gzip + entry.lazyGzip)})` : '—',
      budgeted ? `${kB(BUDGETS.mainEntryGzip)} min + gzip` : '—',
      budgeted ? verdict(entry.gzip < BUDGETS.mainEntryGzip) : '—',
    ]);
  }
  console.log(table(['artifact', 'raw', 'minified', 'min + gzip', 'loaded on first use (min + gzip)', 'budget', 'status'], rows));
  console.log('\nThe Wasm core is embedded in a chunk of its own that the library imports with its first computation.');
}
