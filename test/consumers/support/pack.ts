// Vitest global setup: packs the tarball users get (`npm pack` of the built
// dist/) once per run and hands its path to every consumer test, which
// installs it into a fresh fixture app.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the packed agent-credit tarball. */
    tarball: string;
  }
}

const root = fileURLToPath(new URL('../../..', import.meta.url));

export default async function packOnce(project: TestProject): Promise<() => void> {
  const destination = mkdtempSync(join(tmpdir(), 'agent-credit-pack-'));
  const remove = () => rmSync(destination, { recursive: true, force: true });
  try {
    const { stdout } = await promisify(execFile)(
      'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination],
      { cwd: root },
    );
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    project.provide('tarball', join(destination, filename));
  } catch (error) {
    // No teardown is registered when the setup throws: remove the directory here.
    remove();
    throw error;
  }
  return remove;
}
