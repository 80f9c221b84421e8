// `agent-credit attribute --report report.html`: one self-contained HTML file
// with the dataset overview and every episode. The page's script (the ui
// components, bundled at build time) and the data are inlined; a strict
// Content-Security-Policy admits exactly that script and that style by their
// hashes, so the file opens from disk and never reaches the network.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Signals } from '../episodes/attribute.js';
import type { Episode } from '../episodes/episode.js';
import { REPORT_DATA_ID, type ReportEpisode } from '../ui/report-data.js';

const PAGE_SCRIPT = new URL('../ui/report-page.js', import.meta.url);

const PAGE_CSS = `
body { margin: 0; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2937; background: #fff; line-height: 1.45; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem clamp(0.75rem, 3vw, 2rem) 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; padding-top: 1rem; border-top: 1px solid #e5e7eb; overflow-wrap: anywhere; }
h3 { font-size: 1rem; margin: 1.25rem 0 0.4rem; }
p { overflow-wrap: anywhere; }
.note { color: #4b5563; font-size: 0.875rem; }
.outcome.success { color: #15703d; font-weight: 600; }
.outcome.failure { color: #b91c1c; font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.episode-list { padding-inline-start: 1.5rem; }
.episode-list li { margin: 0.15rem 0; overflow-wrap: anywhere; }
input, select, button { font: inherit; }
button.link { background: none; border: 0; padding: 0; color: #1d4ed8; text-decoration: underline; cursor: pointer; text-align: start; overflow-wrap: anywhere; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
bdi { unicode-bidi: isolate; }
`;

/** One episode of the report: what the components draw of it, and its Signals as the signals file has them. */
export function htmlReportEntry(signals: Signals, episode: Episode): string {
  const shown: ReportEpisode = {
    id: episode.id,
    ...(episode.task === undefined ? {} : { task: episode.task }),
    agents: episode.agents,
    messages: episode.messages.map((m) => ({ id: m.id, agent: m.agent, content: m.content, ...(m.label ? { label: m.label } : {}) })),
    outcome: episode.outcome,
    repairs: episode.repairs,
    emptyValue: episode.table ? episode.table[0] : null,
  };
  return JSON.stringify({ episode: shown, signals });
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The report file: `entries` are htmlReportEntry() texts, in input order. */
export async function reportHtml(inputs: string[], entries: string[], problems: string[]): Promise<string> {
  const script = await readFile(PAGE_SCRIPT, 'utf8');
  if (/<\/script/i.test(script)) throw new Error(`${PAGE_SCRIPT.pathname} contains "</script": it cannot be inlined`);
  // '<' never appears in JSON outside strings, and \u003c inside one reads back the same, so no text can close the data block.
  const data = `{"inputs":${JSON.stringify(inputs)},"episodes":[${entries.join(',')}],"problems":${JSON.stringify(problems)}}`.replace(/</g, '\\u003c');
  const policy = `default-src 'none'; script-src ${sha256(script)}; style-src ${sha256(PAGE_CSS)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    `<title>agent-credit report: ${entries.length} episodes</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<main id="app"><h1>agent-credit report</h1><p>This report draws its charts with JavaScript; enable it to see them.</p></main>',
    `<script type="application/json" id="${REPORT_DATA_ID}">${data}</script>`,
    `<script type="module">${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
