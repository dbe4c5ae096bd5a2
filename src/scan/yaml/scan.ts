import type { Document, Node, Scalar, YAMLMap } from 'yaml';
import { errorMessage } from '../../errors.js';
import { tryParseReference } from '../../reference/index.js';
import { quoteText } from '../../util/quote.js';
import { notMirroredReason } from '../placeholders.js';
import type {
  BuildOutput,
  Diagnostic,
  ExtractResult,
  FinderContext,
  ImageOccurrence,
  OccurrenceKind,
  RewriteTarget,
  ScalarSpan,
  Severity,
} from '../types.js';
import { isMap, isScalar, isSeq } from './guards.js';
import { getNode, resolveNode } from './nodes.js';
import { parseYamlStream } from './parse.js';
import { createLineIndex, type LineIndex } from './position.js';
import { mappingInfo, scalarSpan } from './span.js';

/** State shared by the walkers of one file: where results go, and the document being walked. */
export interface YamlScan {
  file: string;
  content: string;
  lines: LineIndex;
  doc: Document.Parsed;
  occurrences: ImageOccurrence[];
  diagnostics: Diagnostic[];
  /** Span starts already reported: an anchored image used through several aliases is reported once. */
  seen: Set<number>;
  /** What the caller knows around the file. Default: nothing (a file on its own). */
  context?: FinderContext;
  /** Images the file declares the repository builds (shared by its documents; returned by scanYaml). */
  buildOutputs: BuildOutput[];
  /** Answers of textFact for this file (shared by its documents). */
  facts: Map<string, boolean>;
}

/**
 * A test on the whole file's text, run once per file however many documents or nodes ask
 * (`name` identifies the test).
 */
export function textFact(scan: YamlScan, name: string, test: (content: string) => boolean): boolean {
  let fact = scan.facts.get(name);
  if (fact === undefined) {
    fact = test(scan.content);
    scan.facts.set(name, fact);
  }
  return fact;
}

/** Turns an image text into the reference text to parse, or says why it cannot be resolved. */
export type Resolver = (text: string) => { text: string } | { problem: string };

/** Options of scanYaml. */
export interface ScanYamlOptions {
  /**
   * Asked about each document's text first: a document it rejects is neither parsed nor visited,
   * so its syntax errors are not reported either. Default: every document is parsed.
   */
  keepDocument?: (text: string) => boolean;
  /** Handed to the walkers as `scan.context`. Default: none. */
  context?: FinderContext;
}

/** Walks one document's root node. */
export type DocumentVisitor = (scan: YamlScan, root: Node) => void;

/**
 * Parses `content` and hands each clean document's root to `visit`. Never throws: an unexpected
 * failure in a walker becomes a diagnostic for that document, and the next one is still read.
 */
export function scanYaml(
  content: string,
  file: string,
  visit: DocumentVisitor,
  options: ScanYamlOptions = {},
): ExtractResult {
  const { keepDocument, context } = options;
  const { documents, diagnostics } = parseYamlStream(content, file, keepDocument);
  const occurrences: ImageOccurrence[] = [];
  const buildOutputs: BuildOutput[] = [];
  const lines = createLineIndex(content);
  const seen = new Set<number>();
  const facts = new Map<string, boolean>();
  for (const doc of documents) {
    const root = resolveNode(doc.contents, doc);
    if (!root) continue;
    const scan: YamlScan = { file, content, lines, doc, occurrences, diagnostics, seen, buildOutputs, facts };
    if (context) scan.context = context;
    try {
      visit(scan, root);
    } catch (err: unknown) {
      const line = lines.positionAt(root.range?.[0] ?? 0).line;
      diagnose(scan, line, 'error', `could not scan this document: ${errorMessage(err)}`);
    }
  }
  return buildOutputs.length > 0 ? { occurrences, diagnostics, buildOutputs } : { occurrences, diagnostics };
}

