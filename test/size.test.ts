// Issue 7 size budget, measured on the built package (npm test builds first).
import { describe, expect, it } from 'vitest';
import { BUDGETS, bundledSize, measureSizes, packageEntries } from '../scripts/bench/lib/size.js';

describe('size budget', () => {
  it('keeps the Wasm core and the main entry (minified + gzip, dependencies bundled) within budget', async () => {
    const { wasm, entries } = await measureSizes();
    expect(wasm.bytes).toBeGreaterThan(1000);
    expect(wasm.bytes).toBeLessThan(BUDGETS.wasm);
    const main = entries.find((entry) => entry.subpath === '.')!;
    expect(main.platform).toBe('browser');
    expect(main.gzip).toBeGreaterThan(0);
    expect(main.gzip).toBeLessThan(BUDGETS.mainEntryGzip);
    // The embedded Wasm (one character per byte) is the chunk loaded on first use, not part of the entry.
    expect(main.lazyMinified).toBeGreaterThanOrEqual(wasm.bytes);
  });

  it('measures every entry of the exports map', () => {
    const entries = packageEntries();
    expect(entries.map((entry) => entry.subpath)).toContain('.');
    for (const entry of entries) expect(entry.file).toMatch(/^\.\/dist\/.+\.js$/);
  });

  it('fails to bundle an entry for browsers when it imports a node: module', async () => {
    await expect(bundledSize({ file: './dist/bin.js', platform: 'browser' })).rejects.toThrow(/node:/);
  });
});
