/**
 * What reviewers see, built from the run's data: one table row per image, an annotation on each
 * new third-party reference and new mirror reference (and on scan problems), worded by what
 * happened to that line, and the `mirrored` output. Pure.
 */
import type { Mode } from '../config.js';
import { type Annotation, annotateOccurrence } from '../github/annotations.js';
import type { SummaryRow } from '../github/summary.js';
import { type CopiedImage, copyOutcome, type MirrorOutcome } from '../mirror/mirror-images.js';
import type { CopyJob, SkippedOccurrence } from '../plan/index.js';
import { formatReference } from '../reference/index.js';
import type { Diagnostic, ImageOccurrence } from '../scan/types.js';
import type { BackfillOutcome, UnmappedReference } from './backfill.js';
import { fatePhrase, type LineFate, writtenWords } from './fates.js';

/** Everything the feedback is built from. */
export interface RunFacts {
  mode: Mode;
  jobs: CopyJob[];
  /** Third-party occurrences that are not mirrored by configuration (ignored, not allowed, collisions). */
  excluded: SkippedOccurrence[];
  /** Copy outcomes by source (empty in report mode). */
  outcomes: ReadonlyMap<string, MirrorOutcome<CopyJob>>;
  /** What happened to each line that was copied for (committed, suggested, left as is). */
  fates: ReadonlyMap<ImageOccurrence, LineFate>;
  /** New references into the destination and what back-fill did about them. */
  backfill: BackfillOutcome[];
  /** New references into the destination that are missing there and map to no source. */
  unmapped: UnmappedReference[];
  /** Occurrences copied but not rewritten, with why. */
  notRewritten: SkippedOccurrence[];
  /** Occurrences rewritten with their variable tag kept (at the mirror, no digest), with their edit's note. */
  unpinned: ReadonlyMap<ImageOccurrence, string>;
  diagnostics: Diagnostic[];
}

/** One row per planned image, then one per image left out by configuration. */
export function summaryRows(facts: RunFacts): SummaryRow[] {
  const rows = facts.jobs.map((job): SummaryRow => {
    const outcome = facts.outcomes.get(job.source);
    if (!outcome)
      return {
        source: job.source,
        destination: job.destination,
        platforms: [],
        status: 'not copied',
        detail: 'report mode',
      };
    if (outcome.status === 'failed') {
      return {
        source: job.source,
        destination: job.destination,
        platforms: [],
        status: 'failed',
        detail: outcome.error,
      };
    }
    const fates = fatesOf(facts, job.occurrences);
    return {
      source: job.source,
      destination: job.destination,
      digest: outcome.result.digest,
      platforms: outcome.result.platforms,
      size: outcome.result.bytes,
      status: statusOf(outcome.result, facts.mode === 'copy' ? [] : writtenWords(fates)),
      ...commitOf(fates),
    };
  });
  rows.push(...facts.backfill.flatMap((outcome) => backfillRow(facts, outcome)));
  const seen = new Set<string>();
  for (const skipped of facts.excluded) {
    const source = formatReference(skipped.occurrence.reference);
    if (seen.has(source)) continue;
    seen.add(source);
    rows.push({ source, destination: '', platforms: [], status: 'skipped', detail: skipped.detail });
  }
  return rows;
}

function statusOf(result: CopiedImage, done: string[]): string {
  const copy = copyOutcome(result.blobs) === 'existing' ? 'already mirrored' : 'copied';
  return [copy, ...done].join(', ');
}

function fatesOf(facts: RunFacts, occurrences: readonly ImageOccurrence[]): LineFate[] {
  return occurrences.flatMap((occurrence) => {
    const fate = facts.fates.get(occurrence);
    return fate === undefined ? [] : [fate];
  });
}

