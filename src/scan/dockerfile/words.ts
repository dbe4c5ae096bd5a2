/**
 * Word splitting for one logical Dockerfile line (continuations already joined). Words keep their
 * raw text (quotes and escapes included) and their index in the joined text, so callers can map
 * them back to source offsets and expand them later.
 */

/** A whitespace-separated word of a logical line; `start`/`end` index the joined text. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

/** A `--name[=value]` flag; `valueStart` indexes the joined text (-1 when there is no `=`). */
export interface Flag {
  /** Lower-cased flag name without the leading `--`. */
  name: string;
  value: string | undefined;
  valueStart: number;
  word: Word;
}

const isSpace = (code: number): boolean => code === 32 || code === 9 || code === 13;

/**
 * Splits `text` from `from` into words the way BuildKit's lexer does for flags and arguments:
 * whitespace separates words except inside quotes, and the escape character protects the next
 * character. An unterminated quote runs to the end of the line.
 */
export function splitWords(text: string, from: number, escapeChar: string): Word[] {
  const words: Word[] = [];
  const escapeCode = escapeChar.charCodeAt(0);
  let i = from;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    let quote = 0;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (quote === 0 && isSpace(code)) break;
      if (code === escapeCode && quote !== 39) i += 2;
      else {
        if (quote === 0 && (code === 34 || code === 39)) quote = code;
        else if (code === quote) quote = 0;
        i++;
      }
    }
    if (i > text.length) i = text.length;
    words.push({ text: text.slice(start, i), start, end: i });
  }
  return words;
}

/**
 * Reads the leading `--flag` words starting at `words[from]`; returns them and the index of the
 * first word that is not a flag. A bare `--` ends the flags, as in BuildKit.
 */
export function readFlags(words: Word[], from: number): { flags: Flag[]; next: number } {
  const flags: Flag[] = [];
  let i = from;
  for (; i < words.length; i++) {
    const word = words[i] as Word;
    if (!word.text.startsWith('--')) break;
    if (word.text === '--') return { flags, next: i + 1 };
    const equals = word.text.indexOf('=');
    const name = (equals < 0 ? word.text.slice(2) : word.text.slice(2, equals)).toLowerCase();
    if (equals < 0) flags.push({ name, value: undefined, valueStart: -1, word });
    else flags.push({ name, value: word.text.slice(equals + 1), valueStart: word.start + equals + 1, word });
  }
  return { flags, next: i };
}

/** A piece of text with its start index, e.g. one `key=value` option of `--mount`. */
export interface Piece {
  text: string;
  start: number;
}

/** Splits a `--mount` value into comma-separated options, keeping quoted commas (BuildKit reads it as CSV). */
export function splitOptions(value: string, start: number): Piece[] {
  const pieces: Piece[] = [];
  let quote = 0;
  let from = 0;
  for (let i = 0; i <= value.length; i++) {
    const code = i < value.length ? value.charCodeAt(i) : 44;
    if (quote !== 0) {
      if (code === quote) quote = 0;
      continue;
    }
    if (code === 34 || code === 39) quote = code;
    else if (code === 44) {
      pieces.push({ text: value.slice(from, i), start: start + from });
      from = i + 1;
    }
  }
  if (quote !== 0) pieces.push({ text: value.slice(from), start: start + from });
  return pieces;
}

/** Removes one pair of matching surrounding quotes; returns the inner text and how far it moved. */
export function unquote(piece: Piece): Piece {
  const { text } = piece;
  const first = text.charCodeAt(0);
  if (text.length >= 2 && (first === 34 || first === 39) && text.charCodeAt(text.length - 1) === first) {
    return { text: text.slice(1, -1), start: piece.start + 1 };
  }
  return piece;
}
