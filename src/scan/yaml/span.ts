import type { Node, Scalar, YAMLMap } from 'yaml';
import type { MappingInfo, ScalarSpan, ScalarStyle } from '../types.js';
import { isMap, isPair, isScalar, isSeq } from './guards.js';
import { scalarText } from './nodes.js';
import type { LineIndex } from './position.js';

const STYLES: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_DOUBLE: 'double',
  QUOTE_SINGLE: 'single',
  BLOCK_LITERAL: 'block-literal',
  BLOCK_FOLDED: 'block-folded',
};

/**
 * The exact text of a scalar as a rewrite would replace it: quotes included, anchor and tag
 * excluded (the parser's range starts after `&a !!str `), and for block scalars the `|`/`>` header
 * through the last non-blank character of the body, so the line break after it stays in place.
 * Undefined for null scalars (`key:` with no value), which have no text to replace.
 */
export function scalarSpan(node: Scalar, content: string): ScalarSpan | undefined {
  const value = scalarText(node);
  if (value === undefined || !node.range) return undefined;
  const style = STYLES[node.type ?? 'PLAIN'] ?? 'plain';
  const [start, valueEnd] = node.range;
  const end = start + content.slice(start, valueEnd).trimEnd().length;
  return { start, end, style, value };
}

/**
 * Where a mapping sits, so a rewrite can add a key (`newName:`, `digest:`) without re-serialising:
 * block mappings end after their last value (not after trailing blank lines or comments), flow
 * mappings after their `}`. `indent` is the column (0-based) of the first key.
 */
export function mappingInfo(map: YAMLMap, content: string, lines: LineIndex): MappingInfo {
  const start = map.range?.[0] ?? 0;
  const flow = Boolean(map.flow);
  const end = flow ? (map.range?.[1] ?? start) : contentEnd(map, content);
  const firstKey = map.items.find(isPair)?.key;
  const keyStart =
    isScalar(firstKey) || isMap(firstKey) || isSeq(firstKey) ? (firstKey.range?.[0] ?? start) : start;
  return { start, end, flow, indent: lines.positionAt(keyStart).column - 1 };
}

/** End of the last text that belongs to a node: walks down the last item instead of recursing. */
function contentEnd(node: Node, content: string): number {
  let current: unknown = node;
  for (let depth = 0; depth < 1000; depth++) {
    if ((isMap(current) || isSeq(current)) && !current.flow && current.items.length > 0) {
      const last = current.items[current.items.length - 1];
      current = isPair(last) ? (last.value ?? last.key) : last;
      continue;
    }
    break;
  }
  const range = (current as Node | null)?.range;
  if (!range) return node.range?.[1] ?? 0;
  return range[0] + content.slice(range[0], range[1]).trimEnd().length;
}
