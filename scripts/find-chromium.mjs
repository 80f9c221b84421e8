// Where the browser tests' Chromium is: $CHROMIUM_PATH, else the first of
// chromium, chromium-browser, google-chrome on $PATH. Shared by
// scripts/ensure-chromium.mjs (run by `npm test` and .ci/run) and test/support/chromium.ts.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The one line printed when no browser is found and none can be installed here. */
export const MISSING_CHROMIUM =
  `The browser tests need Chromium: set CHROMIUM_PATH, or install one of ${BROWSER_NAMES.join(', ')} on PATH ` +
  '(Debian/Ubuntu: sudo apt-get install chromium).';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The Chromium to use, or null when there is none; a CHROMIUM_PATH that is not an executable file throws. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    if (!executable(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file. ${MISSING_CHROMIUM}`);
    return env.CHROMIUM_PATH;
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of BROWSER_NAMES) {
    for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  }
  return null;
}
