/**
 * One blob's way to the destination, once per copy (deduplicated by digest, and across the
 * copies of a run through SharedBlobs): an existence check, then a mount or an upload, retried
 * as a whole. Transfers start while the source is still being resolved; only their reads run
 * before the write gate opens (write-gate.ts). Each transfer holds a slot of the source's and
 * the destination's pace (pace.ts) while it moves bytes, and a registry pushing back slows both.
 */
import { errorMessage, MirrorError } from '../errors.js';
import type { Digest } from '../reference/digest.js';
import { TransferStalledError } from './blob-upload.js';
import type { MountResult } from './client.js';
import type { Engine } from './copy-engine.js';
import { step } from './copy-engine.js';
import { DigestMismatchError } from './digest.js';
import type { Descriptor } from './media-types.js';
import type { Repository } from './names.js';
import { acquireSlots } from './pace.js';
import { sleepUnlessAborted } from './transport/deadline.js';
import { RegistryError } from './transport/errors.js';
import { retryDelay } from './transport/retry.js';
import { uploadBlobBody } from './upload-body.js';
import { WritesCancelledError } from './write-gate.js';

/** What a transfer came to. */
export type BlobOutcome = 'copied' | 'skipped' | 'mounted';

/** Progress hooks of one attempt. */
export interface TransferHooks {
  onUpload: () => void;
  onBytes: (n: number) => void;
}

/** What is known about a blob before its transfer starts. */
interface KnownState {
  /** The early HEAD's answer (first attempt only); otherwise the transfer asks. */
  head?: Promise<number | undefined> | undefined;
  /** The repository another copy of the run sends the blob to (see SharedBlobs.find). */
  elsewhere?: Promise<Repository> | undefined;
}

/**
 * Starts `blob`'s transfer (its HEAD goes out at once, beside the other blobs' HEADs) and
 * records it in the engine; a failed transfer is forgotten so a later push may start it again,
 * and it closes the write gate. A blob another copy of the run is sending to the same registry is
 * waited for and mounted from there; otherwise this copy claims it.
 */
export function startBlob(engine: Engine, blob: Descriptor): Promise<void> {
  const existing = engine.blobs.get(blob.digest);
  if (existing) return existing;
  engine.progress.addBlobs(1);
  const elsewhere = engine.shared?.find(engine.dst.registry, blob.digest);
  const head = earlyHead(engine, blob, elsewhere !== undefined);
  // A transfer that never reads its HEAD (it failed earlier) must not leave it unhandled.
  head.catch(() => {});
  const transfer = step(`uploading blob ${blob.digest}`, () =>
    transferWithRetry(engine, blob, { head, elsewhere }),
  );
  if (!elsewhere) engine.shared?.claim(engine.dst.registry, blob.digest, engine.dstRepo, transfer);
  engine.blobs.set(blob.digest, transfer);
  transfer.catch((err: unknown) => {
    if (engine.blobs.get(blob.digest) === transfer) engine.blobs.delete(blob.digest);
    if (!(err instanceof MirrorError && err.cause instanceof WritesCancelledError)) engine.gate.close(err);
  });
  return transfer;
}

/**
 * The HEAD of a blob, sent now (bounded by `engine.heads`). Skipped (undefined: absent) in a
 * repository the destination says is new, when nothing could be mounted into it: such a
 * repository cannot hold the blob, and a wrong guess (it was created meanwhile) only costs an
 * upload of a blob it already had.
 */
function earlyHead(engine: Engine, blob: Descriptor, elsewhere: boolean): Promise<number | undefined> {
  const ask = () =>
    engine.heads(() => {
      // A HEAD still queued when the copy failed is not sent.
      engine.gate.check();
      return engine.blobDst.headBlob(engine.dstRepo, blob.digest);
    });
  if (!engine.fresh || engine.canMount || elsewhere) return ask();
  return engine.fresh.then((fresh) => (fresh ? undefined : ask()));
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
    const hooks: TransferHooks = {
      onUpload: () => attempt === 1 && engine.progress.addBytes(blob.size),
      onBytes: (n) => {
        sent += n;
        engine.progress.bytes(n);
      },
    };
    const marks = engine.paces.map(({ pace }) => pace.mark());
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
      slowDown(engine, err, marks);
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

/** One attempt: skip what the destination has, mount what it can, upload the rest. */
async function transferBlob(
  engine: Engine,
  blob: Descriptor,
  hooks: TransferHooks,
  known: KnownState,
): Promise<BlobOutcome> {
  // A failed transfer elsewhere leaves this copy to send the blob itself.
  const holder = await known.elsewhere?.catch(() => undefined);
  if (holder === engine.dstRepo) return 'skipped';
  const head = known.head ?? engine.blobDst.headBlob(engine.dstRepo, blob.digest);
  if ((await head) !== undefined) return 'skipped';
  engine.gate.check();
  const slots = await acquireSlots(engine.paces, engine.signal);
  let succeeded = false;
  try {
    const outcome = await mountOrUpload(engine, blob, hooks, holder);
    succeeded = true;
    return outcome;
  } finally {
    for (const { slot } of slots) slot.release(succeeded);
  }
}

async function mountOrUpload(
  engine: Engine,
  blob: Descriptor,
  hooks: TransferHooks,
  holder: Repository | undefined,
): Promise<BlobOutcome> {
  const from = holder ?? (engine.canMount ? engine.srcRepo : undefined);
  let session: string | undefined;
  if (from !== undefined) {
    await engine.gate.ready();
    const mount = await tryMount(engine, blob.digest, from);
    if (mount?.mounted) return 'mounted';
    // distribution answers 202 with a normal upload session when it cannot mount: use it.
    session = mount?.session;
  }
  hooks.onUpload();
  await uploadBlobBody(engine, blob, hooks, session);
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

/**
 * Halves the pace of the host that pushed back (429, 503, or any Retry-After): the destination's
 * when the failed request went to its API host, otherwise the source's (storage a blob GET was
 * redirected to belongs to the source).
 */
function slowDown(engine: Engine, err: unknown, marks: number[]): void {
  if (!(err instanceof RegistryError)) return;
  if (err.status !== 429 && err.status !== 503 && err.retryAfter === undefined) return;
  let host = '';
  try {
    host = new URL(err.url).host;
  } catch {
    // A URL we cannot read is the source's.
  }
  const side = host === engine.dst.apiHost ? engine.dst.apiHost : engine.src.apiHost;
  engine.paces.forEach(({ key, pace }, i) => {
    if (key === side) pace.throttle(marks[i] ?? pace.mark());
  });
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
