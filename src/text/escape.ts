/**
 * Escaping of outside text (file names, image names, registry answers) before a person or the
 * Actions runner reads it. A newline would start a forged table row or log line, an escape
 * sequence would repaint the terminal, a bidi override would reorder what is shown, and on the
 * runner a line starting with `::` (or holding `##[`) is a workflow command.
 */
import { processSecrets } from '../secrets.js';

/**
 * Characters that change how text is laid out or shown rather than being shown: C0 controls
 * (newline and tab included), DEL, C1 controls, the Unicode line and paragraph separators, the
 * invisible direction marks, embeddings, overrides and isolates, and the zero-width characters
 * and byte-order mark that hide or join text.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text safe to print on one line of human output: every unsafe character becomes a visible
 * escape (`\n`, `\t`, `\x1b`, `\u202e`). Use it on every outside string in tables, lines and
 * log messages; JSON output needs nothing (JSON.stringify escapes controls itself).
 */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (char) => NAMED[char] ?? codeEscape(char));
}

/**
 * An outside value (an API answer, a log entry, an image name) for one line of human output:
 * secrets masked, escapeControl, cut to `max` characters with `…` when longer. Default max: 300.
 * Masking comes first: a secret cut in half or escaped no longer matches its mask later.
 */
export function printable(text: string, max = 300): string {
  const masked = processSecrets.redact(text);
  return escapeControl(masked.length > max ? `${masked.slice(0, max)}…` : masked);
}

/** Quotes a value for a POSIX shell: single quotes, with embedded quotes closed and escaped. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function codeEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One line of the action's log that cannot be read as a workflow command. The runner reads a
 * line as a command when, after leading whitespace, it starts with `::`, or when it holds `##[`
 * anywhere (the legacy form); it splits lines at CR and LF. So, as the runner's own command
 * escaping does, `%` becomes `%25` and CR/LF `%0D`/`%0A` (every other unsafe character too), a
 * leading `::` becomes `%3A:` and `##[` becomes `##%5B`. The text is then one line that
 * starts with a character of ours or a harmless one.
 */
export function escapeWorkflowLine(text: string): string {
  return disarmCommands(text.replace(/%/g, '%25').replace(UNSAFE, percentEscape), '%3A', '%5B');
}

/**
 * Where the runner starts reading a command: `::` after whatever leading whitespace it trims
 * (.NET's TrimStart: JavaScript's `\s` plus U+0085), on any line.
 */
const COMMAND_START = /^([\s\u0085]*):(?=:)/gm;

/**
 * `text` with no line the runner reads as a workflow command: the first `:` of a leading `::`
 * becomes `colon`, and the `[` of every `##[` becomes `bracket` (each caller's own escape).
 */
export function disarmCommands(text: string, colon: string, bracket: string): string {
  return text.replace(COMMAND_START, `$1${colon}`).replace(/##\[/g, `##${bracket}`);
}

function percentEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `%${code.toString(16).toUpperCase().padStart(2, '0')}`
    : `%u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
