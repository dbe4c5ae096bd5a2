/**
 * Builders for the expected results of the YAML finder tests. Offsets come from the test's own
 * input text (the nth occurrence of a snippet), positions are written out by hand in each test,
 * so an expectation never repeats the code under test.
 */
import type { ImageReference } from '../../src/reference/types.js';
import type {
  ImageOccurrence,
  MappingInfo,
  OccurrenceKind,
  Position,
  ScalarSpan,
  ScalarStyle,
} from '../../src/scan/types.js';

/** A reference as the parser normalises it. */
export function ref(registry: string, repository: string, tag?: string, digest?: string): ImageReference {
  return { registry, repository, tag, digest };
}

/** Offset of the nth (0-based) occurrence of `snippet`; throws when absent so a typo fails loudly. */
export function offsetOf(content: string, snippet: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = content.indexOf(snippet, at + 1);
    if (at < 0) throw new Error(`snippet ${JSON.stringify(snippet)} #${nth} not in test input`);
  }
  return at;
}

/** The span of the nth `snippet` in `content`, with its style and decoded value. */
export function spanOf(
  content: string,
  snippet: string,
  options: { style?: ScalarStyle; value?: string; nth?: number } = {},
): ScalarSpan {
  const start = offsetOf(content, snippet, options.nth);
  return {
    start,
    end: start + snippet.length,
    style: options.style ?? 'plain',
    value: options.value ?? snippet,
  };
}

/** An occurrence whose rewrite target is one scalar. */
export function scalarOccurrence(
  content: string,
  expected: {
    file: string;
    kind: OccurrenceKind;
    snippet: string;
    start: Position;
    end: Position;
    reference: ImageReference;
    style?: ScalarStyle;
    value?: string;
    nth?: number;
    prefix?: string;
  },
): ImageOccurrence {
  return {
    file: expected.file,
    kind: expected.kind,
    start: expected.start,
    end: expected.end,
    raw: expected.snippet,
    reference: expected.reference,
    target: {
      type: 'scalar',
      scalar: spanOf(content, expected.snippet, expected),
      prefix: expected.prefix ?? '',
    },
  };
}

/** An occurrence whose rewrite target is the fields of one mapping. */
export function fieldsOccurrence(expected: {
  file: string;
  kind: 'kustomize' | 'helm' | 'kubernetes';
  /** How a rewrite writes the fields. Default: `kustomize` for that kind, else `helm`. */
  format?: 'kustomize' | 'helm';
  /** Key names that differ from the field names. Default: none. */
  keys?: Record<string, string>;
  main: ScalarSpan;
  start: Position;
  end: Position;
  reference: ImageReference;
  fields: Record<string, ScalarSpan>;
  mapping: MappingInfo;
}): ImageOccurrence {
  return {
    file: expected.file,
    kind: expected.kind,
    start: expected.start,
    end: expected.end,
    raw: expected.main.style === 'plain' ? expected.main.value : rawOf(expected.main),
    reference: expected.reference,
    target: {
      type: 'fields',
      format: expected.format ?? (expected.kind === 'kustomize' ? 'kustomize' : 'helm'),
      fields: expected.fields,
      mapping: expected.mapping,
      ...(expected.keys ? { keys: expected.keys } : {}),
    },
  };
}

function rawOf(span: ScalarSpan): string {
  if (span.style === 'double') return JSON.stringify(span.value);
  if (span.style === 'single') return `'${span.value}'`;
  throw new Error('give fieldsOccurrence a plain or quoted main field');
}

/** A finder context for a file with the given siblings. */
export function siblings(...names: string[]): { hasSibling(name: string): boolean } {
  return { hasSibling: (name) => names.includes(name) };
}
