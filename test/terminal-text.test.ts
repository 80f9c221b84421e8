// Untrusted names on a terminal: controls, escapes and bidi overrides shown as \uXXXX, every script kept.
import { describe, expect, it } from 'vitest';
import { terminalText } from '../src/core/terminal-text.js';

describe('terminalText', () => {
  it('escapes newlines, escape sequences, DEL, C1 controls, line separators and bidi controls', () => {
    expect(terminalText('a\nb\r\tc')).toBe('a\\u000ab\\u000d\\u0009c');
    expect(terminalText('\x1b[31mred\x1b[0m')).toBe('\\u001b[31mred\\u001b[0m');
    expect(terminalText('x\x7f\x9by')).toBe('x\\u007f\\u009by');
    expect(terminalText('Web\u202eSurfer\u202c')).toBe('Web\\u202eSurfer\\u202c');
    expect(terminalText('\u2066a\u2069\u200f\u061c\u2028')).toBe('\\u2066a\\u2069\\u200f\\u061c\\u2028');
  });

  it('keeps names in any script, emoji sequences (ZWJ) and full-width punctuation as they are', () => {
    for (const name of ['编排者 (thought)', 'مخطط', 'שלום', 'Agent 👩‍💻', 'Ｗｅｂ：２', 'plain_name-1']) expect(terminalText(name)).toBe(name);
  });
});
