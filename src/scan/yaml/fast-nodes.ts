/**
 * The `yaml` node objects the fast parser builds, made cheaply. The classes' constructors mark
 * each node with `Object.defineProperty` (its node type, and a collection's schema), which V8 runs
 * slowly: it was about 40 % of the fast parser's time on rendered manifests. Here every node is
 * created on a prototype that is itself a node of the class, made once with the constructor, so
 * it inherits the mark: `isScalar`/`isMap`/`isSeq`/`isPair` (which read the mark) and
 * `instanceof` hold, the class's methods work, and the node's own fields are set as the
 * constructor sets them. `__tests__/scan/yaml-fast.test.ts` checks all of that. A document's
 * constructor also builds a schema and directives for each one.
 */
import { Document, Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';

/** The schema every node of the fast parser is built with (as `yaml` builds them by default). */
export const schema = new Schema({ schema: 'core' });

const SCALAR: Scalar = new Scalar(null);
const PAIR: Pair = new Pair(null);
const MAP: YAMLMap = new YAMLMap(schema);
const SEQ: YAMLSeq = new YAMLSeq(schema);
/** Its options, directives and schema are shared by every document made here; nothing changes them. */
const DOCUMENT: Document = new Document();

/** A scalar node of `value`, as `new Scalar(value)` makes it. */
export function createScalar(value: unknown): Scalar {
  const scalar: Scalar = Object.create(SCALAR);
  scalar.value = value;
  return scalar;
}

/** A pair, as `new Pair(key, value)` makes it. */
export function createPair(key: unknown, value: unknown): Pair {
  const pair: Pair = Object.create(PAIR);
  pair.key = key;
  pair.value = value;
  return pair;
}

/** A mapping with the core schema, as `new YAMLMap(schema)` makes it, holding `items`. */
export function createMap(items: Pair[] = []): YAMLMap {
  const map: YAMLMap = Object.create(MAP);
  map.items = items;
  return map;
}

/** A sequence with the core schema, as `new YAMLSeq(schema)` makes it, holding `items`. */
export function createSeq(items: unknown[] = []): YAMLSeq {
  const seq: YAMLSeq = Object.create(SEQ);
  seq.items = items;
  return seq;
}

/**
 * A parsed document holding `contents`, as `new Document()` makes one (its own comment, error and
 * warning fields; the default options, directives and core schema).
 */
export function createDocument(
  contents: Scalar | YAMLMap | YAMLSeq,
  range: [number, number, number],
): Document.Parsed {
  const document: Document = Object.create(DOCUMENT);
  document.commentBefore = null;
  document.comment = null;
  document.errors = [];
  document.warnings = [];
  document.contents = contents;
  document.range = range;
  // The `yaml` node classes are what the finders read; Document.Parsed only narrows their types.
  return document as Document.Parsed;
}
