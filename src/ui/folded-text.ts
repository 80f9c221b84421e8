// Long untrusted text drawn in bounded chunks: the first FOLDED_LENGTH
// characters, then UNFOLD_STEP more per click, so even a megabyte-long
// message never costs one long layout. Shared by <ac-transcript> and any page
// that shows messages or exported rows itself (the demo's preference cards).
import { InputError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { el } from './dom.js';

/** Characters shown before a text is folded, and added per "show more". */
export const FOLDED_LENGTH = 1_000;
const UNFOLD_STEP = 10_000;

/**
 * `text` set as text in a `tag` element (class `className`, `dir="auto"`),
 * folded when longer than 1,000 characters: then followed by a button that
 * shows 10,000 more per click and, once all is shown, folds it again.
 * Returns the element, and the button when there is one.
 */
export function foldedText(text: string, tag: 'p' | 'pre' = 'p', className = 'content'): HTMLElement[] {
  if (typeof text !== 'string') throw new InputError([{ path: 'text', message: `expected the text to show as a string, got ${describe(text)}` }], 'foldedText');
  if (tag !== 'p' && tag !== 'pre') throw new InputError([{ path: 'tag', message: `expected 'p' or 'pre', got ${describe(tag)}` }], 'foldedText');
  if (typeof className !== 'string') throw new InputError([{ path: 'className', message: `expected a class name as a string, got ${describe(className)}` }], 'foldedText');
  const block = el(tag, { class: className, dir: 'auto' });
  if (text.length <= FOLDED_LENGTH) {
    block.textContent = text;
    return [block];
  }
  let shown = FOLDED_LENGTH;
  const visible = document.createTextNode(text.slice(0, shown));
  const ellipsis = document.createTextNode('…');
  block.append(visible, ellipsis);
  const more = el('button', { type: 'button', class: 'show-more', 'aria-expanded': 'false' });
  const label = () => {
    const left = text.length - shown;
    more.textContent = left > 0 ? `Show ${Math.min(left, UNFOLD_STEP).toLocaleString('en-US')} more characters (${left.toLocaleString('en-US')} hidden)` : 'Show less';
  };
  label();
  more.addEventListener('click', () => {
    if (shown >= text.length) {
      shown = FOLDED_LENGTH;
      visible.data = text.slice(0, shown);
      ellipsis.data = '…';
      more.setAttribute('aria-expanded', 'false');
    } else {
      visible.appendData(text.slice(shown, shown + UNFOLD_STEP));
      shown = Math.min(text.length, shown + UNFOLD_STEP);
      if (shown >= text.length) ellipsis.data = '';
      more.setAttribute('aria-expanded', String(shown >= text.length));
    }
    label();
  });
  return [block, more];
}
