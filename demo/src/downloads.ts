// Download buttons for the exported JSONL files. The worker keeps the text
// (a large dataset's exports run to many megabytes); a click asks for one.
import { h } from './dom.js';
import { EXPORT_KINDS, type AttributionResult, type ExportKind } from './protocol.js';

const LABELS: Record<ExportKind, string> = {
  signals: 'Signals',
  dpo: 'DPO',
  kto: 'KTO',
  prm: 'PRM',
  rewards: 'Rewards',
};

/**
 * The input's name without its folder and extension, and without bidi and
 * other invisible format characters: a tooltip is not isolated, so
 * `evil\u202Elnosj.exe` would read as ending in `.exe.json`.
 */
function baseName(source: string): string {
  return source.replace(/^.*[\\/]/, '').replace(/\p{Cf}/gu, '').replace(/\.(jsonl?|ndjson|txt)$/i, '') || 'episodes';
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/jsonl' }));
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadButtons(result: AttributionResult, textOf: (kind: ExportKind) => Promise<string>): HTMLElement {
  const note = h('span', { class: 'export-status', role: 'status', 'data-testid': 'export-status' });
  const buttons = EXPORT_KINDS.map((kind) => {
    const rows = result.exports[kind];
    const fileName = `${baseName(result.source)}.${kind}.jsonl`;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'download',
        'data-testid': `export-${kind}`,
        disabled: rows === undefined || rows === 0,
        title: rows === undefined ? `${LABELS[kind]} does not apply to this input` : `${fileName}: ${rows} ${rows === 1 ? 'row' : 'rows'}`,
      },
      `${LABELS[kind]}`,
      h('span', { class: 'rows' }, rows === undefined ? 'n/a' : `${rows} ${rows === 1 ? 'row' : 'rows'}`),
    );
    // A click while this file is on its way adds nothing: a double click gives one download.
    let waiting = false;
    button.addEventListener('click', async () => {
      if (waiting) return;
      waiting = true;
      button.setAttribute('aria-busy', 'true');
      try {
        const text = await textOf(kind);
        note.textContent = '';
        download(fileName, text);
      } catch (error) {
        note.textContent = `${fileName} could not be prepared: ${error instanceof Error ? error.message : String(error)}.`;
      } finally {
        waiting = false;
        button.removeAttribute('aria-busy');
      }
    });
    return button;
  });
  return h('div', { class: 'downloads', role: 'group', 'aria-label': 'Download JSONL' }, ...buttons, note);
}
