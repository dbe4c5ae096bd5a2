/**
 * Text from outside (log entries, API answers, image names) made safe to print on a terminal:
 * control characters, escape sequences and bidirectional overrides cannot reach the screen.
 */

// C0 and C1 controls, DEL, and the Unicode formatting characters that reorder or hide text
// (bidi embeddings/overrides/isolates, zero-width marks, the BOM, line/paragraph separators).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `text` with every unsafe character written as `\u{XXXX}` (newlines and tabs too, so one
 * value stays on one line), cut to `max` characters with `…` when longer. Default max: 300.
 */
export function printable(text: string, max = 300): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(UNSAFE, (char) => `\\u{${char.charCodeAt(0).toString(16).padStart(4, '0')}}`);
}

/** Quotes a value for a POSIX shell: single quotes, with embedded quotes closed and escaped. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
