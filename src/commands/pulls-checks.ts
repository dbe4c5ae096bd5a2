/** The `--tree` cross-check of `ar-mirror pulls`: does any file reference what runs. */
import { isInMirror, type MirrorTarget, mirrorReference, sourceOf } from '../platform/mirror-target.js';
import type { PullSummary } from '../platform/pull-report.js';
import { parseReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { allFinders } from '../scan/index.js';
import { scanPaths } from '../scan/scan.js';

/** The keys a reference matches by: its tag and its digest, each with the repository. */
function keys(ref: ImageReference): string[] {
  const name = `${ref.registry}/${ref.repository}`;
  return [...(ref.tag ? [`${name}:${ref.tag}`] : []), ...(ref.digest ? [`${name}@${ref.digest}`] : [])];
}

/**
 * Sets `inTree` of every row: true when a file references the image (by tag or digest), or,
 * with a mirror, its mirror reference (a migrated tree) or, for a mirror image, its source.
 */
export function checkTree(
  summary: PullSummary,
  roots: readonly string[],
  options: { target: MirrorTarget | undefined; cwd: string | undefined },
): void {
  const scan = scanPaths(roots, {
    finders: allFinders,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const known = new Set(scan.occurrences.flatMap((occurrence) => keys(occurrence.reference)));
  for (const row of summary.images) {
    const ref = parseReference(row.image);
    const related = [ref];
    if (options.target) {
      if (isInMirror(ref, options.target)) {
        const source = sourceOf(ref, options.target);
        if (source) related.push(source);
      } else if (row.thirdParty) related.push(mirrorReference(ref, options.target));
    }
    row.inTree = related.some((candidate) => keys(candidate).some((key) => known.has(key)));
  }
}
