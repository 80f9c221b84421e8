// The fenced code blocks of a Markdown file, with the marker comment on the line before each.

export interface ReadmeBlock {
  /** The fence's language ('' when none). */
  lang: string;
  /** The block's text, without its fences and the indentation of a block inside a list item. */
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** `<!-- output -->` or `<!-- not run: why -->` on the last non-blank line before the fence. */
  marker?: { kind: 'output' } | { kind: 'not run'; reason: string };
}

const OPEN = /^(\s*)```(\S*)\s*$/;

function markerOf(line: string | undefined): ReadmeBlock['marker'] {
  const text = line?.trim() ?? '';
  if (text === '<!-- output -->') return { kind: 'output' };
  const notRun = /^<!-- not run: (.+?) -->$/.exec(text);
  return notRun ? { kind: 'not run', reason: notRun[1] } : undefined;
}

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let k = 0; k < lines.length; k++) {
    const open = OPEN.exec(lines[k]);
    if (!open) continue;
    const [, indent, lang] = open;
    const end = lines.findIndex((line, j) => j > k && line.trimEnd() === `${indent}\`\`\``);
    if (end < 0) throw new Error(`line ${k + 1}: code block never closed`);
    let before = k - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const code = lines.slice(k + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
    blocks.push({ lang, code: code.join('\n') + '\n', line: k + 1, marker: markerOf(lines[before]) });
    k = end;
  }
  return blocks;
}