/** Adds a diagnostic at a line of the current file. */
export function diagnose(scan: YamlScan, line: number, severity: Severity, message: string): void {
  scan.diagnostics.push({ file: scan.file, line, severity, message });
}

/** Line of a node's first character (1-based). */
export function lineOf(scan: YamlScan, node: Node): number {
  return scan.lines.positionAt(node.range?.[0] ?? 0).line;
}

/** Says what kind of template or variable a value holds, or undefined for a literal value. */
export function templateIn(text: string): string | undefined {
  if (text.includes('{{')) return 'a template expression ({{ }})';
  if (/\$(?:\{|\(|[A-Za-z_])/.test(text)) return 'a variable ($…)';
  return undefined;
}

/** The default resolver: literal values pass, templated ones are reported, never guessed. */
export const literalOnly: Resolver = (text) => {
  const template = templateIn(text);
  return template ? { problem: `contains ${template}, resolved only at deploy time` } : { text };
};

/** Options of reportScalar. */
export interface ScalarOptions {
  /** Text in front of the reference inside the scalar (`docker://`). Default: none. */
  prefix?: string;
  /** How variables in the value resolve. Default: literalOnly. */
  resolve?: Resolver;
}

/**
 * The scalar `value` resolves to and its span, the first time it is seen: undefined for a
 * missing value, for a collection (reported as a diagnostic) and for a scalar already taken. An
 * anchored value used through several aliases is one reference (and one diagnostic).
 */
export function takeScalarSpan(
  scan: YamlScan,
  value: unknown,
): { node: Scalar; span: NonNullable<ReturnType<typeof scalarSpan>> } | undefined {
  const node = resolveNode(value, scan.doc);
  if (!node) return undefined;
  if (!isScalar(node)) {
    reportNotScalar(scan, node);
    return undefined;
  }
  const span = scalarSpan(node, scan.content);
  if (!span || scan.seen.has(span.start)) return undefined;
  scan.seen.add(span.start);
  return { node, span };
}

/**
 * Reports the image held by one scalar (reached through an alias if need be). Null and empty
 * values are not images and are skipped silently; templated or invalid values become diagnostics
 * quoting the value. The rewrite target is the whole scalar, whatever part of it the reference is.
 */
export function reportScalar(
  scan: YamlScan,
  value: unknown,
  kind: OccurrenceKind,
  options: ScalarOptions = {},
): void {
  const taken = takeScalarSpan(scan, value);
  if (!taken) return;
  const { node, span } = taken;
  const prefix = options.prefix ?? '';
  const text = span.value.trim().slice(prefix.length);
  if (text === '') return;
  const resolved = (options.resolve ?? literalOnly)(text);
  const line = lineOf(scan, node);
  if ('problem' in resolved) {
    diagnose(scan, line, 'warning', `image ${quote(text)} ${resolved.problem}`);
    return;
  }
  const notMirrored = notMirroredReason(resolved.text);
  if (notMirrored) {
    diagnose(scan, line, 'notice', `image ${quote(resolved.text)} ${notMirrored}`);
    return;
  }
  const parsed = tryParseReference(resolved.text);
  if (!parsed.ok) {
    diagnose(scan, line, 'warning', `invalid image reference ${quote(resolved.text)}: ${parsed.reason}`);
    return;
  }
  scan.occurrences.push({
    ...placeAt(scan, span),
    kind,
    reference: parsed.reference,
    target: { type: 'scalar', scalar: span, prefix },
  });
}

/** Reports a mapping or sequence where an image string belongs (quoting it when it is templated). */
export function reportNotScalar(scan: YamlScan, node: Node): void {
  const [start = 0, end = start] = node.range ?? [];
  const source = scan.content.slice(start, end);
  const what = isMap(node) ? 'a mapping' : isSeq(node) ? 'a sequence' : 'not a string';
  const template = templateIn(source);
  const message = template
    ? `image ${quote(source)} contains ${template}, resolved only at deploy time`
    : `expected an image reference, found ${what}`;
  diagnose(scan, lineOf(scan, node), 'warning', message);
}

/** A split image (Kustomize, Helm): its parts, the field positions point at, and the reference text. */
export interface FieldsImage {
  kind: OccurrenceKind;
  /** How a rewrite writes the parts. Default: `helm`, or `kustomize` for kind `kustomize`. */
  format?: 'kustomize' | 'helm';
  fields: Record<string, ScalarSpan>;
  /** Key names that differ from the part names (`{repository: 'name'}`). Default: none. */
  keys?: Record<string, string>;
  /** Why the image cannot be rewritten in place, when it cannot (a registry set elsewhere). */
  notRewritable?: string;
  /**
   * Pass over an invalid reference silently: the mapping was only a guess (a `repository` and a
   * `tag` under a key that does not say "image"). Default: false (a warning).
   */
  quiet?: boolean;
  /** The field whose text the occurrence's start/end/raw show. */
  main: ScalarSpan;
  mapping: YAMLMap;
  /** The effective reference text, built from the fields. */
  text: string;
}

/** Reports an image split across the keys of one mapping; invalid references become diagnostics. */
export function reportFields(scan: YamlScan, image: FieldsImage): void {
  if (scan.seen.has(image.main.start)) return;
  scan.seen.add(image.main.start);
  const line = scan.lines.positionAt(image.main.start).line;
  const notMirrored = notMirroredReason(image.text);
  if (notMirrored) {
    diagnose(scan, line, 'notice', `image ${quote(image.text)} ${notMirrored}`);
    return;
  }
  const parsed = tryParseReference(image.text);
  if (!parsed.ok) {
    if (!image.quiet)
      diagnose(scan, line, 'warning', `invalid image reference ${quote(image.text)}: ${parsed.reason}`);
    return;
  }
  const format = image.format ?? (image.kind === 'kustomize' ? 'kustomize' : 'helm');
  const target: RewriteTarget = image.notRewritable
    ? { type: 'none', reason: image.notRewritable }
    : {
        type: 'fields',
        format,
        fields: image.fields,
        mapping: mappingInfo(image.mapping, scan.content, scan.lines),
      };
  if (target.type === 'fields' && image.keys && Object.keys(image.keys).length > 0) target.keys = image.keys;
  scan.occurrences.push({
    ...placeAt(scan, image.main),
    kind: image.kind,
    reference: parsed.reference,
    target,
  });
}

function placeAt(scan: YamlScan, span: ScalarSpan): Pick<ImageOccurrence, 'file' | 'start' | 'end' | 'raw'> {
  return {
    file: scan.file,
    start: scan.lines.positionAt(span.start),
    end: scan.lines.positionAt(span.end),
    raw: scan.content.slice(span.start, span.end),
  };
}

/**
 * Quotes a value for a message: cut at 200 characters so a huge scalar cannot flood the log, and
 * control characters escaped so a value cannot forge a line or a terminal sequence.
 */
export function quote(text: string): string {
  return quoteText(text);
}

/**
 * The spans of those `keys` of a mapping that hold a non-null scalar (through aliases, merge keys
 * included). A templated field is reported as a diagnostic and the result is undefined, since the
 * image it belongs to cannot be known.
 */
export function fieldSpans(
  scan: YamlScan,
  map: YAMLMap,
  keys: readonly string[],
): Record<string, ScalarSpan> | undefined {
  const fields: Record<string, ScalarSpan> = {};
  for (const key of keys) {
    const node = getNode(map, key, scan.doc);
    const span = isScalar(node) ? scalarSpan(node, scan.content) : undefined;
    if (!span) continue;
    const template = templateIn(span.value);
    if (template) {
      diagnose(
        scan,
        lineOf(scan, node!),
        'warning',
        `${key} ${quote(span.value)} contains ${template}, resolved only at deploy time`,
      );
      return undefined;
    }
    fields[key] = span;
  }
  return fields;
}
