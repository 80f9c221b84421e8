// Runs every benchmark module in scripts/bench/ (each exports `run()` and prints its
// own markdown table), or only those named on the command line:
//   npm run bench            all of them
//   npm run bench -- kernel  only scripts/bench/kernel.js
import { readdirSync } from 'node:fs';

const wanted = process.argv.slice(2);
const modules = readdirSync(new URL('.', import.meta.url))
  .filter((file) => file.endsWith('.js') && file !== 'index.js')
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace(/\.js$/, '')))
  .sort();

for (const file of modules) {
  const { run } = await import(new URL(file, import.meta.url).href);
  await run();
  console.log('');
}
