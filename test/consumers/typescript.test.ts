// TypeScript consumers: an example using the public API type-checks against
// the installed tarball under moduleResolution "bundler" (a browser app, DOM
// types only) and "nodenext" (a Node app with @types/node), with skipLibCheck
// off so the shipped declarations are checked too.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFixture, projectRoot, run, sameVersionAs, type Fixture } from './support/fixture.js';

let app: Fixture;
beforeAll(async () => {
  app = await installFixture('typescript', [sameVersionAs('@types/node')]);
});
afterAll(() => app?.remove());

async function typeCheck(tsconfig: string): Promise<string> {
  const tsc = join(projectRoot, 'node_modules/typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: app.dir });
    return '';
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

describe.concurrent('TypeScript consumers', () => {
  it.each(['bundler', 'nodenext'])('type-check the example under moduleResolution %s', async (resolution) => {
    expect(await typeCheck(`tsconfig.${resolution}.json`)).toBe('');
  });
});
