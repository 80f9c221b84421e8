import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/consumers/support/pack.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
