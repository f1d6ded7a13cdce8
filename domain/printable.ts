// Text from events made safe to print on a terminal: control characters written as JSON-style escapes.

/**
 * C0 controls (NUL, ESC, CR, LF, TAB…), DEL, C1 controls (CSI U+009B among them) and the bidirectional embedding,
 * override and isolate controls (U+202A–U+202E, U+2066–U+2069). Why: an event's Reference of `\x1b[2J`, an OSC
 * sequence or `\r\x1b[2K` printed raw clears or rewrites the operator's terminal, and a bidi override makes a row
 * read as something it does not hold.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with each control character written as its `\uXXXX` escape (as JSON would), so a table cell or an echoed
 * identity shows it instead of obeying it. Text without any comes back as it is.
 *
 * @example printable('ab\x1b[2Jc') // 'ab\\u001b[2Jc'
 */
export function printable(text: string): string {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}
