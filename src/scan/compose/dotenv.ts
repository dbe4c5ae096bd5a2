/**
 * The `.env` reader, by compose-go's own dotenv rules (compose-go v2 `dotenv/parser.go`, the
 * parser `docker compose` uses to read a project's `.env`):
 *
 * - Blank space (line breaks included) before a statement is skipped; a statement starting with
 *   `#` is a comment to the end of its line.
 * - `export ` in front of a key is dropped. A key ends at `=`, `:` (YAML style) or a line break (a
 *   key alone on its line takes its value from the shell, which a scan does not have); it may
 *   hold letters, digits, `_ . - [ ]`, and blanks around it are trimmed. Any other character, or
 *   a blank inside the key, is an error that makes compose refuse the whole file.
 * - Blanks after the `=` are skipped. A value starting with `'` or `"` runs to the next matching
 *   quote that is not preceded by a backslash, across lines; anything else runs to the end of
 *   the line, is cut at the first ` #` and trimmed at the end. An unterminated quote is an error.
 * - Double-quoted values have their escapes resolved (`\n`, `\t`, `\"`, `\\`, `\$`, octal `\0nn`,
 *   …) and are interpolated; unquoted values are interpolated; single-quoted values are taken as
 *   written.
 * - Interpolation looks a variable up in the earlier env files first, then in the earlier lines
 *   of this file (compose-go asks its lookup function before the file's own values).
 * - A later assignment of a key replaces the earlier one.
 *
 * `__tests__/scan/dotenv.test.ts` runs compose-go's own test cases (rewritten as data).
 */
import { quoteText } from '../../util/quote.js';
import { createLineIndex } from '../yaml/position.js';
import { type EnvLookup, type EnvValue, interpolateCompose } from './interpolate.js';

/** One assignment of a `.env` file. */
export interface DotenvEntry {
  /** The value as compose reads it, or why it cannot be known. */
  value: EnvValue;
  /** 1-based line of the key. */
  line: number;
  /**
   * Where the value's text is in the file when that text is exactly the value (no quotes, escapes
   * or variables inside it): where a rewrite can write a new value. Offsets in UTF-16 code units.
   */
  literal?: { start: number; end: number };
  /** Where the value's text starts and ends (inside its quotes), for positions in reports. */
  text: { start: number; end: number };
}

/** A parsed `.env` file: the last assignment of each key, or the error that makes compose refuse it. */
export interface Dotenv {
  entries: Map<string, DotenvEntry>;
  /** Set when compose would refuse the file; `entries` then holds what came before the error. */
  error?: { line: number; message: string };
}

/** Parses one `.env` file; `lookup` answers for the variables of earlier env files. Never throws. */
export function parseDotenv(content: string, lookup: EnvLookup = () => undefined): Dotenv {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const offset = text === content ? 0 : 1;
  const lines = createLineIndex(content);
  const entries = new Map<string, DotenvEntry>();
  const own: EnvLookup = (name) => lookup(name) ?? entries.get(name)?.value;
  let i = 0;
  for (;;) {
    i = statementStart(text, i);
    if (i < 0) return { entries };
    const key = readKey(text, i);
    const line = lines.positionAt(i + offset).line;
    if ('error' in key) return { entries, error: { line, message: key.error } };
    if (key.inherited) {
      i = key.end;
      continue;
    }
    const value = readValue(text, key.end, own);
    if ('error' in value) return { entries, error: { line, message: value.error } };
    const shift = (span: { start: number; end: number }) => ({
      start: span.start + offset,
      end: span.end + offset,
    });
    const entry: DotenvEntry = { value: value.value, line, text: shift(value.text) };
    if (value.literal) entry.literal = shift(value.text);
    entries.set(key.name, entry);
    i = value.end;
  }
}

/** compose-go's isSpace: blanks that are not a line break (NEL and NBSP count as blanks). */
function isBlank(char: string | undefined): boolean {
  return (
    char === ' ' ||
    char === '\t' ||
    char === '\v' ||
    char === '\f' ||
    char === '\r' ||
    char === '\u0085' ||
    char === '\u00a0'
  );
}

