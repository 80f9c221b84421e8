// The tarball itself: what it holds, its exports map, and what publint and
// Are the Types Wrong (attw) say about it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot, run } from './support/fixture.js';

const tarball = inject('tarball');
const unpacked = mkdtempSync(join(tmpdir(), 'agent-credit-unpacked-'));
let files: string[];
beforeAll(async () => {
  await run('tar', ['-xzf', tarball, '-C', unpacked]);
  const { stdout } = await run('tar', ['-tzf', tarball]);
  files = stdout.trim().split('\n').map((path) => path.replace(/^package\//, ''));
});
afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

function tarballText(path: string): string {
  return readFileSync(join(unpacked, 'package', path), 'utf8');
}

describe('the packed tarball', () => {
  it('holds only built files, README, LICENSE and package.json', () => {
    for (const file of files) expect(file).toMatch(/^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts|js\.map))$/);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/bin.js']));
    expect(tarballText('LICENSE')).toMatch(/^MIT License/);
  });

  it('ships source maps that carry their sources (src/ is not in the tarball)', () => {
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps).toContain('dist/index.js.map');
    for (const path of maps) {
      const map = JSON.parse(tarballText(path));
      expect(map.sourcesContent, path).toHaveLength(map.sources.length);
      expect(map.sourcesContent.every((text: unknown) => typeof text === 'string' && text.length > 0), path).toBe(true);
    }
  });

  it("ships the pool's worker as one file that imports nothing by bare name (import maps do not reach workers)", () => {
    const worker = tarballText('dist/pool/worker.js');
    const specifiers = [...worker.matchAll(/(?:^|[;\s])(?:import|export)[^'"();]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)]
      .map((match) => match[1] ?? match[2]);
    expect(specifiers).toEqual([]);
  });

  it('declares an ESM package whose only side effect is registering the ui elements, types first in every export', () => {
    const manifest = JSON.parse(tarballText('package.json'));
    expect(manifest).toMatchObject({ name: 'agent-credit', type: 'module', sideEffects: ['./dist/ui.js', './dist/ui/*.js'], license: 'MIT' });
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      expect(Object.keys(target as object)[0], `exports["${subpath}"]`).toBe('types');
    }
  });

  it('passes publint, suggestions included', async () => {
    const bytes = readFileSync(tarball);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball: buffer }, level: 'suggestion', strict: true });
    expect(messages.map((message) => formatMessage(message, pkg, { color: false }))).toEqual([]);
  });

  it('passes Are the Types Wrong for every entry and resolution mode', async () => {
    // The package is ESM only, so attw's one remark is that require() reaches
    // an ES module (CJSResolvesToESM). Node >= 20.19 / 22.12 loads it that way
    // and older Node says to use import(): test/consumers/node-cjs.test.ts runs both.
    const attw = join(projectRoot, 'node_modules/.bin/attw');
    const { stdout } = await run(attw, [tarball, '--format', 'json', '--ignore-rules', 'cjs-resolves-to-esm'])
      .catch((failure: { stdout: string }) => failure);
    const { analysis } = JSON.parse(stdout);
    const problems = analysis.problems.filter((problem: { kind: string }) => problem.kind !== 'CJSResolvesToESM');
    expect(problems).toEqual([]);
    expect(Object.keys(analysis.entrypoints)).toContain('.');
  });
});
