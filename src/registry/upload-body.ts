/**
 * Moving one blob's bytes from the source to the destination, once its transfer has decided to
 * upload: a small blob is read whole, verified, and sent in one monolithic POST where the host
 * takes it (blob-monolithic.ts); anything else is streamed through the digest verifier into
 * POST+PUT (blob-upload.ts). The source GET starts before the write gate opens; the first write
 * waits for it.
 */
import type { Readable } from 'node:stream';
import type { TransferHooks } from './blob-transfer.js';
import type { Engine } from './copy-engine.js';
import { DigestMismatchError, verifyBytes } from './digest.js';
import { LimitExceededError } from './limits.js';
import type { Descriptor } from './media-types.js';

/** Uploads `blob` from the source (into `session` when a refused mount opened one). */
export async function uploadBlobBody(
  engine: Engine,
  blob: Descriptor,
  hooks: TransferHooks,
  session: string | undefined,
): Promise<void> {
  engine.gate.check();
  const host = engine.dst.apiHost;
  const mode = session === undefined ? engine.session.uploadMode(host, blob.size) : 'stream';
  if (mode === 'stream') return streamBlob(engine, blob, hooks, session);
  try {
    await sendWhole(engine, blob, hooks);
  } catch (err: unknown) {
    if (mode === 'probe') engine.session.learnUpload(host, 'failed');
    throw err;
  }
}

/** GET and POST+PUT in parallel, streaming; the upload session opens while the source answers. */
async function streamBlob(
  engine: Engine,
  blob: Descriptor,
  hooks: TransferHooks,
  session: string | undefined,
): Promise<void> {
  const body = engine.blobSrc.getBlob(engine.srcRepo, blob.digest, blob.size).then((b) => b.body);
  // Read by the upload once the gate opens; until then a failed GET must not count as unhandled.
  body.catch(() => {});
  await passGate(engine, body);
  const upload = {
    digest: blob.digest,
    size: blob.size,
    body,
    onBytes: hooks.onBytes,
    ...(session ? { session } : {}),
    ...(engine.minThroughput ? { minThroughput: engine.minThroughput } : {}),
  };
  await engine.blobDst.uploadBlob(engine.dstRepo, upload);
}

/** Reads the blob whole (under the request deadline), verifies it, then sends it monolithically. */
async function sendWhole(engine: Engine, blob: Descriptor, hooks: TransferHooks): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await engine.blobSrc.readBlob(engine.srcRepo, blob.digest, blob.size);
  } catch (err: unknown) {
    // Worded as the streaming verifier words it: a source sending more than its descriptor says.
    if (err instanceof LimitExceededError) {
      throw new DigestMismatchError(
        `the source sent more than the ${blob.size} bytes of ${blob.digest}; nothing past them is sent`,
      );
    }
    throw err;
  }
  verifyBytes(bytes, blob);
  await engine.gate.ready();
  const outcome = await engine.blobDst.uploadMonolithic(engine.dstRepo, {
    digest: blob.digest,
    size: blob.size,
    bytes,
    onBytes: hooks.onBytes,
  });
  engine.session.learnUpload(engine.dst.apiHost, outcome);
}

/**
 * Waits for the write gate; when it stays shut, the source body already asked for is dropped.
 * The drop waits for the GET's answer (bounded by the request deadline), so a failed copy, which
 * waits for its transfers (abandon), has no request of its own left in flight.
 */
async function passGate(engine: Engine, body: Promise<Readable>): Promise<void> {
  try {
    await engine.gate.ready();
  } catch (err: unknown) {
    await body.then(
      (b) => b.destroy(),
      () => {},
    );
    throw err;
  }
}
