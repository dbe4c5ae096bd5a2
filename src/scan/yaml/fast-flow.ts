/**
 * Flow collections of the fast YAML subset: `{…}` and `[…]` that open and close on one line, as
 * `helm template` output and hand-written manifests write them (`resources: {}`,
 * `limits: {cpu: 1, memory: 512Mi}`, `verbs: ["get", "list"]`), nested ones included. Their
 * entries are plain or quoted scalars (quoted ones may hold `,`, `{` or `#`) and other flow
 * collections; mapping entries are `key: value` with both present. Everything else leaves the
 * subset, and `yaml` reads the document: a collection that goes on to the next line, a comment
 * inside one, anchors, aliases, tags, escapes, explicit `?` keys, keys without values or values
 * without keys (`{a}`, `{a: }`), pairs inside sequences (`[a: b]`), JSON-style `"a":1`, a space
 * before `:`, empty entries and a trailing comma. Duplicate keys are kept, each as its own pair,
 * as `yaml` keeps them with `uniqueKeys: false`.
 */
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { createMap, createPair, createSeq } from './fast-nodes.js';
import { closingQuote, outside, plainScalar, quotedScalar, skipSpaces, startsPlain } from './fast-scalar.js';

/** Flow collections nested deeper than this are left to `yaml`. */
const MAX_FLOW_DEPTH = 16;

const OPEN_MAP = 123; // {
const CLOSE_MAP = 125; // }
const OPEN_SEQ = 91; // [
const CLOSE_SEQ = 93; // ]
const COMMA = 44;
const COLON = 58;

/** A node read inside a flow collection, and where the text after it (and its spaces) resumes. */
interface FlowRead<T> {
  node: T;
  next: number;
}

/** True for a `{` or `[` at `at`: the value there is a flow collection. */
export function isFlowStart(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code === OPEN_MAP || code === OPEN_SEQ;
}

/**
 * Reads the flow collection opening at `at`, which must close before `end` (the end of its line).
 * `range[2]` is set by the caller for the outermost collection; inside, it runs over the spaces
 * after the node, as `yaml` sets it.
 */
export function readFlowCollection(
  text: string,
  at: number,
  end: number,
  depth = 0,
): FlowRead<YAMLMap | YAMLSeq> {
  if (depth >= MAX_FLOW_DEPTH) outside();
  const isMap = text.charCodeAt(at) === OPEN_MAP;
  const close = isMap ? CLOSE_MAP : CLOSE_SEQ;
  const collection = isMap ? createMap() : createSeq();
  collection.flow = true;
  let i = skipSpaces(text, at + 1, end);
  if (text.charCodeAt(i) !== close) {
    for (;;) {
      i = isMap
        ? readPair(text, i, end, depth, collection as YAMLMap)
        : readItem(text, i, end, depth, collection as YAMLSeq);
      const code = text.charCodeAt(i);
      if (code === close) break;
      if (code !== COMMA) outside();
      i = skipSpaces(text, i + 1, end);
      // `[a, ]` is accepted by `yaml`; an empty last entry is simply left out of the subset.
      if (text.charCodeAt(i) === close || text.charCodeAt(i) === COMMA) outside();
    }
  }
  collection.range = [at, i + 1, skipSpaces(text, i + 1, end)];
  return { node: collection, next: skipSpaces(text, i + 1, end) };
}

/** One `key: value` entry of a flow mapping; returns the offset after the value and its spaces. */
function readPair(text: string, at: number, end: number, depth: number, map: YAMLMap): number {
  if (isFlowStart(text, at)) outside();
  const key = readFlowScalar(text, at, end);
  const colon = key.node.range![1];
  // The colon must follow the key directly and be followed by a space: no `a : b`, no `"a":b`.
  if (text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== 32) outside();
  key.node.range = [key.node.range![0], colon, colon];
  const valueAt = skipSpaces(text, colon + 1, end);
  const code = text.charCodeAt(valueAt);
  if (valueAt >= end || code === COMMA || code === CLOSE_MAP) outside();
  const value = readFlowNode(text, valueAt, end, depth);
  map.items.push(createPair(key.node, value.node));
  return value.next;
}

/** One entry of a flow sequence; a `:` after it would make it a pair, which is left to `yaml`. */
function readItem(text: string, at: number, end: number, depth: number, seq: YAMLSeq): number {
  const item = readFlowNode(text, at, end, depth);
  if (text.charCodeAt(item.next) === COLON) outside();
  seq.items.push(item.node);
  return item.next;
}

function readFlowNode(
  text: string,
  at: number,
  end: number,
  depth: number,
): FlowRead<Scalar | YAMLMap | YAMLSeq> {
  if (at >= end) outside();
  return isFlowStart(text, at) ? readFlowCollection(text, at, end, depth + 1) : readFlowScalar(text, at, end);
}

/**
 * A scalar inside a flow collection. A plain one ends at `,`, `[`, `]`, `{`, `}`, or at a `:`
 * followed by a space or one of those; `: ` stops it so the caller can read a pair. A ` #` (a
 * comment, so the collection continues on the next line) leaves the subset.
 */
function readFlowScalar(text: string, at: number, end: number): FlowRead<Scalar> {
  const quote = text[at];
  if (quote === '"' || quote === "'") {
    const close = closingQuote(text, at, end);
    const scalar = quotedScalar(text, at, close);
    const next = skipSpaces(text, close + 1, end);
    scalar.range = [at, close + 1, next];
    return { node: scalar, next };
  }
  if (!startsPlain(text, at, end)) outside();
  let stop = at;
  for (; stop < end; stop++) {
    const code = text.charCodeAt(stop);
    if (code === COMMA || code === OPEN_SEQ || code === CLOSE_SEQ || code === OPEN_MAP || code === CLOSE_MAP)
      break;
    if (code === COLON && endsPlainAfterColon(text, stop + 1, end)) break;
    if (code === 35 /* # */ && text.charCodeAt(stop - 1) === 32) outside();
  }
  let last = stop;
  while (last > at && text.charCodeAt(last - 1) === 32) last--;
  const scalar = plainScalar(text.slice(at, last));
  scalar.range = [at, last, stop];
  return { node: scalar, next: stop };
}

/** True when a `:` before `at` ends a plain scalar in flow context. */
function endsPlainAfterColon(text: string, at: number, end: number): boolean {
  if (at >= end) return true;
  const code = text.charCodeAt(at);
  return (
    code === 32 ||
    code === COMMA ||
    code === OPEN_SEQ ||
    code === CLOSE_SEQ ||
    code === OPEN_MAP ||
    code === CLOSE_MAP
  );
}
