// A fresh copy of a fixture app from test/consumers/fixtures/, in its own
// temporary directory outside this repository, with the packed tarball
// installed by npm exactly as a user would install it.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';

export const run = promisify(execFile);

/** This repository's root, whose node_modules hold the build tools (vite, webpack, tsc). */
export const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface Fixture {
  /** The app's directory; `node_modules/agent-credit` is the installed tarball. */
  dir: string;
  remove(): void;
}

/** `name@version` of a package as installed in this repository, e.g. to give a fixture the same @types/node. */
export function sameVersionAs(name: string): string {
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8'));
  return `${name}@${manifest.version}`;
}

/** Copies the fixture app `name` to a temporary directory and npm-installs the tarball (and `extra` packages). */
export async function installFixture(name: string, extra: string[] = []): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), `agent-credit-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    cpSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), dir, { recursive: true });
    // --prefer-offline: the dependencies (comlink, zod) are in npm's cache
    // after `npm ci`, so this needs the registry only on a cold cache.
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', inject('tarball'), ...extra], { cwd: dir });
  } catch (error) {
    // The caller gets no fixture to remove: remove the directory here.
    remove();
    throw error;
  }
  return { dir, remove };
}
