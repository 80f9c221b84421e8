// The API reference (scripts/typedoc.json, `npm run docs`): TypeDoc builds it without
// warnings, and every name the package exports has a one-line summary.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'agent-credit-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Reflection {
  name: string;
  kind: number;
  comment?: { summary: { text: string }[] };
  signatures?: { comment?: { summary: { text: string }[] } }[];
  children?: Reflection[];
}

const MODULE_KIND = 2;
/** A name re-exported from another entry, documented there (e.g. Pool in agent-credit/pool). */
const REFERENCE_KIND = 4194304;

/** Documented names per entry module ('index', 'node', ...). */
function documentedNames(project: Reflection): Map<string, Reflection[]> {
  const modules = project.children?.every((child) => child.kind === MODULE_KIND) ? project.children : [{ ...project, name: 'index' }];
  return new Map(modules.map((module) => [module.name, module.children ?? []]));
}

function summaryOf(reflection: Reflection): string {
  const comment = reflection.comment ?? reflection.signatures?.find((signature) => signature.comment)?.comment;
  if (reflection.kind === REFERENCE_KIND) return 'documented where it is first exported';
  return (comment?.summary ?? []).map((part) => part.text).join('').trim();
}

describe('API reference', () => {
  it('builds with TypeDoc without warnings and documents every export with a summary', async () => {
    const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
    const json = join(out, 'api.json');
    // treatWarningsAsErrors (scripts/typedoc.json) makes any warning a non-zero exit.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [typedoc, '--options', join(root, 'scripts/typedoc.json'), '--out', join(out, 'html'), '--json', json], { cwd: root })
      .catch((failure: { stdout: string; stderr: string }) => failure);
    // Printed in full on failure: which export lacks a summary, which link is broken.
    expect(`${stdout}${stderr}`).not.toMatch(/warning|error/i);
    const modules = documentedNames(JSON.parse(readFileSync(json, 'utf8')));
    const entries = (JSON.parse(readFileSync(join(root, 'scripts/typedoc.json'), 'utf8')).entryPoints as string[]).map((entry) => entry.replace(/^\.\.\//, ''));
    expect(modules.size).toBe(entries.length);
    for (const entry of entries) {
      const name = entry.replace(/^src\/|\.ts$/g, '');
      const runtimeExports = Object.keys(await import(join(root, 'dist', `${name}.js`)));
      const reflections = modules.get(name) ?? [];
      const documented = new Map(reflections.map((reflection) => [reflection.name, summaryOf(reflection)]));
      for (const exported of runtimeExports) expect(documented.get(exported), `${name}: ${exported}`).toMatch(/\S/);
      for (const reflection of reflections) expect(summaryOf(reflection), `${name}: ${reflection.name}`).toMatch(/\S/);
    }
  });
});

describe('examples in doc comments', () => {
  it('call the exporters with their signatures: toDpo/toKto(signals), toRewards/toPrm(signals, episode)', async () => {
    const { readdirSync } = await import('node:fs');
    const arity: Record<string, number> = { toDpo: 1, toKto: 1, toRewards: 2, toPrm: 2 };
    const wrong: string[] = [];
    for (const file of readdirSync(join(root, 'src'), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      readFileSync(join(root, 'src', file), 'utf8').split('\n').forEach((line, k) => {
        if (!/^\s*\*/.test(line)) return;
        for (const [, name, args] of line.matchAll(/\b(toDpo|toKto|toRewards|toPrm)\(([^)]*)\)/g)) {
          if (args.split(',').length !== arity[name]) wrong.push(`src/${file}:${k + 1}: ${line.trim()}`);
        }
      });
    }
    expect(wrong).toEqual([]);
  });
});
