/**
 * Block scalars of the fast YAML subset, as manifests write scripts and embedded files:
 * `key: |`, `key: |-`, `key: >`, `key: >-` (and `- |` in a sequence), maybe followed by a comment,
 * with a body indented past the collection that holds them. Left to `yaml`: keep chomping (`|+`),
 * explicit indentation indicators (`|2`), an empty body, a body line of spaces only that is
 * longer than the body's indentation, and folded (`>`) bodies with more-indented lines (which
 * fold differently).
 */
import type { Scalar } from 'yaml';
import { createScalar } from './fast-nodes.js';
import { outside, skipSpaces } from './fast-scalar.js';

/** A block scalar, and the offset after its last body line (where the document goes on). */
export interface BlockRead {
  scalar: Scalar;
  end: number;
}

/** True for a `|` or `>` at `at`: the value there is a block scalar. */
export function isBlockStart(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code === 124 /* | */ || code === 62 /* > */;
}

/**
 * Reads the block scalar whose header starts at `at` on a line ending at `lineEnd`, inside a
 * collection whose items start at `column`, in a document ending at `documentEnd`.
 */
export function readBlockScalar(
  text: string,
  at: number,
  lineEnd: number,
  column: number,
  documentEnd: number,
): BlockRead {
  const folded = text.charCodeAt(at) === 62;
  const strip = text.charCodeAt(at + 1) === 45; /* - */
  const headerEnd = at + (strip ? 2 : 1);
  const afterHeader = skipSpaces(text, headerEnd, lineEnd);
  if (afterHeader < lineEnd && !(text.charCodeAt(afterHeader) === 35 /* # */ && afterHeader > headerEnd))
    outside();
  const body = readBody(text, lineEnd + 1, column, documentEnd, folded);
  const joined = folded ? fold(body.lines) : body.lines.join('\n');
  const value = strip ? joined : `${joined}\n`;
  const scalar = createScalar(value);
  scalar.source = value;
  scalar.type = folded ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
  scalar.range = [at, body.end, body.end];
  return { scalar, end: body.end };
}

/** The body's lines without their indentation ('' for empty lines) up to its last non-empty line. */
interface Body {
  lines: string[];
  /** After the last non-empty line's line break (or at the end of the text). */
  end: number;
}

function readBody(text: string, from: number, column: number, documentEnd: number, folded: boolean): Body {
  const lines: string[] = [];
  let indent = -1;
  let longestBlank = 0;
  let kept = 0;
  let end = from;
  for (let start = from; start < documentEnd; ) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline < 0 || newline >= documentEnd ? documentEnd : newline;
    const spaces = skipSpaces(text, start, lineEnd) - start;
    if (start + spaces === lineEnd) {
      longestBlank = Math.max(longestBlank, spaces);
      lines.push('');
    } else {
      if (indent < 0) indent = spaces;
      if (spaces < indent || spaces <= column) break;
      // A more-indented line of a folded body keeps its line breaks: not modelled.
      if (folded && spaces > indent) outside();
      lines.push(text.slice(start + indent, lineEnd));
      kept = lines.length;
      end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    }
    if (lineEnd === documentEnd) break;
    start = newline + 1;
  }
  // An empty body, or a line of spaces reaching into the body's indentation (it is text then, or
  // an error before the first text line), is left to `yaml`.
  if (kept === 0 || longestBlank > indent) outside();
  lines.length = kept;
  return { lines, end };
}

/**
 * A folded body: a line break between two text lines becomes a space; between text lines with
 * empty lines in between, each empty line is a line break (the break before them is dropped);
 * empty lines before the first text line are line breaks.
 */
function fold(lines: readonly string[]): string {
  let result = '';
  let breaks = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      breaks++;
      continue;
    }
    result += started && breaks === 0 ? ' ' : '\n'.repeat(breaks);
    result += line;
    breaks = 0;
    started = true;
  }
  return result;
}
