/**
 * Back-fill: a reference a pull request adds or changes that points into the destination must
 * resolve there, or the deployment fails. When it does not (an upgrade bot or a developer bumped
 * the tag of a mirrored reference), the path template maps it back to its source, the image is
 * copied from there (by digest when the reference names one, so the copy is exactly that image),
 * and a reference without a digest is pinned. Mirror references that cannot be mapped or copied
 * are errors on their line. planBackfill is pure; runBackfill asks the mirror and copies.
 */

import { errorMessage } from '../errors.js';
import type { Copier } from '../mirror/copier.js';
import type { CopiedImage } from '../mirror/mirror-images.js';
import { parseDestination } from '../plan/destination.js';
import { sourceFor } from '../plan/source-for.js';
import type { DestinationSettings, Edit } from '../plan/types.js';
import { formatReference, repositoryName } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { rewriteProblem } from '../rewrite/index.js';
import type { ImageOccurrence } from '../scan/types.js';

/** One mirror reference of the pull request and the source it maps back to. */
export interface BackfillItem {
  /** The mirror reference as the files write it (canonical). */
  mirror: ImageReference;
  /** Where it was mirrored from, with the same tag and digest. */
  source: ImageReference;
  occurrences: ImageOccurrence[];
}

/** A mirror reference the path template maps to no single source. */
export interface UnmappedReference {
  mirror: ImageReference;
  reason: string;
  occurrences: ImageOccurrence[];
}

/** What planBackfill found among the new references. */
export interface BackfillPlan {
  items: BackfillItem[];
  unmapped: UnmappedReference[];
}

/** What happened to one item: already in the mirror, copied there, or not. */
export type BackfillOutcome =
  | { item: BackfillItem; status: 'present'; digest: string }
  | { item: BackfillItem; status: 'copied'; result: CopiedImage }
  | { item: BackfillItem; status: 'failed'; error: string };

/** Groups the new occurrences that point under the destination by reference and maps each back to its source. */
export function planBackfill(
  occurrences: readonly ImageOccurrence[],
  settings: DestinationSettings,
): BackfillPlan {
  const prefix = parseDestination(settings.destination);
  const under = prefix.path === '' ? `${prefix.host}/` : `${prefix.host}/${prefix.path}/`;
  const groups = new Map<string, { mirror: ImageReference; occurrences: ImageOccurrence[] }>();
  for (const occurrence of occurrences) {
    const ref = occurrence.reference;
    if (!`${repositoryName(ref).toLowerCase()}/`.startsWith(under)) continue;
    const key = formatReference(ref);
    const group = groups.get(key) ?? { mirror: ref, occurrences: [] };
    group.occurrences.push(occurrence);
    groups.set(key, group);
  }
  const plan: BackfillPlan = { items: [], unmapped: [] };
  for (const group of groups.values()) {
    const mapped = sourceFor(group.mirror, settings);
    if (mapped.ok) plan.items.push({ ...group, source: mapped.source });
    else plan.unmapped.push({ ...group, reason: mapped.reason });
  }
  return plan;
}

/**
 * Checks each item in the mirror and copies the missing ones from their source into the mirror
 * repository (under the reference's tag, or by digest alone). A reference with a digest must get
 * exactly that digest. `cache` keeps outcomes by mirror reference across the repeats of a run.
 */
export async function runBackfill(
  items: readonly BackfillItem[],
  copier: Copier,
  cache: Map<string, BackfillOutcome>,
): Promise<BackfillOutcome[]> {
  const outcomes: BackfillOutcome[] = [];
  for (const item of items) {
    const key = formatReference(item.mirror);
    const outcome = cache.get(key) ?? (await backfillOne(item, copier));
    cache.set(key, outcome);
    outcomes.push({ ...outcome, item });
  }
  return outcomes;
}

/**
 * The unmapped references that do not resolve in the mirror either (one copied there by hand
 * under another path is fine): their reason says both.
 */
export async function unresolved(
  unmapped: readonly UnmappedReference[],
  copier: Copier,
): Promise<UnmappedReference[]> {
  const missing: UnmappedReference[] = [];
  for (const reference of unmapped) {
    try {
      if ((await copier.lookup.resolve(reference.mirror)) !== undefined) continue;
      missing.push({ ...reference, reason: `it is not in the mirror, and ${reference.reason}` });
    } catch (err: unknown) {
      missing.push({
        ...reference,
        reason: `it could not be looked up in the mirror (${errorMessage(err)}), and ${reference.reason}`,
      });
    }
  }
  return missing;
}

async function backfillOne(item: BackfillItem, copier: Copier): Promise<BackfillOutcome> {
  const { mirror, source } = item;
  try {
    const present = await copier.lookup.resolve(mirror);
    if (present !== undefined) return { item, status: 'present', digest: present };
    const target = `${repositoryName(mirror)}${mirror.tag === undefined ? `@${mirror.digest}` : `:${mirror.tag}`}`;
    const result = await copier.copy(formatReference(source), target);
    if (mirror.digest !== undefined && result.digest !== mirror.digest)
      return {
        item,
        status: 'failed',
        error: `the copy of ${formatReference(source)} has digest ${result.digest}, not the ${mirror.digest} the reference pins (a platforms subset makes a new index)`,
      };
    return { item, status: 'copied', result };
  } catch (err: unknown) {
    return { item, status: 'failed', error: errorMessage(err) };
  }
}

/**
 * The pins a back-fill writes: each occurrence of a copied image without a digest gets the
 * copy's digest, when pinning is on and its text can be rewritten (a variable tag keeps no pin).
 */
export function backfillEdits(outcomes: readonly BackfillOutcome[], pinDigest: boolean): Edit[] {
  if (!pinDigest) return [];
  return outcomes.flatMap((outcome) => {
    if (outcome.status !== 'copied' || outcome.item.mirror.digest !== undefined) return [];
    return outcome.item.occurrences
      .filter((o) => o.target.type !== 'name' && rewriteProblem(o) === undefined)
      .map((occurrence) => ({
        occurrence,
        destination: { ...outcome.item.mirror, digest: outcome.result.digest },
      }));
  });
}
