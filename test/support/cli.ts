// Runs the built CLI (npm test builds dist/ first) from the repository root.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const bin = new URL('../../dist/bin.js', import.meta.url).pathname;
export const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

/** The CLI's exit code and output; never throws for a non-zero exit. */
export async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: root, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
