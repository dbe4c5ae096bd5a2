/**
 * Copies every planned image, a few at a time, and records one outcome per job. One image
 * failing does not stop the others: reviewers get the whole picture in one run.
 */
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { mapLimit } from '../util/map-limit.js';

/** What the copy engine reports for one image (a subset of the registry CopyResult). */
export interface CopiedImage {
  digest: string;
  mediaType: string;
  platforms: string[];
  bytes: number;
  blobs: { copied: number; skipped: number; mounted: number };
}

/**
 * What a copy did, in the log's outcome words: `existing` (the destination had everything),
 * `mounted` (blobs mounted from another repository, none uploaded) or `pushed` (blobs uploaded).
 */
export type CopyOutcome = 'existing' | 'mounted' | 'pushed';

/** Decides the outcome word of one copy from its blob counts; the one place that does. */
export function copyOutcome(blobs: CopiedImage['blobs']): CopyOutcome {
  if (blobs.copied > 0) return 'pushed';
  return blobs.mounted > 0 ? 'mounted' : 'existing';
}

/** One job's result: mirrored with what the copy reported, or failed with why. */
export type MirrorOutcome<J> =
  | { job: J; status: 'mirrored'; result: CopiedImage }
  | { job: J; status: 'failed'; error: string };

/**
 * Images copied at the same time. Their blob transfers share each registry host's pace (the
 * copier's session), so more images at once overlap their round trips of resolving and
 * pushing manifests without adding load. Default: 4.
 */
export const DEFAULT_IMAGE_CONCURRENCY = 4;

/** Runs `copy` for every job and returns the outcomes in job order. */
export async function mirrorImages<J extends { source: string; destination: string }>(
  jobs: readonly J[],
  copy: (source: string, destination: string) => Promise<CopiedImage>,
  options: { logger: Logger; concurrency?: number },
): Promise<MirrorOutcome<J>[]> {
  return mapLimit(jobs, options.concurrency ?? DEFAULT_IMAGE_CONCURRENCY, async (job) => {
    try {
      const result = await copy(job.source, job.destination);
      options.logger.info(`${copyOutcome(result.blobs)} ${job.destination} (${result.digest})`);
      return { job, status: 'mirrored', result } as const;
    } catch (err) {
      const error = errorMessage(err);
      options.logger.warning(`failed to mirror ${job.source}: ${error}`);
      return { job, status: 'failed', error } as const;
    }
  });
}
