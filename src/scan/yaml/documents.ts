/**
 * The documents of a multi-document stream, one at a time. A manifest file often pairs a
 * Deployment with a Service or ConfigMap that has no image; parsing those documents is most of the
 * cost of scanning the file and can never yield anything, so they are left out before parsing.
 *
 * Documents are split where the `yaml` lexer always splits them: `---` or `...` at the start of a
 * line (after `\n`) followed by a space, tab, line break or the end. Such a line ends any scalar
 * or collection, quoted and flow ones included, and anchors never reach across documents, so a
 * document's keys and values are all inside its own text. A stream with a directive (`%` at the
 * start of a line) is left whole: directives belong to the document after them.
 */
import { type Document, parseAllDocuments } from 'yaml';
import { parseBlockYaml } from './fast-parse.js';
import { isAlias, isMap, isPair, isScalar, isSeq } from './guards.js';

/**
 * Returns `content` with the body of every document that `keep` rejects replaced by spaces (line
 * breaks stay), so the parser sees an empty document there while every offset and line of the
 * kept documents is unchanged. Returns `content` itself when nothing is blanked.
 */
export function blankDocuments(content: string, keep: (document: string) => boolean): string {
  const starts = documentStarts(content);
  if (!starts || starts.length < 2) return content;
  let result = '';
  let blanked = false;
  for (let i = 0; i < starts.length; i++) {
    const document = content.slice(starts[i], starts[i + 1] ?? content.length);
    if (keep(document)) {
      result += document;
      continue;
    }
    blanked = true;
    // The marker itself stays, so the blank lines form their own empty document.
    const marker = isMarkerAt(document, 0) ? 3 : 0;
    result += document.slice(0, marker) + document.slice(marker).replace(/[^\n]/g, ' ');
  }
  return blanked ? result : content;
}

/**
 * Parses the documents of a stream of several that `keep` accepts (default: all), each on its own
 * text, with every node's offsets into `content`: the fast parser where it can, else `yaml`. What
 * the rejected documents would give is what their blanked text gives: nothing. Returns undefined
 * when the stream is to be parsed whole, as blankDocuments leaves it: a single document, a
 * directive, a `...` marker (whose documents run differently), or a kept document with a syntax
 * error (the error is then reported as a parse of the whole stream reports it).
 */
export function parseDocuments(
  content: string,
  keep?: (document: string) => boolean,
): Document.Parsed[] | undefined {
  const starts = documentStarts(content);
  if (!starts || starts.length < 2) return undefined;
  if (starts.some((start) => content.charCodeAt(start) === 46 /* . */)) return undefined;
  const documents: Document.Parsed[] = [];
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i]!;
    const to = starts[i + 1] ?? content.length;
    if (keep && !keep(content.slice(from, to))) continue;
    const parsed = parseBlockYaml(content, from, to) ?? parseWithOffset(content, from, to);
    if (!parsed) return undefined;
    for (const document of parsed) documents.push(document);
  }
  return documents;
}

/** `yaml`'s parse of `content` from `from` to `to`, offsets moved into `content`; undefined on errors. */
function parseWithOffset(content: string, from: number, to: number): Document.Parsed[] | undefined {
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(content.slice(from, to), {
      uniqueKeys: false,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch {
    return undefined;
  }
  for (const document of parsed) {
    if (document.errors.length > 0) return undefined;
    if (from > 0) moveRanges(document, from);
  }
  return parsed;
}

type Range = [number, number, number];

/** Adds `by` to the range of the document and of every node in it; iterative, for deep documents. */
function moveRanges(document: Document.Parsed, by: number): void {
  const move = (range: Range | null | undefined) => {
    if (range) for (let i = 0; i < range.length; i++) range[i]! += by;
  };
  move(document.range);
  const stack: unknown[] = [document.contents];
  const moved = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (!(isScalar(node) || isAlias(node) || isMap(node) || isSeq(node)) || moved.has(node)) continue;
    moved.add(node);
    move(node.range as Range | null | undefined);
    if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
  }
}

/**
 * Offsets where documents start: 0, then each marker line. Undefined for a stream with a
 * directive (a line that starts with `%`), which is parsed whole.
 */
function documentStarts(content: string): number[] | undefined {
  if (content.charCodeAt(0) === 37 /* % */) return undefined;
  const starts = [0];
  for (let newline = content.indexOf('\n'); newline >= 0; newline = content.indexOf('\n', newline + 1)) {
    const first = content.charCodeAt(newline + 1);
    if (first === 37 /* % */) return undefined;
    if ((first === 45 /* - */ || first === 46) /* . */ && isMarkerAt(content, newline + 1))
      starts.push(newline + 1);
  }
  return starts;
}

function isMarkerAt(text: string, offset: number): boolean {
  const first = text.charCodeAt(offset);
  if (first !== 45 /* - */ && first !== 46 /* . */) return false;
  if (text.charCodeAt(offset + 1) !== first || text.charCodeAt(offset + 2) !== first) return false;
  const next = text.charCodeAt(offset + 3);
  // NaN past the end of the text.
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}
