/**
 * Whether an occurrence can be rewritten at all, decided from the scan data alone, so the plan
 * can report it up front instead of a whole file being refused later.
 */
import { formatReference, tryParseReference } from '../reference/index.js';
import type { ImageOccurrence } from '../scan/types.js';

/**
 * Undefined when the occurrence can be rewritten, else why not: a `none` target, or a scalar
 * that holds more than the reference (`${BASE}:3.18`, `${REGISTRY}/app:1`): writing a literal
 * reference there would drop a variable a build or deployment may set. A `name` target must hold
 * the occurrence's registry/repository (its tag comes from variables and is kept).
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
  if (target.type === 'name') return nameProblem(current, occurrence);
  const parsed = current.startsWith(target.prefix)
    ? tryParseReference(current.slice(target.prefix.length))
    : undefined;
  if (parsed?.ok && formatReference(parsed.reference) === formatReference(occurrence.reference))
    return undefined;
  return `the reference is built from variables or other text (${JSON.stringify(current)}), which a rewrite would drop`;
}

function nameProblem(name: string, occurrence: ImageOccurrence): string | undefined {
  const parsed = tryParseReference(name);
  const { registry, repository } = occurrence.reference;
  if (parsed.ok && parsed.reference.registry === registry && parsed.reference.repository === repository)
    return undefined;
  return `the name part ${JSON.stringify(name)} does not name ${registry}/${repository}`;
}

/**
 * Why the rewrite of this occurrence cannot be digest-pinned, or undefined when it can: a `name`
 * target keeps its variable tag, and a digest written after it would pin whatever the variable
 * selects to one image. (A digest the author wrote after the tag stays, and then it is pinned.)
 */
export function unpinnedNote(occurrence: ImageOccurrence): string | undefined {
  if (occurrence.target.type !== 'name' || occurrence.reference.digest !== undefined) return undefined;
  return 'tag kept from a variable: not digest-pinned';
}
