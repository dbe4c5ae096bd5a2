/**
 * The mirror plan, pure and serialisable: which unique source images to copy where
 * (planCopies), and, once copies have digests, which occurrence becomes which reference
 * (planEdits). Nothing here touches a registry or a file.
 */
import { globMatcher } from '../glob.js';
import { formatReference, isThirdParty, matchesRegistry, repositoryName } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { rewriteProblem, unpinnedNote } from '../rewrite/targets.js';
import type { ImageOccurrence } from '../scan/types.js';
import { destinationFor, parseDestination, splitRepository, validatePathTemplate } from './destination.js';
import type {
  CopyJob,
  CopyPlan,
  CopyResult,
  Edit,
  EditOptions,
  EditPlan,
  FileEdits,
  PlanSettings,
  SkippedOccurrence,
} from './types.js';

export {
  DEFAULT_PATH_TEMPLATE,
  destinationFor,
  parseDestination,
  registryPathComponent,
  validatePathTemplate,
} from './destination.js';
export type * from './types.js';

interface JobDraft extends CopyJob {
  /** The mirrored repository without tag/digest, for collision detection. */
  repository: string;
}

/**
 * Groups third-party occurrences into one copy job per canonical source image. First-party
 * images (the built-in ones, `firstParty`, and the destination prefix itself, so a second run
 * over a migrated tree finds nothing), ignored images and registries outside `allowRegistries`
 * are skipped with a reason. Two different source repositories that would land in the same
 * mirrored repository are both skipped (`destination-collision`), whatever their order.
 * Throws ConfigError for an invalid `destination` or `pathTemplate`.
 */
export function planCopies(occurrences: readonly ImageOccurrence[], settings: PlanSettings): CopyPlan {
  const prefix = parseDestination(settings.destination);
  if (settings.pathTemplate !== undefined) validatePathTemplate(settings.pathTemplate);
  const destinationPrefix = prefix.path === '' ? prefix.host : `${prefix.host}/${prefix.path}`;
  const firstParty = [...(settings.firstParty ?? []), destinationPrefix];
  const isIgnored = globMatcher(settings.ignore ?? []);
  const allow = settings.allowRegistries ?? [];
  const skipped: SkippedOccurrence[] = [];
  const drafts = new Map<string, JobDraft>();

  for (const occurrence of occurrences) {
    const ref = occurrence.reference;
    const source = formatReference(ref);
    const skip = (reason: SkippedOccurrence['reason'], detail: string) =>
      skipped.push({ occurrence, reason, detail });
    if (!isThirdParty(ref.registry, ref.repository, firstParty)) {
      skip('first-party', `${repositoryName(ref)} is first-party`);
    } else if (isIgnored(repositoryName(ref)) || isIgnored(source)) {
      skip('ignored', `${source} matches ignore-images`);
    } else if (allow.length > 0 && !matchesRegistry(allow, ref.registry, ref.repository)) {
      skip('not-allowed', `${ref.registry} is not in allow-registries`);
    } else {
      const draft = drafts.get(source) ?? newDraft(ref, source, settings);
      if (typeof draft === 'string') skip('invalid-destination', draft);
      else {
        draft.occurrences.push(occurrence);
        drafts.set(source, draft);
      }
    }
  }
  const jobs = dropCollisions([...drafts.values()], skipped);
  const notRewritable = jobs.flatMap((job) =>
    job.occurrences.flatMap((occurrence): SkippedOccurrence[] => {
      const detail = rewriteProblem(occurrence);
      return detail === undefined ? [] : [{ occurrence, reason: 'not-rewritable', detail }];
    }),
  );
  return { jobs, skipped, notRewritable };
}

/** A new job for a source, or the reason its destination is invalid. */
function newDraft(ref: ImageReference, source: string, settings: PlanSettings): JobDraft | string {
  let repository: string;
  try {
    repository = destinationFor(ref, settings);
  } catch (err: unknown) {
    return err instanceof Error ? err.message : String(err);
  }
  const suffix = ref.tag !== undefined ? `:${ref.tag}` : `@${ref.digest}`;
  return { source, destination: `${repository}${suffix}`, occurrences: [], repository };
}

