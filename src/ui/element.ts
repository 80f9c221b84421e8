// The base of every component: properties in, a shadow root out. Setting a
// property schedules one render (a microtask), so setting several in a row
// draws once; nothing renders until the element is in a document.
import { ElementBase } from './dom.js';
import { BASE_CSS } from './styles.js';

const sheets = new Map<string, CSSStyleSheet>();

/** One constructed stylesheet per CSS text, shared by every instance (and allowed by a strict CSP). */
function sheetOf(css: string): CSSStyleSheet {
  let sheet = sheets.get(css);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    sheets.set(css, sheet);
  }
  return sheet;
}

/** What every component shares: a shadow root drawn from its properties, one render per batch of changes, an `ac-render` event after each. */
export abstract class ComponentElement extends ElementBase {
  #pending = false;

  /** The component's own CSS, after the shared base. */
  protected abstract readonly css: string;

  /** The shadow root's content for the current properties. */
  protected abstract render(): Node[];

  /** Draws when the element enters a document. */
  connectedCallback(): void {
    this.requestRender();
  }

  /** Schedules a render; called by every property setter. */
  protected requestRender(): void {
    if (this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => {
      this.#pending = false;
      if (!this.isConnected) return;
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [sheetOf(BASE_CSS), sheetOf(this.css)];
      root.replaceChildren(...this.render());
      this.dispatchEvent(new Event('ac-render'));
    });
  }
}
