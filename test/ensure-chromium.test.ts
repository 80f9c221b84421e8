// scripts/ensure-chromium.mjs, the first step of `npm test` and .ci/run, in the environments
// it must tell apart: a browser found (nothing to do), none found as root on Debian (apt-get
// installs chromium), none found otherwise (one line saying what to install, exit code 1,
// before anything is installed or built). apt-get is a stand-in on a PATH of its own, so
// nothing is installed for real; the non-root run drops to user nobody with setpriv when
// the tests run as root, and the root run maps the caller to root with unshare otherwise.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findChromium, MISSING_CHROMIUM } from '../scripts/find-chromium.mjs';
import { root } from './support/cli.js';

const script = join(root, 'scripts/ensure-chromium.mjs');
/** A program from this process's PATH (the runs below get a PATH of their own). */
const program = (name: string) => execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
const isRoot = process.getuid?.() === 0;
const debianLike = /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '');

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A directory to use as the whole PATH, holding the given executables (name -> shell script body). */
function pathDir(executables: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-credit-path-'));
  chmodSync(dir, 0o777);
  dirs.push(dir);
  for (const [name, body] of Object.entries(executables)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/** apt-get stand-in: logs its arguments; `install ... chromium` puts a chromium on the same PATH. */
const FAKE_APT = `dir="\${0%/*}"; echo "$*" >> "$dir/apt.log"; case "$*" in install*chromium*) printf '#!/bin/sh\\n' > "$dir/chromium"; ${program('chmod')} 755 "$dir/chromium";; esac`;

function ensure(env: Record<string, string>, as: 'root' | 'nobody'): Promise<{ code: number; stdout: string; stderr: string }> {
  const node = process.execPath;
  const [command, args] =
    as === 'nobody'
      ? isRoot ? [program('setpriv'), ['--reuid=65534', '--regid=65534', '--clear-groups', node, script]] : [node, [script]]
      : isRoot ? [node, [script]] : [program('unshare'), ['--map-root-user', node, script]];
  return new Promise((resolve) => {
    // The timeout only keeps a broken script from hanging the suite.
    execFile(command, args, { env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('npm test sets up its browser (scripts/ensure-chromium.mjs)', () => {
  it('without a browser and without root: one line saying what to install, exit code 1, nothing installed', async () => {
    const dir = pathDir({ 'apt-get': FAKE_APT });
    const { code, stdout, stderr } = await ensure({ PATH: dir }, 'nobody');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${MISSING_CHROMIUM}\n`);
    expect(stderr).toMatch(/apt-get install chromium/);
    expect(existsSync(join(dir, 'apt.log'))).toBe(false);
  });

  it('without a browser, as root on Debian: installs Debian\'s chromium with apt-get, then finds it', async () => {
    const dir = pathDir({ 'apt-get': FAKE_APT });
    const { code, stderr } = await ensure({ PATH: dir }, 'root');
    if (!debianLike) {
      expect({ code, stderr }).toEqual({ code: 1, stderr: `${MISSING_CHROMIUM}\n` });
      return;
    }
    expect(stderr).toMatch(/installing Debian's chromium/);
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'apt.log'), 'utf8')).toBe('update\ninstall -y chromium\n');
    expect(findChromium({ PATH: dir })).toBe(join(dir, 'chromium'));
  });

  it('as root, when apt-get fails: says so and what to install, exit code 1', async () => {
    const dir = pathDir({ 'apt-get': 'exit 100' });
    const { code, stderr } = await ensure({ PATH: dir }, 'root');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n').at(-1)).toMatch(debianLike ? /^apt-get update failed \(exit code 100\)\. The browser tests need Chromium/ : /^The browser tests need Chromium/);
  });

  it('with a browser on PATH or in CHROMIUM_PATH: nothing to do, nothing printed, apt-get untouched', async () => {
    const dir = pathDir({ 'google-chrome': 'exit 0', 'apt-get': FAKE_APT });
    expect(await ensure({ PATH: dir }, 'nobody')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await ensure({ PATH: pathDir({}), CHROMIUM_PATH: join(dir, 'google-chrome') }, 'root')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(dir, 'apt.log'))).toBe(false);
  });

  it('a CHROMIUM_PATH that is not an executable file is an error naming it, even with a browser on PATH', async () => {
    const dir = pathDir({ chromium: 'exit 0' });
    const { code, stderr } = await ensure({ PATH: dir, CHROMIUM_PATH: join(dir, 'missing') }, 'root');
    expect(code).toBe(1);
    expect(stderr).toBe(`CHROMIUM_PATH=${join(dir, 'missing')} is not an executable file. ${MISSING_CHROMIUM}\n`);
  });
});

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, then chromium, chromium-browser, google-chrome, each searched along PATH', () => {
    const first = pathDir({ 'google-chrome': 'exit 0' });
    const second = pathDir({ 'chromium-browser': 'exit 0', 'google-chrome': 'exit 0' });
    const third = pathDir({ chromium: 'exit 0' });
    const PATH = [first, second, third].join(':');
    expect(findChromium({ PATH })).toBe(join(third, 'chromium'));
    expect(findChromium({ PATH: [first, second].join(':') })).toBe(join(second, 'chromium-browser'));
    expect(findChromium({ PATH: first })).toBe(join(first, 'google-chrome'));
    expect(findChromium({ PATH, CHROMIUM_PATH: join(first, 'google-chrome') })).toBe(join(first, 'google-chrome'));
    expect(findChromium({ PATH: pathDir({}) })).toBeNull();
  });

  it('skips files that are not executable and directories named like a browser', () => {
    const dir = pathDir({});
    writeFileSync(join(dir, 'chromium'), 'not a program');
    const other = pathDir({ 'chromium-browser': 'exit 0' });
    expect(findChromium({ PATH: `${dir}:${other}` })).toBe(join(other, 'chromium-browser'));
  });
});
