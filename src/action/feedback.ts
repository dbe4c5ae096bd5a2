/**
 * What reviewers see, built from the run's data: one table row per image, an annotation on each
 * new third-party reference (and on scan problems), and the `mirrored` output. Pure.
 */
import type { Mode } from '../config.js';
import { type Annotation, annotateOccurrence } from '../github/annotations.js';
import type { SummaryRow } from '../github/summary.js';
import { type CopiedImage, copyOutcome, type MirrorOutcome } from '../mirror/mirror-images.js';
import type { CopyJob, SkippedOccurrence } from '../plan/index.js';
import { formatReference } from '../reference/index.js';
import type { Diagnostic, ImageOccurrence } from '../scan/types.js';

/** Everything the feedback is built from. */
export interface RunFacts {
  mode: Mode;
  jobs: CopyJob[];
  /** Third-party occurrences that are not mirrored by configuration (ignored, not allowed, collisions). */
  excluded: SkippedOccurrence[];
  /** Copy outcomes by source (empty in report mode). */
  outcomes: ReadonlyMap<string, MirrorOutcome<CopyJob>>;
  /** Sources whose references were rewritten in the commit. */
  rewritten: ReadonlySet<string>;
  /** Sources whose references were suggested in a review. */
  suggested: ReadonlySet<string>;
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
    return {
      source: job.source,
      destination: job.destination,
      digest: outcome.result.digest,
      platforms: outcome.result.platforms,
      size: outcome.result.bytes,
      status: statusOf(outcome.result, written(facts, job.source)),
    };
  });
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

/** What was written for a source: `rewritten` (committed) and/or `suggested` (in a review). */
function written(facts: RunFacts, source: string): string[] {
  return [
    ...(facts.rewritten.has(source) ? ['rewritten'] : []),
    ...(facts.suggested.has(source) ? ['suggested'] : []),
  ];
}

/** Annotations on the exact text of each new third-party reference, and on scan problems. */
export function buildAnnotations(facts: RunFacts): Annotation[] {
  const annotations: Annotation[] = [];
  for (const job of facts.jobs) {
    const outcome = facts.outcomes.get(job.source);
    for (const occurrence of job.occurrences) {
      const image = formatReference(occurrence.reference);
      if (!outcome) {
        annotations.push(
          annotateOccurrence(occurrence, {
            level: 'warning',
            title: 'Third-party image',
            message: `${image} is pulled from a third-party registry; ar-mirror would mirror it to ${job.destination}.`,
          }),
        );
      } else if (outcome.status === 'failed') {
        annotations.push(
          annotateOccurrence(occurrence, {
            level: 'error',
            title: 'Mirroring failed',
            message: `${image}: ${outcome.error}`,
          }),
        );
      } else {
        const where = `${job.destination}@${outcome.result.digest}`;
        // Per source: an image committed in one file and suggested in another reads as rewritten in both.
        const note = facts.unpinned.get(occurrence);
        const done = written(facts, job.source).includes('rewritten')
          ? note !== undefined
            ? ` and rewrote this reference to the mirror, keeping its variable tag; ${note}`
            : ' and rewrote this reference'
          : written(facts, job.source).includes('suggested')
            ? ' and suggested the rewrite in a review'
            : '';
        annotations.push(
          annotateOccurrence(occurrence, {
            level: 'notice',
            title: 'Mirrored',
            message: `ar-mirror copied ${image} to ${where}${done}.`,
          }),
        );
      }
    }
  }
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

/** The `mirrored` output: one entry per copied (or attempted) image. */
export function mirroredOutput(facts: RunFacts): object[] {
  return [...facts.outcomes.values()].map((outcome) =>
    outcome.status === 'mirrored'
      ? {
          source: outcome.job.source,
          destination: outcome.job.destination,
          digest: outcome.result.digest,
          platforms: outcome.result.platforms,
          bytes: outcome.result.bytes,
          status: written(facts, outcome.job.source)[0] ?? 'copied',
        }
      : {
          source: outcome.job.source,
          destination: outcome.job.destination,
          status: 'failed',
          error: outcome.error,
        },
  );
}
