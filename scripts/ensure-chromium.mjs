#!/usr/bin/env node
// First step of `npm test` and .ci/run: make sure the browser tests have a Chromium.
// Found (scripts/find-chromium.mjs): nothing to do. Not found on Debian/Ubuntu as
// root: install Debian's `chromium` with apt-get. Otherwise stop at once with one
// line saying what to install (a missing browser fails the tests, never skips them).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findChromium, MISSING_CHROMIUM } from './find-chromium.mjs';

/** Debian or a derivative (Ubuntu) by /etc/os-release, which apt-get can install Chromium on. */
function debianLike() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release);
  } catch {
    return false;
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function aptGet(...args) {
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.error || result.status !== 0) fail(`apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`}). ${MISSING_CHROMIUM}`);
}

let found;
try {
  found = findChromium();
} catch (error) {
  fail(error.message);
}
if (!found) {
  if (process.getuid?.() !== 0 || !debianLike()) fail(MISSING_CHROMIUM);
  process.stderr.write('Chromium not found: installing Debian\'s chromium (apt-get install chromium)\n');
  aptGet('update');
  aptGet('install', '-y', 'chromium');
  if (!findChromium()) fail(`apt-get installed chromium, but it is not on PATH. ${MISSING_CHROMIUM}`);
}
