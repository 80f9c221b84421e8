// Download buttons for the exported JSONL files; the text is already built
// by the worker, so a click only wraps it in a Blob.
import { h } from './dom.js';
import { EXPORT_KINDS, type AttributionResult, type ExportKind } from './protocol.js';

const LABELS: Record<ExportKind, string> = {
  signals: 'Signals',
  dpo: 'DPO',
  kto: 'KTO',
  prm: 'PRM',
  rewards: 'Rewards',
};

function baseName(source: string): string {
  return source.replace(/^.*[\\/]/, '').replace(/\.(jsonl?|txt)$/i, '') || 'episodes';
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/jsonl' }));
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function lineCount(text: string): number {
  return text ? text.split('\n').filter((line) => line.trim()).length : 0;
}

export function downloadButtons(result: AttributionResult): HTMLElement {
  const buttons = EXPORT_KINDS.map((kind) => {
    const text = result.exports[kind];
    const rows = text === undefined ? 0 : lineCount(text);
    const fileName = `${baseName(result.source)}.${kind}.jsonl`;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'download',
        'data-testid': `export-${kind}`,
        disabled: text === undefined || rows === 0,
        title: text === undefined ? `${LABELS[kind]} does not apply to this input` : `${fileName}: ${rows} rows`,
      },
      `${LABELS[kind]}`,
      h('span', { class: 'rows' }, text === undefined ? 'n/a' : `${rows} ${rows === 1 ? 'row' : 'rows'}`),
    );
    button.addEventListener('click', () => download(fileName, text ?? ''));
    return button;
  });
  return h('div', { class: 'downloads', role: 'group', 'aria-label': 'Download JSONL' }, ...buttons);
}
