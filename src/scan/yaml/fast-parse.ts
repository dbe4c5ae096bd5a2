import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isBlockStart, readBlockScalar } from './fast-block.js';
import { isFlowStart, readFlowCollection } from './fast-flow.js';
import { createDocument, createMap, createPair, createScalar, createSeq } from './fast-nodes.js';
import {
  closingQuote,
  OUTSIDE_SUBSET,
  outside,
  plainScalar,
  quotedScalar,
  skipSpaces,
  startsPlain,
} from './fast-scalar.js';

/**
 * A parser for the plain block-style YAML most manifests are written in, producing the same `yaml`
 * node objects (same classes, values, sources, styles and `range[0]`/`range[1]`) that
 * `parseAllDocuments` would, at a fraction of its cost. It accepts a strict subset and gives up
 * (returns undefined) on anything else, so the caller parses that text with `yaml` as before:
 * anchors, aliases, tags, multi-line or escaped scalars, flow collections that do not close on
 * their line and some block scalars (fast-flow.ts and fast-block.ts say which are in), tabs, CR, BOM,
 * control characters, directives, `...`, `? ` and `a : b` keys, compact nested
 * sequences (`- - a`), scalar roots, and comment lines whose indentation differs from the next
 * content line's (the `yaml` parser folds those into the ranges of the nodes before them).
 * Duplicate keys are kept, each as its own pair, as `yaml` keeps them with `uniqueKeys: false`.
 * `__tests__/scan/yaml-fast.test.ts` compares both parsers on every YAML input of the test suite and
 * on generated documents.
 *
 * `range[2]` (where trailing comments end) is the end of the node's last line here; nothing in the
 * scanner reads it, and `yaml` sometimes extends it over the comment lines after a scalar.
 * A null value followed by a comment also leaves the subset, since `yaml` stretches its range.
 */

/** Lines longer than this are left to `yaml` (implicit keys end 1024 characters after their start). */
const MAX_LINE = 1000;

/** Characters the subset never contains: tab, CR, other C0/C1 controls, surrogates, BOM, LS/PS. */
const UNSUPPORTED_CHARACTERS =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;

interface Line {
  start: number;
  /** Offset of the line's `\n`, or the text length on the last line. */
  end: number;
  indent: number;
}

interface Cursor {
  text: string;
  /** The content lines of one document (no blank, comment or marker lines). */
  lines: Line[];
  index: number;
  /** Where the document's text ends: its last line's end, or the next `---` line. */
  end: number;
  /**
   * The items of the collections being read, innermost last: each collection's items are copied
   * out into an array of their exact length when it ends (a `[]` grown by push holds 16 slots).
   */
  items: unknown[];
  /** The bodies of the block scalars read, as [from, to) offset pairs in order: not comments. */
  blocks: number[];
}

/**
 * Parses the stream `text` (or its part from `from` to `to`, which must start at a line start and
 * end after a line break or at the end of the text) into documents in the fast subset, with
 * offsets into the whole text. Returns undefined when any part of it is outside the subset: the
 * caller then parses that text with `yaml`, so one document never mixes the two parsers.
 */
export function parseBlockYaml(text: string, from = 0, to = text.length): Document.Parsed[] | undefined {
  if (UNSUPPORTED_CHARACTERS.test(from === 0 && to === text.length ? text : text.slice(from, to)))
    return undefined;
  try {
    return splitDocuments(text, from, to).map((part) => parseDocument(text, part));
  } catch (err: unknown) {
    if (err === OUTSIDE_SUBSET) return undefined;
    throw err;
  }
}

interface DocumentPart {
  /** Where the document's root goes when it has no content: the end of its `---` line. */
  emptyAt: number;
  /** Where the document's text ends (set when the next marker or the end of the text is reached). */
  end: number;
  lines: Line[];
  comments: Line[];
}

/** Splits the stream at `---` lines; text before the first marker is a document only with content. */
function splitDocuments(text: string, from: number, to: number): DocumentPart[] {
  const parts: DocumentPart[] = [];
  let current: DocumentPart = { emptyAt: from, end: to, lines: [], comments: [] };
  let explicit = false;
  for (let start = from; start < to; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 || newline >= to ? to : newline;
    if (end - start > MAX_LINE) outside();
    let indent = start;
    while (indent < end && text.charCodeAt(indent) === 32) indent++;
    if (indent === start && (text.startsWith('---', start) || text.startsWith('...', start))) {
      // Only a bare `---` (trailing spaces allowed) is in the subset: no content or comment after it.
      if (!text.startsWith('---', start) || skipSpaces(text, start + 3, end) !== end) outside();
      current.end = start;
      if (explicit || current.lines.length > 0) parts.push(current);
      current = { emptyAt: end, end: to, lines: [], comments: [] };
      explicit = true;
    } else if (indent < end) {
      const line = { start, end, indent: indent - start };
      if (text.charCodeAt(indent) === 35 /* # */) current.comments.push(line);
      else current.lines.push(line);
    }
    if (end === to) break;
    start = newline + 1;
  }
  if (explicit || current.lines.length > 0) parts.push(current);
  return parts;
}

