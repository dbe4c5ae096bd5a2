/**
 * Whether an occurrence can be rewritten at all, decided from the scan data alone, so the plan
 * can report it up front instead of a whole file being refused later.
 */
import { formatReference, tryParseReference } from '../reference/index.js';
import type { ImageOccurrence } from '../scan/types.js';

/**
 * Undefined when the occurrence can be rewritten, else why not: a `none` target, or a scalar
 * that holds more than the reference (`${BASE}:3.18`, `${IMAGE:-nginx:1}`): writing a literal
 * reference there would drop a variable a build or deployment may set.
 */
export function rewriteProblem(occurrence: ImageOccurrence): string | undefined {
  const target = occurrence.target;
  if (target.type === 'none') return target.reason;
  if (target.type === 'fields') {
    if (target.format === 'helm' && !target.fields.repository)
      return 'the Helm image block has no repository key';
    return undefined;
  }
  const current = target.scalar.value.trim();
  const parsed = current.startsWith(target.prefix)
    ? tryParseReference(current.slice(target.prefix.length))
    : undefined;
  if (parsed?.ok && formatReference(parsed.reference) === formatReference(occurrence.reference))
    return undefined;
  return `the reference is built from variables or other text (${JSON.stringify(current)}), which a rewrite would drop`;
}
