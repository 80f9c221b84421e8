// Names from transcripts (agents, episode and message ids, file names, keys)
// are untrusted text, and messages about them go to a terminal: a newline in
// a name would forge a report or summary line, an escape sequence would
// recolour or clear the screen, and a bidi override (U+202E) would reverse the
// rest of the line, numbers included, so that -1.00 reads as 00.1-. Such
// characters are shown as \uXXXX escapes; every other character, in any
// script, is kept.

/** C0 and C1 controls, DEL, the line and paragraph separators, and the bidi embeddings, overrides, isolates and marks. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same characters but the newline, which a message of several lines keeps. */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every character that could move, recolour or reorder a terminal's output written as a \uXXXX escape. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/**
 * A message for stderr, as terminalText writes it but with its newlines kept.
 * The last line of defence for text built in many places: names that could
 * hold a newline are put in through terminalText (or JSON.stringify) where the
 * message is made.
 */
export function terminalLines(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escaped);
}
