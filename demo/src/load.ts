// The ways to bring input in: the example picker, a file input, dropping a
// file anywhere on the page, and pasting JSON. Each hands a LoadedSource on.
import { byId, h } from './dom.js';
import { EXAMPLES } from './examples.js';
import type { LoadedSource } from './protocol.js';

export function setUpLoading(onLoad: (source: LoadedSource) => void): void {
  const picker = byId<HTMLSelectElement>('example-picker');
  const groups = new Map<string, HTMLElement>();
  for (const example of EXAMPLES) {
    const option = h('option', { value: example.path }, example.name);
    if (!example.group) {
      picker.appendChild(option);
      continue;
    }
    let group = groups.get(example.group);
    if (!group) {
      group = h('optgroup', { label: example.group });
      groups.set(example.group, group);
      picker.appendChild(group);
    }
    group.appendChild(option);
  }
  // Arrow keys on a closed picker change its value one step at a time: passing
  // over an example must not load it. The keyboard loads with Enter; a pick
  // with the pointer (or any change not made by those keys) loads at once.
  let stepping = false;
  let loaded = '';
  const loadPicked = async () => {
    const example = EXAMPLES.find((e) => e.path === picker.value);
    if (!example || example.path === loaded) return;
    loaded = example.path;
    onLoad({ name: example.path, text: await example.load() });
  };
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      stepping = false;
      loaded = '';
      void loadPicked();
    } else stepping = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(event.key) || /^\w$/.test(event.key);
  });
  picker.addEventListener('change', () => {
    if (stepping) return;
    loaded = '';
    void loadPicked();
  });

  const fileInput = byId<HTMLInputElement>('file-input');
  const readFile = (file: File) => onLoad({ name: file.name, file });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) readFile(file);
    // Choosing the same file again should run it again.
    fileInput.value = '';
  });

  // A drop anywhere loads the file; without this the browser would navigate to it.
  const dropZone = byId('drop-zone');
  let depth = 0;
  document.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    depth++;
    dropZone.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) dropZone.classList.remove('dragging');
  });
  document.addEventListener('dragover', (event) => event.preventDefault());
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    dropZone.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file) readFile(file);
  });

  const pasted = byId<HTMLTextAreaElement>('paste-input');
  byId('paste-form').addEventListener('submit', (event) => {
    event.preventDefault();
    onLoad({ name: 'pasted.json', text: pasted.value });
  });
}
