/**
 * The blob upload protocol: open a session (POST) while the source answers, stream the body
 * into `PUT session?digest=…` through a digest verifier, and cancel (DELETE) a session that
 * failed. Every failure path destroys the streams it was given.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { MirrorError } from '../errors.js';
import { createDigestVerifier } from './digest.js';
import {
  checkResponse,
  discardBody,
  type RoundTrip,
  responseError,
  type TransportRequest,
} from './transport/index.js';

/** A blob to upload. */
export interface BlobUpload {
  digest: string;
  size: number;
  /**
   * The content, or the promise of it: the upload session is then opened while the source is
   * still answering, which takes one round trip off every blob.
   */
  body: Readable | Promise<Readable>;
  /** An upload session already opened (a refused mount); otherwise one is POSTed. */
  session?: string;
  /** Called with each chunk's size as it is sent. */
  onBytes?: (n: number) => void;
}

/** Uploads `blob` through `rt` into the upload endpoint `url`; a failed upload's session is cancelled. */
export async function uploadBlob(rt: RoundTrip, url: string, blob: BlobUpload): Promise<void> {
  const [session, body] = await openUpload(rt, url, blob);
  try {
    await putBlob(rt, session, { ...blob, body });
  } catch (err: unknown) {
    await cancelUpload(rt, session);
    throw err;
  }
}

/** Opens the session (unless given) and awaits the body together; cleans up half of a failed pair. */
async function openUpload(rt: RoundTrip, url: string, blob: BlobUpload): Promise<[string, Readable]> {
  const [session, body] = await Promise.allSettled([blob.session ?? startUpload(rt, url), blob.body]);
  if (session.status === 'fulfilled' && body.status === 'fulfilled') return [session.value, body.value];
  if (body.status === 'fulfilled') body.value.destroy();
  if (session.status === 'fulfilled') await cancelUpload(rt, session.value);
  // The source's failure comes first: it is what a sequential GET-then-POST would have reported.
  throw body.status === 'rejected' ? body.reason : (session as PromiseRejectedResult).reason;
}

async function startUpload(rt: RoundTrip, url: string): Promise<string> {
  const req = { method: 'POST', url, body: Buffer.alloc(0) };
  const res = await rt(req);
  await checkResponse(req, res, 202);
  discardBody(res);
  return uploadLocation(req, res.url, res.headers.location);
}

/** Resolves an upload `Location` (possibly relative, possibly with a query) against the request URL. */
export function uploadLocation(req: TransportRequest, base: string, location: string | undefined): string {
  if (!location)
    throw new MirrorError(`${req.method} ${new URL(req.url).pathname}: upload session without Location`);
  return new URL(location, base || req.url).toString();
}

/**
 * Streams the body into `PUT session?digest=…` (monolithic upload: distribution 2.8 does not
 * accept a body on the POST). The body passes through the digest verifier, so a wrong sha256
 * aborts the PUT before its last bytes and the registry never commits the blob.
 */
async function putBlob(rt: RoundTrip, session: string, blob: BlobUpload & { body: Readable }): Promise<void> {
  const url = new URL(session);
  url.searchParams.set('digest', blob.digest);
  const verifier = createDigestVerifier({ digest: blob.digest, size: blob.size }, blob.onBytes);
  let streamError: unknown;
  pipeline(blob.body, verifier, (err) => {
    if (err) streamError = err;
  });
  const req: TransportRequest = {
    method: 'PUT',
    url: url.toString(),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
    body: verifier,
  };
  // Every failure path destroys both streams: a paused source GET would otherwise hold its
  // connection until the body timeout (300 s), and each whole-blob retry would open another.
  const abandon = () => {
    verifier.destroy();
    blob.body.destroy();
  };
  let res: Awaited<ReturnType<RoundTrip>>;
  try {
    res = await rt(req);
  } catch (err: unknown) {
    abandon();
    // The stream's own failure (a cut source, a digest mismatch) explains more than the aborted PUT.
    throw streamError ?? err;
  }
  if (streamError || res.status !== 201) {
    abandon();
    if (streamError) {
      discardBody(res);
      throw streamError;
    }
    throw await responseError(req, res);
  }
  discardBody(res);
}

async function cancelUpload(rt: RoundTrip, session: string): Promise<void> {
  try {
    const res = await rt({ method: 'DELETE', url: session });
    discardBody(res);
  } catch {
    // Best effort: an abandoned session expires on its own.
  }
}