/** The commit that rewrote some of these lines, for the row's commit link. */
function commitOf(fates: readonly LineFate[]): Pick<SummaryRow, 'commit'> {
  const committed = fates.find((fate) => fate.kind === 'committed');
  return committed?.kind === 'committed'
    ? { commit: { oid: committed.commit.oid, url: committed.commit.url } }
    : {};
}

/** The row of a back-filled image: copied into the mirror, or failed. Present images need no row. */
function backfillRow(facts: RunFacts, outcome: BackfillOutcome): SummaryRow[] {
  const { source } = outcome.item;
  const destination = mirrorName(outcome.item);
  if (outcome.status === 'present') return [];
  if (outcome.status === 'failed')
    return [
      {
        source: formatReference(source),
        destination,
        platforms: [],
        status: 'failed',
        detail: outcome.error,
      },
    ];
  const fates = fatesOf(facts, outcome.item.occurrences).filter(
    (fate) => fate.kind !== 'left' || fate.why !== NO_CHANGE,
  );
  return [
    {
      source: formatReference(source),
      destination,
      digest: outcome.result.digest,
      platforms: outcome.result.platforms,
      size: outcome.result.bytes,
      status: [
        'back-filled',
        ...writtenWords(fates).map((word) => (word === 'committed' ? 'pinned' : word)),
      ].join(', '),
      ...commitOf(fates),
    },
  ];
}

/** The `left` fate of an occurrence whose edit changed nothing (fates.ts). */
const NO_CHANGE = 'it needs no change';

/** Annotations on the exact text of each new third-party reference, and on scan problems. */
export function buildAnnotations(facts: RunFacts): Annotation[] {
  const annotations: Annotation[] = facts.jobs.flatMap((job) => jobAnnotations(facts, job));
  annotations.push(...backfillAnnotations(facts));
  for (const skipped of [...facts.excluded, ...facts.notRewritten]) {
    annotations.push(
      annotateOccurrence(skipped.occurrence, {
        level: 'warning',
        title:
          skipped.reason === 'not-rewritable' || skipped.reason === 'not-copied'
            ? 'Not rewritten'
            : 'Not mirrored',
        message: `${formatReference(skipped.occurrence.reference)}: ${skipped.detail}`,
      }),
    );
  }
  for (const diagnostic of facts.diagnostics) {
    if (diagnostic.severity === 'notice') continue;
    annotations.push({
      level: diagnostic.severity,
      title: 'ar-mirror could not read an image reference',
      message: diagnostic.message,
      file: diagnostic.file,
      ...(diagnostic.line > 0 ? { startLine: diagnostic.line, endLine: diagnostic.line } : {}),
    });
  }
  return annotations;
}

/** One annotation per line of a job: would mirror (report mode), failed, or what happened to the line. */
function jobAnnotations(facts: RunFacts, job: CopyJob): Annotation[] {
  const outcome = facts.outcomes.get(job.source);
  const notRewritten = new Set(facts.notRewritten.map((skipped) => skipped.occurrence));
  return job.occurrences.flatMap((occurrence): Annotation[] => {
    const image = formatReference(occurrence.reference);
    if (!outcome) {
      return [
        annotateOccurrence(occurrence, {
          level: 'warning',
          title: 'Third-party image',
          message: `${image} is pulled from a third-party registry; ar-mirror would mirror it to ${job.destination}.`,
        }),
      ];
    }
    if (outcome.status === 'failed')
      return [
        annotateOccurrence(occurrence, {
          level: 'error',
          title: 'Mirroring failed',
          message: `${image}: ${outcome.error}`,
        }),
      ];
    // A line that cannot be rewritten gets the one 'Not rewritten' warning instead.
    if (notRewritten.has(occurrence)) return [];
    const where = `${job.destination}@${outcome.result.digest}`;
    const fate = facts.fates.get(occurrence);
    const done = fate === undefined ? '' : fatePhrase(fate, facts.unpinned.get(occurrence));
    return [
      annotateOccurrence(occurrence, {
        level: 'notice',
        title: 'Mirrored',
        message: `ar-mirror copied ${image} to ${where}${done}.`,
      }),
    ];
  });
}

