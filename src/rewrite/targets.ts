/**
 * Whether an occurrence can be rewritten at all, decided from the scan data alone, so the plan
 * can report it up front instead of a whole file being refused later.
 */
import { formatReference, sameRepository, tryParseReference } from '../reference/index.js';
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
  if (sameRepository(name, occurrence.reference)) return undefined;
  const { registry, repository } = occurrence.reference;
  return `the name part ${JSON.stringify(name)} does not name ${registry}/${repository}`;
}

/**
 * Why the rewrite of this occurrence cannot be digest-pinned, or undefined when it can: a `name`
 * target keeps its variable tag, and a digest written after it would pin whatever the variable
 * selects to one image. (A digest the author wrote after the tag stays, and then it is pinned.)
 * The note also says that only the tag the defaults give was copied, so a build or deployment
 * that sets the variable asks the mirror for a tag it does not have. `variables` names the
 * variables in the tag when the caller knows them (default: none known, "variable tag").
 */
export function unpinnedNote(
  occurrence: ImageOccurrence,
  variables: readonly string[] = [],
): string | undefined {
  if (occurrence.target.type !== 'name' || occurrence.reference.digest !== undefined) return undefined;
  const subject = variables.length > 0 ? variables.join(', ') : 'variable tag';
  // One fixed pattern, so summaries, annotations and review messages read the same everywhere.
  return `${subject}: only the default's tag (${occurrence.reference.tag}) was mirrored; other values pull tags the mirror does not have until they are mirrored too; not digest-pinned`;
}
