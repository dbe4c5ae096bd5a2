/**
 * The I/O half of refresh, shared by the CLI and the action: for each followed image, ask the
 * upstream what its tag names now (a HEAD), and when that moved away from the pins (and is old
 * enough), copy the new digest into the mirror under the same tag. Copies go through the run's
 * copier, so they are byte-for-byte and the pinned digest is the upstream's.
 */
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Copier } from '../mirror/copier.js';
import type { ImageFacts } from '../mirror/lookup.js';
import { formatReference, parseReference, repositoryName } from '../reference/index.js';
import { mapLimit } from '../util/map-limit.js';
import { formatDuration } from './duration.js';
import type { FollowedImage, RefreshedImage } from './types.js';

/** Options of refreshImages. */
export interface RefreshOptions {
  /** A new digest younger than this (by its config's `created`) is not taken. Default: 0. */
  minAgeMs?: number;
  /** Milliseconds clock. Default: Date.now. */
  now?: () => number;
  /** Look up only: copy nothing (`would-move` instead of `moved`). Default: false. */
  dryRun?: boolean;
  /**
   * A platforms subset makes the mirror's digest differ from the upstream's, so whether an image
   * moved is only known after copying it. Default: false.
   */
  platformSubset?: boolean;
  logger: Logger;
}

/** Images looked up and copied at once. */
const CONCURRENCY = 2;

/** Looks up every followed image upstream and copies those that moved; never throws. */
export function refreshImages(
  images: readonly FollowedImage[],
  copier: Copier,
  options: RefreshOptions,
): Promise<RefreshedImage[]> {
  return mapLimit(images, CONCURRENCY, (image) => refreshOne(image, copier, options));
}

async function refreshOne(
  image: FollowedImage,
  copier: Copier,
  options: RefreshOptions,
): Promise<RefreshedImage> {
  const base: RefreshedImage = { ...image, status: 'current', created: {}, platforms: [] };
  const name = `${repositoryName(image.source)}:${image.tag}`;
  let upstream: string | undefined;
  try {
    upstream = await copier.lookup.resolve(image.source);
  } catch (err: unknown) {
    return { ...base, status: 'failed', detail: `looking up ${name}: ${errorMessage(err)}` };
  }
  if (upstream === undefined)
    return { ...base, status: 'failed', detail: `${name} no longer exists upstream` };
  if (!options.platformSubset && image.pinned.every((digest) => digest === upstream)) return base;
  const pinnedSource = parseReference(`${name}@${upstream}`);
  const minAge = options.minAgeMs ?? 0;
  if (minAge > 0) {
    const facts = await copier.lookup.describe(pinnedSource);
    const young = tooYoung(facts, minAge, (options.now ?? Date.now)());
    if (young !== undefined)
      return {
        ...base,
        status: 'too-new',
        newDigest: upstream,
        created: dates(upstream, facts),
        detail: young,
      };
  }
  if (options.dryRun) return { ...base, status: 'would-move', newDigest: upstream };
  let copied: Awaited<ReturnType<Copier['copy']>>;
  try {
    copied = await copier.copy(formatReference(pinnedSource), `${image.mirror}:${image.tag}`);
  } catch (err: unknown) {
    return { ...base, status: 'failed', newDigest: upstream, detail: errorMessage(err) };
  }
  const newDigest = copied.digest;
  if (image.pinned.every((digest) => digest === newDigest)) return base;
  options.logger.info(`${image.mirror}:${image.tag} moved to ${newDigest}`);
  const created: Record<string, string> = {};
  for (const digest of [...image.pinned, newDigest]) {
    const facts = await copier.lookup.describe(parseReference(`${image.mirror}@${digest}`));
    Object.assign(created, dates(digest, facts));
  }
  return { ...base, status: 'moved', newDigest, created, platforms: copied.platforms };
}

/** Why a new digest is too young to take, or undefined when it is old enough. */
function tooYoung(facts: ImageFacts, minAgeMs: number, now: number): string | undefined {
  if (facts.created === undefined)
    return `the new image records no creation time, so its age (minimum ${formatDuration(minAgeMs)}) cannot be checked`;
  if (now - facts.created.getTime() >= minAgeMs) return undefined;
  return `built ${facts.created.toISOString()}, younger than the minimum age ${formatDuration(minAgeMs)}`;
}

function dates(digest: string, facts: ImageFacts): Record<string, string> {
  return facts.created === undefined ? {} : { [digest]: facts.created.toISOString() };
}
