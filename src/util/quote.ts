/**
 * Quoting outside text (file contents, values from a repository) inside a message. A message can
 * reach a terminal, a log line, a workflow annotation or a comment, so what is quoted is cut to a
 * bounded length and every character that could end a line, start an escape sequence or reorder
 * text on screen is written as an escape instead.
 */

import { processSecrets } from '../secrets.js';

/** Characters quoted in a message at most. Default for quoteText. */
export const MAX_QUOTED_CHARACTERS = 200;

/**
 * C0 and C1 controls and DEL (JSON.stringify escapes only the C0 ones), the line and paragraph
 * separators, and the bidirectional overrides and isolates (they reorder what a reader sees).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` in double quotes, cut to `max` characters (then `…`), with quotes, backslashes and the
 * unsafe characters escaped (`\n`, `\u001b`, `\u2028`). Default max: MAX_QUOTED_CHARACTERS.
 */
export function quoteText(raw: string, max = MAX_QUOTED_CHARACTERS): string {
  // Masked before it is cut: half a secret would no longer match its mask at output.
  const text = processSecrets.redact(raw);
  let shown = text.length > max ? text.slice(0, max) : text;
  // Never end on half a surrogate pair: the lone half would print as a replacement character.
  if (shown.length < text.length && /[\ud800-\udbff]$/.test(shown)) shown = shown.slice(0, -1);
  const escaped = JSON.stringify(shown).replace(UNSAFE, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return shown.length < text.length ? `${escaped.slice(0, -1)}…"` : escaped;
}