/** An annotation on each line of a new mirror reference that was back-filled, or that is missing and could not be. */
function backfillAnnotations(facts: RunFacts): Annotation[] {
  const annotations: Annotation[] = [];
  for (const outcome of facts.backfill) {
    const { mirror, source } = outcome.item;
    for (const occurrence of outcome.item.occurrences) {
      if (outcome.status === 'failed') {
        annotations.push(
          annotateOccurrence(occurrence, {
            level: 'error',
            title: 'Not in the mirror',
            message: `${formatReference(mirror)} is not in the mirror and could not be copied from ${formatReference(source)}: ${outcome.error}. A deployment would fail to pull it.`,
          }),
        );
      } else if (outcome.status === 'copied') {
        const fate = facts.fates.get(occurrence);
        const done =
          fate === undefined || (fate.kind === 'left' && fate.why === NO_CHANGE)
            ? ''
            : fatePhrase(fate, undefined);
        annotations.push(
          annotateOccurrence(occurrence, {
            level: 'notice',
            title: 'Back-filled',
            message: `${formatReference(mirror)} was not in the mirror: ar-mirror copied ${formatReference(source)} there (${outcome.result.digest})${done}.`,
          }),
        );
      }
    }
  }
  for (const reference of facts.unmapped) {
    for (const occurrence of reference.occurrences) {
      annotations.push(
        annotateOccurrence(occurrence, {
          level: 'error',
          title: 'Not in the mirror',
          message: `${formatReference(reference.mirror)}: ${reference.reason}. A deployment would fail to pull it.`,
        }),
      );
    }
  }
  return annotations;
}

/**
 * The `mirrored` output: one entry per copied (or attempted) image, then one per mirror reference
 * back-filled from its source (or attempted), marked `backfill: true`.
 */
export function mirroredOutput(facts: RunFacts): object[] {
  const copies = [...facts.outcomes.values()].map((outcome) =>
    outcome.status === 'mirrored'
      ? {
          source: outcome.job.source,
          destination: outcome.job.destination,
          digest: outcome.result.digest,
          platforms: outcome.result.platforms,
          bytes: outcome.result.bytes,
          status: outputStatus(fatesOf(facts, outcome.job.occurrences)),
        }
      : {
          source: outcome.job.source,
          destination: outcome.job.destination,
          status: 'failed',
          error: outcome.error,
        },
  );
  return [...copies, ...facts.backfill.flatMap(backfillOutput(facts))];
}

function backfillOutput(facts: RunFacts) {
  return (outcome: BackfillOutcome): object[] => {
    const names = { source: formatReference(outcome.item.source), destination: mirrorName(outcome.item) };
    if (outcome.status === 'present') return [];
    if (outcome.status === 'failed')
      return [{ ...names, status: 'failed', error: outcome.error, backfill: true }];
    const fates = fatesOf(facts, outcome.item.occurrences);
    return [
      {
        ...names,
        digest: outcome.result.digest,
        platforms: outcome.result.platforms,
        bytes: outcome.result.bytes,
        status: outputStatus(fates),
        backfill: true,
      },
    ];
  };
}

/** A back-filled mirror reference as the table and the output name it: repository, then tag or digest. */
function mirrorName(item: BackfillOutcome['item']): string {
  const { mirror } = item;
  return `${mirror.registry}/${mirror.repository}${mirror.tag === undefined ? `@${mirror.digest}` : `:${mirror.tag}`}`;
}

/** `rewritten` when some line was committed, else `suggested` when some was suggested, else `copied`. */
function outputStatus(fates: readonly LineFate[]): string {
  const words = writtenWords(fates);
  if (words.includes('committed')) return 'rewritten';
  return words.includes('suggested') ? 'suggested' : 'copied';
}
