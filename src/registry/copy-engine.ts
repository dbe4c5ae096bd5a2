/**
 * The steps of one image copy, shared by the main image and its signatures: collect the tree of
 * manifests and blobs (blob transfers start as each image manifest arrives, blob-transfer.ts),
 * then, once the copy is resolved, let the writes through, wait for every blob, and push the
 * manifests children first and the top one (under its tag) last.
 */
import { errorMessage, MirrorError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Digest } from '../reference/digest.js';
import { createLimiter, mapLimit } from '../util/map-limit.js';
import { startBlob } from './blob-transfer.js';
import type { Throughput } from './blob-upload.js';
import type { FetchedManifest, RegistryClient } from './client.js';
import type { ImageTree } from './collect.js';
import { DigestMismatchError } from './digest.js';
import type { ManifestReference, Repository } from './names.js';
import type { Pace } from './pace.js';
import type { ProgressTracker } from './progress.js';
import type { CopySession } from './session.js';
import type { SharedBlobs } from './shared-blobs.js';
import { type RetryOptions, resolveRetryOptions } from './transport/retry.js';
import { createWriteGate, type WriteGate } from './write-gate.js';

export type { ImageTree } from './collect.js';

/** Everything one copy's steps share. */
export interface Engine {
  src: RegistryClient;
  dst: RegistryClient;
  /** `src` and `dst` sending each request once: blob transfers are retried as a whole instead. */
  blobSrc: RegistryClient;
  blobDst: RegistryClient;
  srcRepo: Repository;
  dstRepo: Repository;
  /** Manifest fetches, manifest pushes and blob HEADs at once. */
  jobs: number;
  /** Source and destination are different repositories of one registry: try cross-repository mounts. */
  canMount: boolean;
  /** The destination never moves an existing tag (checked before any upload). */
  immutableTags: boolean;
  logger: Logger;
  progress: ProgressTracker;
  retry: Required<RetryOptions>;
  stats: { copied: number; skipped: number; mounted: number; bytes: number; foreign: string[] };
  /** Blob transfers by digest, so a layer shared by several platforms or images moves once. */
  blobs: Map<Digest, Promise<void>>;
  /** Source manifests fetched by digest, so each is fetched (and charged to the job's budget) once. */
  manifests: Map<Digest, Promise<FetchedManifest>>;
  /** Blobs other copies of the run have sent to the destination registry: mounted, not sent again. */
  shared?: SharedBlobs | undefined;
  /** The copy's overall deadline: retry waits end when it aborts. Default: none. */
  signal?: AbortSignal | undefined;
  /** The slowest blob transfer tolerated. Default: see blob-upload.ts. */
  minThroughput?: Throughput | undefined;
  /** The run's shared state: paces, upload knowledge, shortcuts. */
  session: CopySession;
  /** Writes wait until the copy is resolved (write-gate.ts). */
  gate: WriteGate;
  /** The paces a blob transfer takes a slot of: the source's API host and the destination's. */
  paces: { key: string; pace: Pace }[];
  /** Bounds the blob HEADs in flight. */
  heads: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Bounds the child manifest GETs in flight across every level of an index, so a job stopped
   * by its budget has at most this many more on the way (MANIFEST_FETCHES).
   */
  fetches: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Whether the destination repository is new, once asked (copy-one.ts); undefined: not asked, use HEADs. */
  fresh?: Promise<boolean> | undefined;
}

/** Creates the shared state of a copy. */
export function createEngine(
  init: Omit<
    Engine,
    'stats' | 'blobs' | 'manifests' | 'retry' | 'blobSrc' | 'blobDst' | 'gate' | 'paces' | 'heads' | 'fetches'
  > & {
    retry?: RetryOptions | undefined;
  },
): Engine {
  const { session, src, dst } = init;
  return {
    ...init,
    blobSrc: src.withoutRetries(),
    blobDst: dst.withoutRetries(),
    retry: resolveRetryOptions(init.retry),
    stats: { copied: 0, skipped: 0, mounted: 0, bytes: 0, foreign: [] },
    blobs: new Map(),
    manifests: new Map(),
    gate: createWriteGate(),
    paces: [src.apiHost, dst.apiHost].map((key) => ({ key, pace: session.pace(key) })),
    heads: createLimiter(init.jobs * 2),
    fetches: createLimiter(Math.min(init.jobs, MANIFEST_FETCHES)),
  };
}

/** Child manifests fetched at once: an index's children arrive in a round trip or two, and the
 * blobs of those that have arrived are already moving (collect.ts). */
export const MANIFEST_FETCHES = 6;

/**
 * Closes the write gate for `reason` and waits until every transfer the copy started has settled
 * (those that had not written stop before writing; reads in flight finish), so nothing of the
 * copy is still talking to a registry once it has failed.
 */
export async function abandon(engine: Engine, reason: unknown): Promise<void> {
  engine.gate.close(reason);
  await Promise.allSettled([...engine.blobs.values(), engine.fresh]);
}

/** A failure in one step; the message names the step (`uploading blob sha256:…: …`). */
export class CopyStepError extends MirrorError {}

/** Runs `fn`, prefixing any failure with `label` and keeping the original as `cause`. */
export async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err: unknown) {
    throw new CopyStepError(`${label}: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * Pushes a collected tree: opens the write gate (the caller has resolved everything), waits for
 * every blob (started while collecting; a failed one is started again), then pushes the children
 * by digest, and only then the top manifest, under `tag` (or its digest), so a tag never names
 * something incomplete. After a failure no blob starts writing; those already writing finish,
 * and then the first failure is thrown.
 */
export async function pushImage(
  engine: Engine,
  tree: ImageTree,
  tag: ManifestReference | undefined,
): Promise<void> {
  engine.progress.phase('blobs');
  engine.gate.open();
  const transfers = tree.blobs.map((blob) => engine.blobs.get(blob.digest) ?? startBlob(engine, blob));
  const settled = await Promise.allSettled(transfers);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw engine.gate.failure?.reason ?? failed.reason;
  engine.progress.phase('manifests');
  // Children of a nested index must land before it: push one at a time when there is one.
  await mapLimit(tree.children, tree.nested ? 1 : engine.jobs, (m) => putManifest(engine, m, m.digest));
  // The top manifest goes straight to its tag (as skopeo and crane push it): everything it names
  // is in place by now, and the digest the registry reports for it is checked below. A registry
  // that stores other bytes than it was sent then fails the copy after the tag moved (a push by
  // digest first would have refused before); both registries we write to store bytes as sent.
  await putManifest(engine, tree.top, tag ?? tree.top.digest);
}

async function putManifest(
  engine: Engine,
  manifest: FetchedManifest,
  reference: ManifestReference,
): Promise<void> {
  const what =
    reference === manifest.digest
      ? `pushing manifest ${manifest.digest}`
      : `pushing manifest ${manifest.digest} as ${reference}`;
  await step(what, async () => {
    const digest = await engine.dst.putManifest(engine.dstRepo, reference, manifest);
    if (digest !== manifest.digest) {
      // Pushed under a tag, the tag has already moved to what the registry stored: say so.
      const tagged = reference === manifest.digest ? '' : `; ${reference} now names what it stored`;
      throw new DigestMismatchError(`registry stored it as ${digest}, expected ${manifest.digest}${tagged}`);
    }
  });
}