function parseDocument(text: string, part: DocumentPart): Document.Parsed {
  const first = part.lines[0];
  let contents: Scalar | YAMLMap | YAMLSeq;
  if (!first) {
    contents = nullScalar(part.emptyAt, part.emptyAt);
    checkComments(part, []);
  } else {
    if (first.indent !== 0) outside();
    const cursor: Cursor = { text, lines: part.lines, index: 0, end: part.end, items: [], blocks: [] };
    contents = parseCollection(cursor, first, 0);
    if (cursor.index !== part.lines.length) outside();
    checkComments(part, cursor.blocks);
  }
  return createDocument(contents, [first?.start ?? part.emptyAt, contents.range![1], contents.range![1]]);
}

/**
 * A comment line indented like the next content line is a comment before that line's node, which
 * changes no range. Other placements are folded into neighbouring nodes' ranges by `yaml` in ways
 * this parser does not model, so they leave the subset; so does a comment after the last content
 * line unless it starts at column 0. Lines inside block scalar bodies (`blocks`) are text.
 */
function checkComments(part: DocumentPart, blocks: readonly number[]): void {
  let next = 0;
  let block = 0;
  for (const comment of part.comments) {
    while (block < blocks.length && blocks[block + 1]! <= comment.start) block += 2;
    if (block < blocks.length && blocks[block]! <= comment.start) continue;
    while (next < part.lines.length && part.lines[next]!.start < comment.start) next++;
    const indent = part.lines[next]?.indent ?? 0;
    if (comment.indent !== indent) outside();
  }
}

function isDash(text: string, at: number, end: number): boolean {
  return text.charCodeAt(at) === 45 /* - */ && (at + 1 === end || text.charCodeAt(at + 1) === 32);
}

/** After the line's `\n` (or at the end of the text): where `yaml` ends a value scalar's range. */
function afterLine(text: string, line: Line): number {
  return line.end < text.length ? line.end + 1 : line.end;
}

function nullScalar(at: number, end: number): Scalar {
  const scalar = createScalar(null);
  scalar.source = '';
  scalar.type = 'PLAIN';
  scalar.range = [at, at, end];
  return scalar;
}

function parseCollection(cursor: Cursor, line: Line, column: number): YAMLMap | YAMLSeq {
  return isDash(cursor.text, line.start + column, line.end)
    ? parseSeq(cursor, column)
    : parseMap(cursor, column);
}

function parseSeq(cursor: Cursor, column: number): YAMLSeq {
  const { text, lines, items } = cursor;
  const base = items.length;
  const start = lines[cursor.index]!.start + column;
  let end = start;
  while (cursor.index < lines.length) {
    const line = lines[cursor.index]!;
    // A line at the column without a dash is the next key of the mapping that holds this sequence.
    if (line.indent < column || (line.indent === column && !isDash(text, line.start + column, line.end)))
      break;
    if (line.indent > column) outside();
    const item = parseValue(cursor, line, skipSpaces(text, line.start + column + 1, line.end), column, true);
    items.push(item);
    end = item.range![2];
  }
  const seq = createSeq(takeItems(items, base));
  seq.range = [start, end, end];
  return seq;
}

/** The items above `base` on the scratch stack, in an array of their own; the stack drops them. */
function takeItems<T>(items: unknown[], base: number): T[] {
  const taken = items.slice(base) as T[];
  items.length = base;
  return taken;
}

/** A block mapping whose keys start at `column`; the first key may follow a `- ` on its line. */
function parseMap(cursor: Cursor, column: number): YAMLMap {
  const { text, lines, items } = cursor;
  const base = items.length;
  const start = lines[cursor.index]!.start + column;
  let end = start;
  for (let first = true; cursor.index < lines.length; first = false) {
    const line = lines[cursor.index]!;
    if (!first && line.indent < column) break;
    if (!first && line.indent > column) outside();
    const key = readScalar(text, line.start + column, line.end);
    const colon = keyColon;
    if (colon < 0) outside();
    const value = parseValue(cursor, line, skipSpaces(text, colon + 1, line.end), column, false);
    items.push(createPair(key, value));
    end = value.range![2];
  }
  const map = createMap(takeItems(items, base));
  map.range = [start, end, end];
  return map;
}

/**
 * The value after `key:` or `- ` at `at` on `line`, for a collection whose items start at `column`:
 * a scalar on the same line, a compact mapping (`- name: app`), a collection on the next lines, or
 * null. Leaves the cursor on the first line after the value.
 */
