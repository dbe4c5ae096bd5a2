import { parseReference } from '../../src/reference/index.js';
import type { ImageOccurrence, OccurrenceKind, RewriteTarget } from '../../src/scan/types.js';

/** Builds an occurrence by hand for plan/rewrite tests; `raw` is the text at the span. */
export function occurrence(
  file: string,
  reference: string,
  target: RewriteTarget = {
    type: 'scalar',
    scalar: { start: 0, end: reference.length, style: 'plain', value: reference },
    prefix: '',
  },
  kind: OccurrenceKind = 'kubernetes',
): ImageOccurrence {
  return {
    file,
    kind,
    start: { line: 1, column: 1 },
    end: { line: 1, column: 1 + reference.length },
    raw: reference,
    reference: parseReference(reference),
    target,
  };
}
