// The bundled examples: every .json/.jsonl under examples/, each built into
// its own small chunk of the site, loaded when picked (the page's first load
// stays small however many examples there are).
const files = import.meta.glob('../../examples/**/*.{json,jsonl}', {
  query: '?raw',
  import: 'default',
}) as Record<string, () => Promise<string>>;

export interface Example {
  /** Path inside the repository, e.g. `examples/three-agents.json`; the picker's option value. */
  path: string;
  /** Folder inside examples/, '' for the top level; the picker groups by it. */
  group: string;
  name: string;
  load: () => Promise<string>;
}

export const EXAMPLES: Example[] = Object.entries(files)
  .map(([key, load]) => {
    const path = key.replace(/^(\.\.\/)+/, '');
    const parts = path.split('/').slice(1);
    const name = parts.pop() ?? path;
    return { path, group: parts.join('/'), name, load };
  })
  .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
