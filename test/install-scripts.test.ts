// `npm ci` stays quiet: npm 11 ends an install with a warning for every dependency whose
// install scripts allowScripts (package.json) does not cover, so every locked package with
// an install script must have an entry, by name or name@version. esbuild's postinstall only
// checks or fetches the platform binary that its optional dependency already installs, so
// it is denied (the builds use esbuild's JS API, which finds that binary itself).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './support/cli.js';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { name?: string; version?: string; hasInstallScript?: boolean }>;
};

describe('install scripts', () => {
  it('every locked dependency with an install script is covered by allowScripts', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path, entry]) => ({ name: entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), version: entry.version }));
    expect(withScripts.length).toBeGreaterThan(0);
    const allowed = manifest.allowScripts as Record<string, boolean>;
    for (const { name, version } of withScripts) expect(typeof (allowed[`${name}@${version}`] ?? allowed[name]), `${name}@${version}`).toBe('boolean');
  });

  it('the project .npmrc turns off the audit, funding and update notices of npm ci and npm test', () => {
    expect(readFileSync(join(root, '.npmrc'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['audit=false', 'fund=false', 'update-notifier=false']));
  });
});
