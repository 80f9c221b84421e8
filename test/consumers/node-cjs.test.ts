// The installed package in a CommonJS app. The package is ESM only: require()
// works where Node can require ES modules (20.19+, 22.12+); elsewhere Node's
// ERR_REQUIRE_ESM says to use import(), which works on every supported Node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFixture, run, type Fixture } from './support/fixture.js';

let app: Fixture;
beforeAll(async () => {
  app = await installFixture('node-cjs');
});
afterAll(() => app?.remove());

async function node(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script], { cwd: app.dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

describe('Node CommonJS consumer', () => {
  it('import() works from CommonJS', async () => {
    const { code, stdout } = await node('import.cjs');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([1.5, 1.5]);
  });

  it.runIf(process.features.require_module)(`require('agent-credit') works on this Node (${process.version})`, async () => {
    const { code, stdout, stderr } = await node('require.cjs');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([1.5, 1.5]);
    // A dependency loaded through require() stays quiet: no experimental warning for the user.
    expect(stderr).toBe('');
  });

  it.skipIf(process.features.require_module)(`require('agent-credit') fails saying to use import() on this Node (${process.version})`, async () => {
    const { code, stderr } = await node('require.cjs');
    expect(code).not.toBe(0);
    expect(stderr).toContain('ERR_REQUIRE_ESM');
    expect(stderr).toMatch(/dynamic import\(\)/);
  });
});
