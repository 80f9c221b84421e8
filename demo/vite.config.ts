// The demo is a static site: a relative base so demo/dist works from any
// file server or sub-path, and the library taken from its build (dist/), the
// same files a user installs.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  resolve: {
    alias: [
      { find: /^agent-credit$/, replacement: here('../dist/index.js') },
      { find: /^agent-credit\/episodes$/, replacement: here('../dist/episodes.js') },
      { find: /^agent-credit\/ui$/, replacement: here('../dist/ui.js') },
      { find: /^agent-credit\/judge$/, replacement: here('../dist/judge.js') },
    ],
  },
  server: {
    // The bundled examples live in the repository root, outside the demo.
    fs: { allow: [here('..')] },
  },
  worker: { format: 'es' },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Everything ships in the bundle: the page never fetches from a network.
    assetsInlineLimit: 0,
  },
});
