/**
 * Characters typed text must never carry into an export: C0 controls other than tab and line feed (NUL, ESC...), DEL
 * and the C1 controls, and the Unicode bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that can
 * make a file read differently from what it holds ("Trojan Source"). Carriage returns become line feeds.
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '');
}
