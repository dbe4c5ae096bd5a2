import type { Alias, Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from './guards.js';

/** Merge keys nest rarely more than once or twice; the bound stops `<<` cycles and alias fans. */
const MAX_MERGE_DEPTH = 8;

/**
 * Follows an alias to the node its anchor names, so `image: *img` reads the anchored scalar.
 * Returns undefined for anything that is not an AST node (a missing value, an unknown anchor).
 */
export function resolveNode(node: unknown, doc: Document.Parsed): Node | undefined {
  if (isAlias(node)) return aliasTargets(doc).get(node);
  if (isMap(node) || isSeq(node) || isScalar(node)) return node;
  return undefined;
}

const targetsByDocument = new WeakMap<Document.Parsed, Map<Alias, Node>>();

/**
 * Resolves every alias of a document in one pass and caches the result. `Alias.resolve()` scans
 * the whole document on each call, so a file with thousands of aliases would take quadratic time.
 * An alias names the closest anchor before it in document order (YAML 1.2 §3.2.2.2).
 */
function aliasTargets(doc: Document.Parsed): Map<Alias, Node> {
  const cached = targetsByDocument.get(doc);
  if (cached) return cached;
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  // Pre-order, iteratively: deep documents must not overflow the stack here.
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
    } else if (isMap(node) || isSeq(node) || isScalar(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      if (isMap(node) || isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) {
          const item = node.items[i];
          if (isPair(item)) stack.push(item.value, item.key);
          else stack.push(item);
        }
      }
    }
  }
  targetsByDocument.set(doc, targets);
  return targets;
}

/** The node as a mapping (through an alias), or undefined. */
export function asMap(node: unknown, doc: Document.Parsed): YAMLMap | undefined {
  const resolved = resolveNode(node, doc);
  return isMap(resolved) ? resolved : undefined;
}

/** The node as a sequence (through an alias), or undefined. */
export function asSeq(node: unknown, doc: Document.Parsed): YAMLSeq | undefined {
  const resolved = resolveNode(node, doc);
  return isSeq(resolved) ? resolved : undefined;
}

/** The items of a sequence, resolved through aliases; empty for anything that is not a sequence. */
export function seqItems(node: unknown, doc: Document.Parsed): Node[] {
  const seq = asSeq(node, doc);
  if (!seq) return [];
  return seq.items.map((item) => resolveNode(item, doc)).filter((item) => item !== undefined);
}

/** The key of a pair as text (`image`, `7`), or undefined for complex keys. */
export function keyText(key: unknown, doc: Document.Parsed): string | undefined {
  const resolved = resolveNode(key, doc);
  if (!isScalar(resolved) || resolved.value === null) return undefined;
  return String(resolved.value);
}

/** The key/value pairs of a mapping written in it (not merged), keys as text. */
export function mapEntries(map: YAMLMap, doc: Document.Parsed): Array<{ key: string; value: unknown }> {
  const entries: Array<{ key: string; value: unknown }> = [];
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    const key = keyText(pair.key, doc);
    if (key !== undefined && key !== '<<') entries.push({ key, value: pair.value });
  }
  return entries;
}

/**
 * Looks up `key` in a mapping the way YAML 1.1 merge keys (`<<: *base`, common in compose files)
 * resolve it: keys written in the mapping win, then the merged mappings in order. The last
 * duplicate of a written key wins, as with kubectl. Returns the raw value (possibly an alias or
 * null) when the key exists, undefined when it does not.
 */
export function lookup(
  map: YAMLMap,
  key: string,
  doc: Document.Parsed,
  depth = 0,
): { value: unknown } | undefined {
  let found: { value: unknown } | undefined;
  const merges: unknown[] = [];
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    const text = keyText(pair.key, doc);
    if (text === key) found = { value: pair.value };
    else if (text === '<<' && isScalar(pair.key) && pair.key.type === 'PLAIN') merges.push(pair.value);
  }
  if (found || depth >= MAX_MERGE_DEPTH) return found;
  for (const merge of merges) {
    const sources = isSeq(resolveNode(merge, doc)) ? seqItems(merge, doc) : [resolveNode(merge, doc)];
    for (const source of sources) {
      if (!isMap(source)) continue;
      const inherited = lookup(source, key, doc, depth + 1);
      if (inherited) return inherited;
    }
  }
  return undefined;
}

/** The value of `key`, resolved through aliases; undefined when missing or null. */
export function getNode(map: YAMLMap, key: string, doc: Document.Parsed): Node | undefined {
  const entry = lookup(map, key, doc);
  return entry ? resolveNode(entry.value, doc) : undefined;
}

/** The text of a scalar: plain scalars as written (`7.20` stays `7.20`), undefined for null. */
export function scalarText(node: Scalar): string | undefined {
  if (node.value === null || node.value === undefined) return undefined;
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
  return String(node.value);
}

/** The text of `key`'s scalar value, or undefined when missing, null or not a scalar. */
export function getText(map: YAMLMap, key: string, doc: Document.Parsed): string | undefined {
  const node = getNode(map, key, doc);
  return isScalar(node) ? scalarText(node) : undefined;
}

/** The value at a key path below `node` (each step through a mapping), or undefined. */
export function getPath(node: unknown, path: readonly string[], doc: Document.Parsed): Node | undefined {
  let current = resolveNode(node, doc);
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = getNode(current, key, doc);
  }
  return current;
}
