import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** Merge keys nest rarely more than once or twice; the bound stops `<<` cycles and alias fans. */
const MAX_MERGE_DEPTH = 8;

/**
 * Follows an alias to the node its anchor names, so `image: *img` reads the anchored scalar.
 * Returns undefined for anything that is not an AST node (a missing value, an unknown anchor).
 */
export function resolveNode(node: unknown, doc: Document.Parsed): Node | undefined {
  if (isAlias(node)) return node.resolve(doc) ?? undefined;
  if (isMap(node) || isSeq(node) || isScalar(node)) return node;
  return undefined;
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
