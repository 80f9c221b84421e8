// Every code block of README.md, checked as a reader would use it (conventions in the
// README's "Contributing: code blocks in this README"): js/ts/sh blocks run from the
// repository root and must succeed, a text block marked `<!-- output -->` must equal
// what the block before it printed, blocks marked `<!-- not run: why -->` are parsed.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeBlocks, type ReadmeBlock } from './support/readme-blocks.js';
import { root } from './support/cli.js';

const run = promisify(execFile);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = readmeBlocks(readme);
const scratch = join(root, 'build', 'readme-blocks');
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const RUNNABLE = new Set(['js', 'ts', 'sh']);
const PLAIN = new Set(['text', 'jsonc', 'html', 'jsx', 'vue', 'svelte', 'python', '']);

/** Runs one block; resolves to its stdout, rejects with its stderr when it fails. */
async function execute(block: ReadmeBlock): Promise<string> {
  const options = { cwd: root, maxBuffer: 1 << 26, timeout: 300_000 };
  if (block.lang === 'sh') return (await run('bash', ['-e', '-o', 'pipefail', '-c', block.code], options)).stdout;
  // Inside the repository 'agent-credit' resolves to this package itself (dist/), through its exports.
  const code = block.lang === 'ts' ? (await transform(block.code, { loader: 'ts', format: 'esm', target: 'node20' })).code : block.code;
  const file = join(scratch, `line-${block.line}.mjs`);
  writeFileSync(file, code);
  return (await run(process.execPath, [file], options)).stdout;
}

/** Parses without running: a syntax error still fails. */
async function parse(block: ReadmeBlock): Promise<void> {
  if (block.lang === 'sh') await run('bash', ['-n', '-c', block.code]);
  else await transform(block.code, { loader: block.lang as 'js' | 'ts', format: 'esm' });
}

describe('README code blocks', () => {
  it('are found, each in a language this test knows', () => {
    expect(blocks.filter((block) => RUNNABLE.has(block.lang)).length).toBeGreaterThan(10);
    for (const block of blocks) expect(RUNNABLE.has(block.lang) || PLAIN.has(block.lang) || block.lang === 'json', `line ${block.line}: ${block.lang}`).toBe(true);
  });

  it('mark outputs only right after a block that runs', () => {
    blocks.forEach((block, k) => {
      if (block.marker?.kind !== 'output') return;
      const before = blocks[k - 1];
      expect(block.lang, `line ${block.line}`).toBe('text');
      expect(before && RUNNABLE.has(before.lang) && before.marker?.kind !== 'not run', `line ${block.line}: the block before must run`).toBe(true);
    });
  });

  // In order, one at a time: a block may use files an earlier one wrote (build/ ...).
  let printed = '';
  for (const block of blocks) {
    const where = `line ${block.line} (${block.lang || 'plain'})`;
    if (block.marker?.kind === 'not run' && RUNNABLE.has(block.lang)) {
      it(`${where} parses (not run: ${block.marker.reason})`, () => parse(block));
    } else if (RUNNABLE.has(block.lang)) {
      it(`${where} runs`, async () => {
        printed = '';
        printed = await execute(block).catch((failure: Error & { stderr?: string }) => {
          throw new Error(`README ${where} failed:\n${failure.stderr || failure.message}`);
        });
      });
    } else if (block.marker?.kind === 'output') {
      it(`${where} is what the block before printed`, () => expect(printed.trimEnd()).toBe(block.code.trimEnd()));
    } else if (block.lang === 'json') {
      it(`${where} is valid JSON`, () => void JSON.parse(block.code));
    }
  }
});

describe('the two setup commands', () => {
  const setup = blocks.find((block) => block.lang === 'sh' && /\bnpm test\b/.test(block.code));
  const commands = (setup?.code ?? '').split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);

  it('are one for the bundled example and one for the whole test suite', () => {
    expect(commands).toEqual(['npm ci && npm run example', 'npm ci && npm test']);
  });

  it('.ci/run runs exactly the README test command', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8').split('\n').map((line) => line.trim());
    expect(ci).toContain(commands[1]);
  });
});

describe('the README checker itself', () => {
  const sample = [
    'Intro.',
    '',
    '```js',
    "console.log('hi');",
    '```',
    '',
    '<!-- output -->',
    '```text',
    'hi',
    '```',
    '',
    '- In a list:',
    '',
    '  <!-- not run: needs a server -->',
    '  ```ts',
    '  const x: number = await fetch("http://example.invalid");',
    '  ```',
  ].join('\n');

  it('finds blocks with their language, line, marker and code (list indentation removed)', () => {
    expect(readmeBlocks(sample)).toEqual([
      { lang: 'js', code: "console.log('hi');\n", line: 3, marker: undefined },
      { lang: 'text', code: 'hi\n', line: 8, marker: { kind: 'output' } },
      { lang: 'ts', code: 'const x: number = await fetch("http://example.invalid");\n', line: 15, marker: { kind: 'not run', reason: 'needs a server' } },
    ]);
    expect(() => readmeBlocks('```js\nnever closed\n')).toThrow(/line 1: code block never closed/);
  });

  it('fails a block that throws or exits non-zero, and a block marked not run that does not parse', async () => {
    await expect(execute({ lang: 'js', code: "throw new Error('broken example')\n", line: 1 })).rejects.toThrow(/broken example/);
    await expect(execute({ lang: 'ts', code: "import { nothing } from 'agent-credit';\nnothing();\n", line: 2 })).rejects.toThrow();
    await expect(execute({ lang: 'sh', code: 'true\nfalse\necho never\n', line: 3 })).rejects.toThrow();
    expect(await execute({ lang: 'sh', code: 'echo ok\n', line: 4 })).toBe('ok\n');
    await expect(parse({ lang: 'ts', code: 'const = 1;\n', line: 5 })).rejects.toThrow();
    await expect(parse({ lang: 'sh', code: 'if then\n', line: 6 })).rejects.toThrow();
  });
});
