// CSS shared by every component. Colours meet WCAG AA on a white page: text
// #1f2937 (14.7:1), secondary text #4b5563 (7.6:1), bar fills 3:1 or more.
export const BASE_CSS = `
:host { display: block; position: relative; color: #1f2937; font: inherit; line-height: 1.4; min-width: 0; max-width: 100%; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
bdi { unicode-bidi: isolate; overflow-wrap: anywhere; }
figure { margin: 0; min-width: 0; }
figcaption, .note { color: #4b5563; font-size: 0.875em; margin: 0.25rem 0; overflow-wrap: anywhere; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
.scroll:focus-visible, button:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.empty { color: #4b5563; font-style: italic; }
.plot { display: grid; grid-template-columns: minmax(3rem, max-content) minmax(6rem, 1fr) max-content; column-gap: 0.5rem; row-gap: 0.3rem; align-items: center; }
.row { display: contents; }
.name { max-width: min(14rem, 32vw); overflow-wrap: anywhere; font-size: 0.875em; }
.track { position: relative; height: 1.1rem; }
.track .zero { position: absolute; top: -0.2rem; bottom: -0.2rem; width: 0; border-left: 1px solid #6b7280; }
.bar { position: absolute; top: 0.1rem; bottom: 0.1rem; min-width: 1px; }
.bar.positive { background: rgb(21, 112, 61); }
.bar.negative { background: rgb(185, 28, 28); }
.bar.total { background: #1d4ed8; }
.value { font-variant-numeric: tabular-nums; font-size: 0.875em; white-space: nowrap; }
.axis { position: relative; height: 1.4rem; border-top: 1px solid #6b7280; }
.tick { position: absolute; top: 0; transform: translateX(-50%); font-size: 0.75em; color: #4b5563; padding-top: 0.2rem; white-space: nowrap; }
.tick::before { content: ''; position: absolute; left: 50%; top: 0; height: 0.2rem; border-left: 1px solid #6b7280; }
table { border-collapse: collapse; }
`;
export const AXIS_END_CSS = `
.tick.first { transform: none; } .tick.first::before { left: 0; }
.tick.last { transform: translateX(-100%); } .tick.last::before { left: 100%; }
`;
