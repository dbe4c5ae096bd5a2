import { setMaxListeners } from 'node:events';
import { MirrorError } from '../errors.js';
import type { Logger } from '../log.js';
import { isDigest } from '../reference/digest.js';
import { formatReference, type ImageReference, parseReference } from '../reference/index.js';
import type { Throughput } from './blob-upload.js';
import { abandon, type Engine, step } from './copy-engine.js';
import { createJobEngine, type Job, validateJob } from './copy-job.js';
import { pushResolved, type Resolved, resolveOne, type Target, verifyDestination } from './copy-one.js';
import type { Keychain } from './credentials/types.js';
import { CopyError } from './errors/copy-error.js';
import type { ManifestReference } from './names.js';
import type { Progress } from './progress.js';
import { type CopySession, createCopySession } from './session.js';
import type { SharedBlobs } from './shared-blobs.js';
import { pushSignatures, resolveSignatures } from './signatures.js';
import type { ConnectionPool } from './transport/base.js';
import type { RetryOptions } from './transport/retry.js';

export { CopyError } from './errors/copy-error.js';
export { ImmutableTagError } from './errors/immutable-tag-error.js';
export type { Progress } from './progress.js';

/** Options of copyImage. */
export interface CopyOptions {
  /** Where credentials come from, for both registries. */
  keychain: Keychain;
  /** Hosts spoken to over plain HTTP (`host:port` or `host`). Default: none: HTTPS everywhere. */
  plainHttp?: string[];
  /** Registry name → API endpoint URL overrides (see TransportOptions). Default: none. */
  endpoints?: Readonly<Record<string, string>>;
  /** Extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too. Default: none. */
  ca?: string;
  /**
   * Blob transfers at once per registry host, fixed (a 429 or 503 still lowers it for a while),
   * and manifest requests at once. Ignored with a `session`, which has its own. Default: adaptive
   * (pace.ts DEFAULT_PACE: 16 to begin with, up to 32; 8 manifest requests).
   */
  jobs?: number;
  /** `os/arch[/variant]` to keep from an index; the result is a new index with a new digest. Default: all. */
  platforms?: string[];
  /** Also copy cosign signature/attestation/SBOM tags and OCI referrers. Default: false. */
  signatures?: boolean;
  /**
   * The destination repository refuses to move tags (Artifact Registry `immutableTags`): a
   * destination tag that already names another digest fails the copy before any upload, instead
   * of a 400 when the tag is pushed. Default: false.
   */
  immutableTags?: boolean;
  /** Default: silentLogger. */
  logger?: Logger;
  /** Called whenever blobs or bytes advance. Default: none. */
  onProgress?: (p: Progress) => void;
  /** Retry policy for requests and whole blob transfers. Default: see RetryOptions. */
  retry?: RetryOptions;
  /** A connection pool to reuse across copies; it is then not closed. Ignored with a `session`. Default: a new one per copy. */
  pool?: ConnectionPool;
  /**
   * The run's shared state (createCopySession): pool, paces per host, tokens, upload knowledge,
   * shared blobs and protocol shortcuts. Default: one for this copy alone, without shortcuts.
   */
  session?: CopySession;
  /**
   * Blobs the other copies of a run send (createSharedBlobs): a layer another image already sent
   * to the destination registry is mounted from its repository. Default: none (this copy only).
   */
  sharedBlobs?: SharedBlobs;
  /** The whole copy's deadline, signatures included; past it everything in flight is aborted. Default: DEFAULT_COPY_TIMEOUT_MS (30 min). */
  timeoutMs?: number;
  /** Total deadline of each request that is not a blob stream. Default: 60000 ms. */
  requestDeadlineMs?: number;
  /** The slowest blob transfer tolerated (then retried, then failed). Default: 64 KiB per 30 s. */
  minThroughput?: Throughput;
}

/**
 * How long one copy may take when no timeout is given: 30 minutes, enough for a multi-gigabyte
 * image on a slow runner, and a bound on a source that keeps a copy alive on purpose.
 */
export const DEFAULT_COPY_TIMEOUT_MS = 30 * 60_000;

/** The copy ran past its overall deadline. */
export class CopyTimeoutError extends MirrorError {}

/** What a copy did. */
export interface CopyResult {
  source: string;
  destination: string;
  /** Digest of the manifest the destination now holds. */
  digest: string;
  mediaType: string;
  /** `os/arch[/variant]` of the copied platform manifests (empty for a single-manifest image). */
  platforms: string[];
  blobs: { copied: number; skipped: number; mounted: number };
  /** Bytes uploaded (skipped and mounted blobs count nothing). */
  bytes: number;
  /** Extra tags and referrers copied (`sha256-<hex>.sig`, `@sha256:…`). */
  signatures: string[];
  /** Foreign (non-distributable) layers that were not copied. */
  foreignLayers: string[];
  /** True when `platforms` selected a subset, so the destination index differs from the source. */
  platformSubset: boolean;
  /** The source's digest and the destination's, read back after the copy. */
  verified: { sourceDigest: string; destinationDigest: string };
}

/**
 * Copies `source` to `destination` byte for byte: blobs, then child manifests, then the index
 * under its tag, and finally reads the destination digest back. Everything is resolved at the
 * source (and bounded, limits.ts) before anything is written. A destination written without a
 * tag or digest takes the source's tag. Invalid references throw InvalidReferenceError; every
 * other failure is a CopyError.
 */
