/**
 * Which mirror references refresh follows, pure: every occurrence under the destination whose
 * path template maps back to a source and that pins a tag with a digest. The rest are reported
 * with why: pinned by digest alone (no tag to follow), not pinned (nothing to rewrite: it follows
 * the mirror's tag), a tag from variables, text a rewrite would drop, or no source to map back to.
 * planRepins turns the digests refresh settled on into edits of any version of the files.
 */
import { globMatcher } from '../glob.js';
import { parseDestination } from '../plan/destination.js';
import { sourceFor } from '../plan/source-for.js';
import type { Edit, EditPlan } from '../plan/types.js';
import { repositoryName } from '../reference/index.js';
import { rewriteProblem } from '../rewrite/index.js';
import type { ImageOccurrence } from '../scan/types.js';
import type { FollowedImage, RefreshSettings, ReportedReference } from './types.js';

/** What planRefresh found. */
export interface RefreshPlan {
  followed: FollowedImage[];
  reported: ReportedReference[];
}

/** The key of a mirror repository and tag: `host/path:tag`. */
export function mirrorKey(mirror: string, tag: string): string {
  return `${mirror.toLowerCase()}:${tag}`;
}

/** Splits the occurrences under the destination into followed images and reported references. */
export function planRefresh(occurrences: readonly ImageOccurrence[], settings: RefreshSettings): RefreshPlan {
  const prefix = parseDestination(settings.destination);
  const under = prefix.path === '' ? `${prefix.host}/` : `${prefix.host}/${prefix.path}/`;
  const isOnly = (settings.only ?? []).length > 0 ? globMatcher(settings.only ?? []) : () => true;
  const isIgnored = globMatcher(settings.ignore ?? []);
  const followed = new Map<string, FollowedImage>();
  const reported: ReportedReference[] = [];
  for (const occurrence of occurrences) {
    const ref = occurrence.reference;
    if (!`${repositoryName(ref).toLowerCase()}/`.startsWith(under)) continue;
    const report = (reason: ReportedReference['reason'], detail: string) =>
      reported.push({ occurrence, reason, detail });
    const mapped = sourceFor(ref, settings);
    if (!mapped.ok) {
      report('unmappable', mapped.reason);
      continue;
    }
    const source = { ...mapped.source, digest: undefined };
    const name = repositoryName(source);
    const tagged = `${name}:${source.tag ?? ''}`;
    if (!(isOnly(name) || isOnly(tagged)) || isIgnored(name) || isIgnored(tagged)) continue;
    const problem = reportReason(occurrence);
    if (problem) {
      report(problem.reason, problem.detail);
      continue;
    }
    const mirror = repositoryName(ref);
    const key = mirrorKey(mirror, ref.tag!);
    const image = followed.get(key) ?? { source, mirror, tag: ref.tag!, pinned: [], occurrences: [] };
    if (!image.pinned.includes(ref.digest!)) image.pinned.push(ref.digest!);
    image.occurrences.push(occurrence);
    followed.set(key, image);
  }
  return { followed: [...followed.values()], reported };
}

/** Why refresh cannot move this occurrence's pin, if it cannot. */
function reportReason(occurrence: ImageOccurrence): Omit<ReportedReference, 'occurrence'> | undefined {
  const { tag, digest } = occurrence.reference;
  if (tag === undefined)
    return { reason: 'digest-only', detail: 'pinned by digest alone: there is no tag to follow' };
  if (occurrence.target.type === 'name')
    return { reason: 'variable-tag', detail: 'the tag comes from a variable, so there is no pin to move' };
  if (digest === undefined)
    return {
      reason: 'not-pinned',
      detail:
        'not digest-pinned: it pulls whatever the mirror tag names, and refresh moves no tag without a pin to review',
    };
  const problem = rewriteProblem(occurrence);
  return problem === undefined ? undefined : { reason: 'not-rewritable', detail: problem };
}

/**
 * The edits that move every pin of a settled image to its new digest: occurrences under a key of
 * `digests` (mirror repository and tag) that pin another digest and can be rewritten. Works on
 * any version of the files (the default branch, or a refresh branch others added commits to).
 */
export function planRepins(
  occurrences: readonly ImageOccurrence[],
  digests: ReadonlyMap<string, string>,
): Edit[] {
  return occurrences.flatMap((occurrence) => {
    const ref = occurrence.reference;
    if (ref.tag === undefined || ref.digest === undefined || occurrence.target.type === 'name') return [];
    const digest = digests.get(mirrorKey(repositoryName(ref), ref.tag));
    if (digest === undefined || digest === ref.digest || rewriteProblem(occurrence) !== undefined) return [];
    return [{ occurrence, destination: { ...ref, digest } }];
  });
}

/** Edits grouped by file, files in path order: the plan rewriteFiles applies. */
export function groupEdits(edits: readonly Edit[]): EditPlan {
  const files = [...new Set(edits.map((e) => e.occurrence.file))].sort();
  return {
    files: files.map((file) => ({ file, edits: edits.filter((e) => e.occurrence.file === file) })),
    skipped: [],
  };
}
