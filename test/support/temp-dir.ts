// Temporary directories the tests make under the system's temporary folder,
// removed (with everything in them) when the tests are done with them, so
// that a run leaves nothing behind in /tmp.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished, TestRunner } from 'vitest';

/**
 * A fresh directory `<tmpdir>/<prefix><6 random characters>`. Made inside a
 * test, it is removed when that test finishes (passed or failed); made
 * outside one (at a file's top level or in a describe block), when the
 * tests around it are done.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (TestRunner.getCurrentTest()) onTestFinished(remove);
  else afterAll(remove);
  return dir;
}