/** Removes every job whose mirrored repository is shared with a different source repository. */
function dropCollisions(drafts: JobDraft[], skipped: SkippedOccurrence[]): CopyJob[] {
  const sourcesByTarget = new Map<string, Set<string>>();
  for (const draft of drafts) {
    const name = repositoryName(draft.occurrences[0]!.reference);
    const names = sourcesByTarget.get(draft.repository) ?? new Set<string>();
    names.add(name);
    sourcesByTarget.set(draft.repository, names);
  }
  const jobs: CopyJob[] = [];
  for (const { repository, ...job } of drafts) {
    const names = sourcesByTarget.get(repository)!;
    if (names.size === 1) {
      jobs.push(job);
      continue;
    }
    const detail = `${[...names].sort().join(' and ')} would both be mirrored to ${repository}`;
    for (const occurrence of job.occurrences)
      skipped.push({ occurrence, reason: 'destination-collision', detail });
  }
  return jobs;
}

/**
 * Turns copied jobs into per-file edits. The new reference is `DEST/<path>:<tag>@<digest>` when
 * pinning (the default), `DEST/<path>@<digest>` for digest-only sources, and with
 * `pinDigest: false` the source's own form (tag, plus the digest only if the source was pinned).
 * A source digest addresses the whole index that was copied byte for byte, so it must equal the
 * copy's digest; if not, the occurrences are skipped (`digest-mismatch`) rather than re-pinned.
 * Jobs without a result (`not-copied`) are skipped too. An occurrence whose tag is built from
 * variables (a `name` target) keeps the source's tag and digest and gets a `note` saying it is
 * not digest-pinned. Occurrences that cannot be rewritten
 * are left out of both lists: planCopies reports them once, in `notRewritable`.
 */
export function planEdits(
  jobs: readonly CopyJob[],
  results: ReadonlyMap<string, CopyResult>,
  options: EditOptions = {},
): EditPlan {
  const pinDigest = options.pinDigest ?? true;
  const byFile = new Map<string, Edit[]>();
  const skipped: SkippedOccurrence[] = [];
  for (const job of jobs) {
    const result = results.get(job.source);
    const problem = jobProblem(job, result);
    for (const occurrence of job.occurrences) {
      // planCopies already reported it in notRewritable; reporting it again here doubled every warning.
      if (rewriteProblem(occurrence) !== undefined) continue;
      if (problem) {
        skipped.push({ occurrence, ...problem });
      } else {
        // A tag built from variables is kept as written, so it cannot carry the copy's digest.
        const target = occurrence.target;
        const note = unpinnedNote(occurrence, target.type === 'name' ? target.variables : []);
        const pin = pinDigest && occurrence.target.type !== 'name';
        const destination = newReference(job, occurrence.reference, result!.digest, pin);
        const edits = byFile.get(occurrence.file) ?? [];
        edits.push(note === undefined ? { occurrence, destination } : { occurrence, destination, note });
        byFile.set(occurrence.file, edits);
      }
    }
  }
  const files: FileEdits[] = [...byFile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, edits]) => ({ file, edits }));
  return { files, skipped };
}

/** Why a job's occurrences cannot be rewritten, if they cannot. */
function jobProblem(
  job: CopyJob,
  result: CopyResult | undefined,
): Omit<SkippedOccurrence, 'occurrence'> | undefined {
  if (!result) return { reason: 'not-copied', detail: `${job.source} was not copied` };
  const sourceDigest = job.occurrences[0]?.reference.digest;
  if (sourceDigest !== undefined && sourceDigest !== result.digest)
    return { reason: 'digest-mismatch', detail: `${job.source} was copied as ${result.digest}` };
  return undefined;
}

function newReference(
  job: CopyJob,
  source: ImageReference,
  digest: string,
  pinDigest: boolean,
): ImageReference {
  const repository = job.destination.replace(/[@:][^/]*$/, '');
  const name = splitRepository(repository);
  return {
    ...name,
    tag: source.tag,
    digest: pinDigest || source.digest !== undefined ? digest : undefined,
  };
}