export async function copyImage(
  source: string,
  destination: string,
  options: CopyOptions,
): Promise<CopyResult> {
  const src = parseReference(source);
  const dst = destinationReference(destination, src);
  const [srcText, dstText] = [formatReference(src), formatReference(dst)];
  const session =
    options.session ?? createCopySession({ jobs: options.jobs, pool: options.pool, ca: options.ca });
  const deadline = startDeadline(options.timeoutMs ?? DEFAULT_COPY_TIMEOUT_MS);
  try {
    // A run's session shares its blobs between copies; a lone copy has nobody to share with.
    const sharedBlobs = options.sharedBlobs ?? options.session?.sharedBlobs;
    const run = { ...options, session, signal: deadline.signal, ...(sharedBlobs ? { sharedBlobs } : {}) };
    const result = await deadline.race(runCopy(src, dst, run));
    return { ...result, source: srcText, destination: dstText };
  } catch (err: unknown) {
    throw new CopyError(srcText, dstText, err);
  } finally {
    deadline.stop();
    if (!options.session) await session.close();
  }
}

/** An overall deadline: its signal aborts when it passes, and `race` rejects at that moment. */
function startDeadline(ms: number) {
  const controller = new AbortController();
  // Every request of the copy listens to it: dozens at once are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const minutes = ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
  const timer = setTimeout(
    () =>
      controller.abort(
        new CopyTimeoutError(`the copy did not finish within ${minutes} (the timeout setting)`),
      ),
    ms,
  );
  const expired = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  expired.catch(() => {});
  return {
    signal: controller.signal,
    race: <T>(work: Promise<T>): Promise<T> => {
      work.catch(() => {});
      return Promise.race([work, expired]);
    },
    stop: () => clearTimeout(timer),
  };
}

/** The destination as written; without tag and digest it takes the source's tag (or digest). */
export function destinationReference(raw: string, src: ImageReference): ImageReference {
  const dst = parseReference(raw);
  const lastSlash = raw.lastIndexOf('/');
  const hasTagOrDigest = raw.includes('@') || raw.indexOf(':', lastSlash + 1) >= 0;
  if (hasTagOrDigest) return dst;
  return { ...dst, tag: src.tag, digest: src.tag === undefined ? src.digest : undefined };
}

/** What a running copy is given: the caller's options with its session and deadline signal. */
export type RunOptions = CopyOptions & { session: CopySession; signal: AbortSignal };

async function runCopy(
  src: ImageReference,
  dst: ImageReference,
  options: RunOptions,
): Promise<Omit<CopyResult, 'source' | 'destination'>> {
  const platforms = options.platforms?.length ? options.platforms : undefined;
  const job = validateJob(src, dst, platforms);
  const engine = createJobEngine(src, dst, job, options);
  const { main, plan } = await resolveAll(engine, job, options.signatures === true);
  await pushResolved(engine, main);
  const signatures = plan
    ? await step('copying signatures', () => {
        engine.progress.phase('signatures');
        return pushSignatures(engine, plan, (resolved) => pushResolved(engine, resolved));
      })
    : [];
  engine.progress.phase('verifying');
  // The fast path has just read the destination's digest; anything else is read back now.
  const destinationDigest = main.unchanged
    ? main.digest
    : await verifyDestination(engine, job.target.tag ?? main.digest, main.digest);
  engine.progress.phase('done');
  return result(
    engine,
    main,
    { signatures, destinationDigest, platformSubset: platforms !== undefined },
    dst,
  );
}

/**
 * Resolves the image and, with `signatures`, what is attached to it, before anything is written;
 * a failure closes the write gate, so the blob transfers already reading stop before writing.
 */
async function resolveAll(engine: Engine, job: Job, signatures: boolean) {
  try {
    const main = await resolveOne(engine, job.srcRef, job.target);
    const plan = signatures
      ? await step('resolving signatures', () =>
          resolveSignatures(engine, main.sourceDigest, (ref) => resolveOne(engine, ref, refTarget(ref))),
        )
      : undefined;
    return { main, plan };
  } catch (err: unknown) {
    await abandon(engine, err);
    throw err;
  }
}

function result(
  engine: Engine,
  main: Resolved,
  extra: { signatures: string[]; destinationDigest: string; platformSubset: boolean },
  dst: ImageReference,
): Omit<CopyResult, 'source' | 'destination'> {
  const { copied: n, skipped, mounted, bytes, foreign } = engine.stats;
  engine.logger.info(
    `${formatReference(dst)}: ${main.digest} (${n} blobs copied, ${skipped} present, ${mounted} mounted)`,
  );
  return {
    digest: main.digest,
    mediaType: main.mediaType,
    platforms: main.platforms,
    blobs: { copied: n, skipped, mounted },
    bytes,
    signatures: extra.signatures,
    foreignLayers: foreign,
    platformSubset: extra.platformSubset,
    verified: { sourceDigest: main.sourceDigest, destinationDigest: extra.destinationDigest },
  };
}

function refTarget(ref: ManifestReference): Target {
  return isDigest(ref) ? { digest: ref } : { tag: ref };
}
