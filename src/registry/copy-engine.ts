/**
 * The steps of one image copy, shared by the main image and its signatures: collect the tree of
 * manifests and blobs, transfer blobs (deduplicated, bounded, retried as a whole), then push
 * manifests children first, the top one by digest, and the tag last.
 */
import { errorMessage, MirrorError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Digest } from '../reference/digest.js';
import { createLimiter, mapLimit } from '../util/map-limit.js';
import { type Throughput, TransferStalledError } from './blob-upload.js';
import type { FetchedManifest, MountResult, RegistryClient } from './client.js';
import type { ImageTree } from './collect.js';
import { DigestMismatchError } from './digest.js';
import type { Descriptor } from './media-types.js';
import type { ManifestReference, Repository } from './names.js';
import type { ProgressTracker } from './progress.js';
import type { SharedBlobs } from './shared-blobs.js';
import { sleepUnlessAborted } from './transport/deadline.js';
import { RegistryError } from './transport/errors.js';
import { type RetryOptions, resolveRetryOptions, retryDelay } from './transport/retry.js';

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
}

/** Creates the shared state of a copy. */
export function createEngine(
  init: Omit<Engine, 'stats' | 'blobs' | 'manifests' | 'retry' | 'blobSrc' | 'blobDst'> & {
    retry?: RetryOptions | undefined;
  },
): Engine {
  return {
    ...init,
    blobSrc: init.src.withoutRetries(),
    blobDst: init.dst.withoutRetries(),
    retry: resolveRetryOptions(init.retry),
    stats: { copied: 0, skipped: 0, mounted: 0, bytes: 0, foreign: [] },
    blobs: new Map(),
    manifests: new Map(),
  };
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
 * Pushes a collected tree: every blob, then the children by digest, then the top manifest by
 * digest, and only then `tag`, so a tag never names something incomplete.
 */
export async function pushImage(
  engine: Engine,
  tree: ImageTree,
  tag: ManifestReference | undefined,
): Promise<void> {
  engine.progress.addBlobs(tree.blobs.length);
  engine.progress.phase('blobs');
  const heads = headBlobs(engine, tree.blobs);
  await mapLimit(tree.blobs, engine.jobs, (blob) => copyBlob(engine, blob, heads.get(blob.digest)));
  engine.progress.phase('manifests');
  // Children of a nested index must land before it: push one at a time when there is one.
  await mapLimit(tree.children, tree.nested ? 1 : engine.jobs, (m) => putManifest(engine, m, m.digest));
  await putManifest(engine, tree.top, tree.top.digest);
  if (tag !== undefined) await putManifest(engine, tree.top, tag);
}

async function putManifest(
  engine: Engine,
  manifest: FetchedManifest,
  reference: ManifestReference,
): Promise<void> {
  const what = reference === manifest.digest ? `pushing manifest ${manifest.digest}` : `tagging ${reference}`;
  await step(what, async () => {
    const digest = await engine.dst.putManifest(engine.dstRepo, reference, manifest);
    if (digest !== manifest.digest) {
      throw new DigestMismatchError(`registry stored it as ${digest}, expected ${manifest.digest}`);
    }
  });
}

type BlobHead = Promise<number | undefined>;

/**
 * Asks the destination about every blob not already handled, all up front (HEADs are cheap), so
 * each transfer slot goes straight to moving bytes instead of spending a round trip first.
 */
function headBlobs(engine: Engine, blobs: Descriptor[]): Map<string, BlobHead> {
  const limit = createLimiter(engine.jobs * 2);
  const heads = new Map<string, BlobHead>();
  for (const blob of blobs) {
    if (engine.blobs.has(blob.digest)) continue;
    const head = limit(() => engine.blobDst.headBlob(engine.dstRepo, blob.digest));
    // A transfer that never starts (an earlier one failed) never reads its answer.
    head.catch(() => {});
    heads.set(blob.digest, head);
  }
  return heads;
}

/**
 * Copies one blob once per engine; a failed transfer is forgotten so a later copy may retry it.
 * A blob another copy of the run is sending to the same registry is waited for and mounted
 * from there; otherwise this copy claims it.
 */
function copyBlob(engine: Engine, blob: Descriptor, head?: BlobHead): Promise<void> {
  const existing = engine.blobs.get(blob.digest);
  if (existing) return existing.then(() => engine.progress.blobDone());
  const elsewhere = engine.shared?.find(engine.dst.registry, blob.digest);
  const transfer = step(`uploading blob ${blob.digest}`, () =>
    transferWithRetry(engine, blob, { head, elsewhere }),
  );
  if (!elsewhere) engine.shared?.claim(engine.dst.registry, blob.digest, engine.dstRepo, transfer);
  engine.blobs.set(blob.digest, transfer);
  transfer.catch(() => engine.blobs.get(blob.digest) === transfer && engine.blobs.delete(blob.digest));
  return transfer;
}

/**
 * Retries the whole HEAD → mount → GET → POST/PUT sequence: a streamed upload cannot be resent,
 * so a cut or corrupted transfer starts over here. Its requests go through `blobSrc`/`blobDst`,
 * which the transport sends once, so a failure is retried at this level only (as
 * go-containerregistry's uploadOne does), honouring the registry's Retry-After.
 */
async function transferWithRetry(engine: Engine, blob: Descriptor, known: KnownState): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let sent = 0;
    const hooks = {
      onUpload: () => attempt === 1 && engine.progress.addBytes(blob.size),
      onBytes: (n: number) => {
        sent += n;
        engine.progress.bytes(n);
      },
    };
    try {
      // Only the first attempt may use the early HEAD: a retry asks again.
      const outcome = await transferBlob(engine, blob, hooks, {
        elsewhere: known.elsewhere,
        head: attempt === 1 ? known.head : undefined,
      });
      engine.stats[outcome]++;
      if (outcome === 'copied') engine.stats.bytes += blob.size;
      engine.logger.debug(`${outcome} ${blob.digest}`);
      engine.progress.blobDone();
      return;
    } catch (err: unknown) {
      engine.progress.bytes(-sent);
      if (attempt >= engine.retry.attempts || !isRetryable(err)) throw err;
      engine.logger.warning(`blob transfer failed, starting it again: ${blob.digest}: ${errorMessage(err)}`);
      await sleepUnlessAborted(
        engine.retry.sleep,
        retryDelay(attempt, retryAfter(err), engine.retry),
        engine.signal,
      );
    }
  }
}

