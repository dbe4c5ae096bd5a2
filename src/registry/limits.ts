/**
 * How much one copy job may ask of a source registry. A source is chosen by whoever writes the
 * pull request, so every loop over what it sends is bounded here, and a copy past a bound is
 * refused with an error naming the bound before anything is written to the destination.
 */
import { MirrorError } from '../errors.js';

/**
 * The largest manifest read, in bytes: distribution refuses to store larger ones (its
 * `maxManifestBodySize` is 4 MiB), so a bigger one cannot be copied anyway.
 */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * Index levels below the top manifest. Real images nest at most twice (an index whose children
 * include another index, as some Windows and attestation layouts do); a third level only serves
 * to multiply requests.
 */
export const MAX_INDEX_DEPTH = 2;

/**
 * Entries in one index (before de-duplication). The largest official multi-platform images list
 * about 20 platforms plus as many attestation manifests; 256 leaves ample room.
 */
export const MAX_INDEX_ENTRIES = 256;

/** Layers in one image manifest. Builders stop well below this (overlayfs allows 128 lower layers). */
export const MAX_LAYERS = 1024;

/**
 * Distinct manifests one copy job fetches from its source: the image, its children, and its
 * signatures and referrers with theirs. Real jobs fetch a few dozen.
 */
export const MAX_MANIFESTS_PER_JOB = 1024;

/**
 * Distinct blobs (configs and layers) one copy job transfers. Each costs a HEAD or an upload at the
 * destination; the manifest bounds alone would still allow hundreds of thousands. The largest
 * real multi-platform images with attestations and signatures hold a few hundred.
 */
export const MAX_BLOBS_PER_JOB = 4096;

/** Bytes of manifests one job fetches in total, so the bounds above cannot add up to gigabytes. */
export const MAX_MANIFEST_BYTES_PER_JOB = 64 * 1024 * 1024;

/** Referrers of one image (all pages together). */
export const MAX_REFERRERS = 256;

/** Pages of one referrers listing (`Link: <…>; rel="next"`). */
export const MAX_REFERRER_PAGES = 16;

/** A source exceeds one of the bounds above; nothing has been written. */
export class LimitExceededError extends MirrorError {}

/** Counts what one job has fetched, and refuses past MAX_MANIFESTS_PER_JOB or MAX_MANIFEST_BYTES_PER_JOB. */
export interface JobBudget {
  /** Records one fetched manifest of `bytes` bytes; throws LimitExceededError past a bound. */
  chargeManifest(bytes: number): void;
  /**
   * Throws LimitExceededError when no further manifest fits (the count is reached, or a bound
   * was passed): a job past its budget asks the source for nothing more, while fetches of
   * several branches of an index are still under way.
   */
  checkRoom(): void;
}

/** A fresh budget for one copy job. */
export function createJobBudget(
  limits: { manifests?: number; bytes?: number } = {},
): JobBudget & { readonly manifests: number; readonly bytes: number } {
  const maxManifests = limits.manifests ?? MAX_MANIFESTS_PER_JOB;
  const maxBytes = limits.bytes ?? MAX_MANIFEST_BYTES_PER_JOB;
  const state = { manifests: 0, bytes: 0 };
  const tooMany = () =>
    new LimitExceededError(`the image has more than ${maxManifests} manifests (the limit per copy)`);
  const tooLarge = () =>
    new LimitExceededError(
      `the image's manifests add up to more than ${maxBytes / 1024 / 1024} MiB (the limit per copy)`,
    );
  return {
    get manifests() {
      return state.manifests;
    },
    get bytes() {
      return state.bytes;
    },
    chargeManifest(bytes) {
      state.manifests++;
      state.bytes += bytes;
      if (state.manifests > maxManifests) throw tooMany();
      if (state.bytes > maxBytes) throw tooLarge();
    },
    checkRoom() {
      if (state.manifests >= maxManifests) throw tooMany();
      if (state.bytes >= maxBytes) throw tooLarge();
    },
  };
}