/** Go's unicode.IsSpace, which the statement search uses (line breaks included). */
function isSpace(char: string): boolean {
  return /[\s\u0085]/.test(char) && char !== '\ufeff';
}

/** Offset of the next statement (comments skipped), or -1 at the end of the text. */
function statementStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && isSpace(text[i]!)) i++;
    if (i >= text.length) return -1;
    if (text[i] !== '#') return i;
    const newline = text.indexOf('\n', i);
    if (newline < 0) return -1;
    i = newline;
  }
}

type Key = { name: string; end: number; inherited: boolean } | { error: string };

function readKey(text: string, start: number): Key {
  let i = start;
  // compose-go removes `^export\s+` (Go's \s includes line breaks), then the blanks after it.
  if (/^export[\t\n\f\r ]/.test(text.slice(i, i + 7))) {
    i += 'export'.length;
    while (/[\t\n\f\r ]/.test(text[i] ?? '')) i++;
    while (isBlank(text[i])) i++;
  }
  const keyStart = i;
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (isBlank(char)) continue;
    if (char === '=' || char === ':' || char === '\n') {
      const name = text.slice(keyStart, i).trimEnd();
      if (/\s/.test(name)) return { error: 'a key cannot contain a space' };
      let end = i + 1;
      while (isBlank(text[end])) end++;
      return { name, end, inherited: char === '\n' };
    }
    if (!/[\p{L}\p{N}_.\-[\]]/u.test(char)) {
      return { error: `unexpected character ${quoteText(char)} in a variable name` };
    }
  }
  // The last line holds a key and nothing else: compose-go sees no terminator and stops there.
  return { name: '', end: text.length, inherited: true };
}

type Value =
  | { value: EnvValue; text: { start: number; end: number }; literal: boolean; end: number }
  | { error: string };

function readValue(text: string, start: number, lookup: EnvLookup): Value {
  const quote = text[start];
  if (quote !== '"' && quote !== "'") return unquoted(text, start, lookup);
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== quote || text[i - 1] === '\\') continue;
    const raw = text.slice(start + 1, i);
    const span = { start: start + 1, end: i };
    // A single-quoted value is its text, backslashes included.
    if (quote === "'") return { value: { value: raw }, text: span, literal: true, end: i + 1 };
    const value = resolve(expandEscapes(raw), lookup);
    return { value, text: span, literal: !/[\\$]/.test(raw), end: i + 1 };
  }
  return { error: 'unterminated quoted value' };
}

function unquoted(text: string, start: number, lookup: EnvLookup): Value {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  const comment = line.indexOf(' #');
  const raw = (comment < 0 ? line : line.slice(0, comment)).replace(/[\s\u0085]+$/, '');
  const span = { start, end: start + raw.length };
  return { value: resolve(raw, lookup), text: span, literal: !raw.includes('$'), end };
}

function resolve(raw: string, lookup: EnvLookup): EnvValue {
  const result = interpolateCompose(raw, lookup);
  if (result.ok) return { value: result.value };
  return { problem: result.reason ?? `needs variable ${result.variable}, which is not set here` };
}

/**
 * compose-go's expandEscapes: the escapes a double-quoted value may use. `\$` becomes `$$`, which
 * interpolation then reads as a literal `$`; any other backslash stays as written.
 */
function expandEscapes(raw: string): string {
  const simple: Record<string, string> = {
    a: '\u0007',
    b: '\b',
    c: '\\c',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '"': '"',
    '\\': '\\',
    $: '$$',
  };
  return raw.replace(/\\(?:([abcfnrtv$"\\])|0(\d{0,3}))/g, (match, char?: string, digits?: string) => {
    if (char !== undefined) return simple[char] ?? match;
    // `\0ddd` is read as Go's `\ddd`, which needs exactly three octal digits up to 377.
    if (digits === undefined || !/^[0-7]{3}$/.test(digits)) return match;
    const code = Number.parseInt(digits, 8);
    return code <= 0xff ? String.fromCharCode(code) : match;
  });
}