/** What is known about a blob before its transfer starts. */
interface KnownState {
  /** The early HEAD's answer (first attempt only); otherwise the transfer asks. */
  head?: BlobHead | undefined;
  /** The repository another copy of the run sends the blob to (see SharedBlobs.find). */
  elsewhere?: Promise<Repository> | undefined;
}

async function transferBlob(
  engine: Engine,
  blob: Descriptor,
  hooks: { onUpload: () => void; onBytes: (n: number) => void },
  known: KnownState,
): Promise<'copied' | 'skipped' | 'mounted'> {
  // A failed transfer elsewhere leaves this copy to send the blob itself.
  const holder = await known.elsewhere?.catch(() => undefined);
  if (holder === engine.dstRepo) return 'skipped';
  const head = known.head ?? engine.blobDst.headBlob(engine.dstRepo, blob.digest);
  if ((await head) !== undefined) return 'skipped';
  const from = holder ?? (engine.canMount ? engine.srcRepo : undefined);
  let session: string | undefined;
  if (from !== undefined) {
    const mount = await tryMount(engine, blob.digest, from);
    if (mount?.mounted) return 'mounted';
    // distribution answers 202 with a normal upload session when it cannot mount: use it.
    session = mount?.session;
  }
  hooks.onUpload();
  // The upload session opens while the source answers (see BlobUpload.body).
  const body = engine.blobSrc.getBlob(engine.srcRepo, blob.digest, blob.size).then((b) => b.body);
  const upload = {
    digest: blob.digest,
    size: blob.size,
    body,
    session,
    onBytes: hooks.onBytes,
    ...(engine.minThroughput ? { minThroughput: engine.minThroughput } : {}),
  };
  await engine.blobDst.uploadBlob(engine.dstRepo, upload);
  return 'copied';
}

/**
 * Asks for a cross-repository mount; undefined when the registry refuses it outright. A mount
 * is only a shortcut, so a refusal (403 DENIED between Artifact Registry projects, per-project
 * permissions on Harbor or GHCR, a token server that will not grant pull on `from`) falls back to
 * an upload, as go-containerregistry's uploadOne does
 * (https://github.com/google/go-containerregistry/issues/1404). A temporary failure is thrown, so
 * the whole transfer is retried.
 */
async function tryMount(engine: Engine, digest: Digest, from: Repository): Promise<MountResult | undefined> {
  try {
    return await engine.blobDst.mountBlob(engine.dstRepo, digest, from);
  } catch (err: unknown) {
    if (!(err instanceof RegistryError) || err.temporary) throw err;
    // The message is a redacted RegistryError: method, URL without secrets, status, spec codes.
    engine.logger.warning(`mount failed, uploading: ${digest} from ${from}: ${err.message}`);
    return undefined;
  }
}

function retryAfter(err: unknown): string | undefined {
  return err instanceof RegistryError ? err.retryAfter : undefined;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof RegistryError) return err.temporary;
  if (err instanceof DigestMismatchError || err instanceof TransferStalledError) return true;
  // Stream failures (a cut connection, a premature close) are not MirrorErrors and are worth another go.
  return !(err instanceof MirrorError);
}