function parseValue(
  cursor: Cursor,
  line: Line,
  at: number,
  column: number,
  inSeq: boolean,
): Scalar | YAMLMap | YAMLSeq {
  const { text, lines } = cursor;
  if (at === line.end || text.charCodeAt(at) === 35 /* # */) {
    cursor.index++;
    const next = lines[cursor.index];
    // A mapping's sequence value may start at the key's own column (`containers:\n- name: a`).
    if (
      next &&
      (next.indent > column ||
        (!inSeq && next.indent === column && isDash(text, next.start + column, next.end)))
    )
      return parseCollection(cursor, next, next.indent);
    // `yaml` stretches a null over a comment after it (on its line or on the lines before the next
    // content line); not modelled here.
    if (at !== line.end || text.slice(line.end, next?.start ?? cursor.end).includes('#')) outside();
    return nullScalar(at, at);
  }
  if (inSeq && isDash(text, at, line.end)) outside();
  if (isFlowStart(text, at)) return parseFlowValue(cursor, line, at, column);
  if (isBlockStart(text, at)) return parseBlockValue(cursor, line, at, column);
  const scalar = readScalar(text, at, line.end);
  if (keyColon >= 0) {
    if (!inSeq) outside();
    return parseMap(cursor, at - line.start);
  }
  cursor.index++;
  // A more indented next line would continue a plain scalar (or be an error): leave it to `yaml`.
  const next = lines[cursor.index];
  if (next && next.indent > column) outside();
  scalar.range![2] = afterLine(text, line);
  return scalar;
}

/** A block scalar whose header is at `at` (fast-block.ts); the cursor goes on after its body. */
function parseBlockValue(cursor: Cursor, line: Line, at: number, column: number): Scalar {
  const { lines } = cursor;
  const block = readBlockScalar(cursor.text, at, line.end, column, cursor.end);
  cursor.blocks.push(line.end + 1, block.end);
  cursor.index++;
  while (cursor.index < lines.length && lines[cursor.index]!.start < block.end) cursor.index++;
  const next = lines[cursor.index];
  if (next && next.indent > column) outside();
  return block.scalar;
}

/**
 * A flow collection that opens at `at` and closes on the same line, followed by nothing or a
 * comment (`limits: {cpu: 1}  # per pod`). `yaml` ends its range after the line's break.
 */
function parseFlowValue(cursor: Cursor, line: Line, at: number, column: number): YAMLMap | YAMLSeq {
  const { text, lines } = cursor;
  const flow = readFlowCollection(text, at, line.end);
  const closed = flow.node.range![1];
  if (flow.next < line.end && !(text.charCodeAt(flow.next) === 35 /* # */ && flow.next > closed)) outside();
  cursor.index++;
  const next = lines[cursor.index];
  if (next && next.indent > column) outside();
  flow.node.range = [at, closed, afterLine(text, line)];
  return flow.node;
}

/**
 * Where readScalar found the `:` after the scalar it read last, when that scalar is a mapping key
 * (else -1). A variable rather than a result object: readScalar runs for every key and value.
 */
let keyColon = -1;

/** A scalar read from one line; sets keyColon. */
function readScalar(text: string, at: number, end: number): Scalar {
  const quote = text[at];
  if (quote === '"' || quote === "'") return readQuoted(text, at, end);
  if (!startsPlain(text, at, end)) outside();
  let stop = at;
  let colon = -1;
  for (; stop < end; stop++) {
    const code = text.charCodeAt(stop);
    if (code === 58 /* : */ && (stop + 1 === end || text.charCodeAt(stop + 1) === 32)) {
      colon = stop;
      break;
    }
    // In block context `[ ] { } ,` inside a plain scalar are text (`${TAG}`); only the first
    // character decides whether a flow collection starts.
    if (code === 35 /* # */ && text.charCodeAt(stop - 1) === 32) break;
  }
  // Only spaces end a plain scalar: String.trimEnd would also drop U+00A0, which YAML keeps.
  let last = stop;
  while (last > at && text.charCodeAt(last - 1) === 32) last--;
  const source = text.slice(at, last);
  // `a : b` keys and a `: ` after the value (`a: b: c`) are left to `yaml`.
  if (colon >= 0 && at + source.length !== colon) outside();
  const scalar = plainScalar(source);
  scalar.range = [at, at + source.length, at + source.length];
  keyColon = colon;
  return scalar;
}

/** A quoted scalar closed on its own line, without escapes; followed by a comment, `:` or nothing. */
function readQuoted(text: string, at: number, end: number): Scalar {
  const close = closingQuote(text, at, end);
  const after = skipSpaces(text, close + 1, end);
  let colon = -1;
  if (text[after] === ':' && (after + 1 === end || text.charCodeAt(after + 1) === 32)) colon = after;
  else if (after < end && !(text[after] === '#' && after > close + 1)) outside();
  if (colon >= 0 && after !== close + 1) outside();
  keyColon = colon;
  return quotedScalar(text, at, close);
}
