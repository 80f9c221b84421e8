// The bundled examples: every .json/.jsonl under examples/, embedded in the
// build as text so the page needs no fetch.
const files = import.meta.glob('../../examples/**/*.{json,jsonl}', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export interface Example {
  /** Path inside the repository, e.g. `examples/three-agents.json`; the picker's option value. */
  path: string;
  /** Folder inside examples/, '' for the top level; the picker groups by it. */
  group: string;
  name: string;
  text: string;
}

export const EXAMPLES: Example[] = Object.entries(files)
  .map(([key, text]) => {
    const path = key.replace(/^(\.\.\/)+/, '');
    const parts = path.split('/').slice(1);
    const name = parts.pop() ?? path;
    return { path, group: parts.join('/'), name, text };
  })
  .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
