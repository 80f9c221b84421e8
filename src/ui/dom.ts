// DOM building for the components. Text always enters as text nodes (never
// parsed as HTML: names and messages are untrusted), and every untrusted
// string sits in a <bdi> so a right-to-left override inside it cannot reorder
// the text around it. Styles are set through the CSSOM, which a strict
// Content-Security-Policy allows (style attributes written as text it does not).
import { terminalText } from '../core/terminal-text.js';

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/** An element with attributes (setAttribute) and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Untrusted text, isolated for bidi and set as text. */
export function untrusted(text: string, attributes: Attributes = {}): HTMLElement {
  return el('bdi', attributes, text);
}

/**
 * Untrusted text inside an attribute (a tooltip): with no element to isolate
 * it, it goes between FSI and PDI, and its own bidi controls, which could
 * close that isolate early or leave an override open, are shown as \uXXXX.
 */
export function isolatedText(text: string): string {
  return `\u2068${terminalText(text)}\u2069`;
}

/** Sets CSS properties through the CSSOM (allowed under a strict style-src). */
export function styled<T extends HTMLElement>(element: T, properties: Record<string, string>): T {
  for (const [name, value] of Object.entries(properties)) element.style.setProperty(name, value);
  return element;
}

/**
 * The base class of every component: HTMLElement in a browser, an empty class
 * where there is no DOM (server-side rendering imports the module without
 * defining anything).
 */
export const ElementBase: typeof HTMLElement =
  typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

/** Registers `name` once, and only where custom elements exist. */
export function defineElement(name: string, constructor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;
  customElements.define(name, constructor);
}

/** A chart's table for screen readers, kept out of sight (a wrapper, because tables ignore width and overflow). */
export function screenReaderTable(table: HTMLTableElement): HTMLElement {
  return el('div', { class: 'sr-only' }, table);
}
