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
  RegistryError,
  type RoundTrip,
  redactUrl,
  responseError,
  type TransportRequest,
  type TransportResponse,
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

/** Where a blob is uploaded to. */
export interface UploadEndpoint {
  rt: RoundTrip;
  /** The repository's `…/blobs/uploads/` URL. */
  url: string;
  /** Whether the registry may send the upload to this host (see createHostPolicy). Default: any host. */
  isAllowedHost?: ((url: URL) => boolean) | undefined;
}

/** Uploads `blob` into `endpoint`; a failed upload's session is cancelled. */
export async function uploadBlob(endpoint: UploadEndpoint, blob: BlobUpload): Promise<void> {
  const { rt } = endpoint;
  const [session, body] = await openUpload(endpoint, blob);
  try {
    await putBlob(rt, session, { ...blob, body });
  } catch (err: unknown) {
    await cancelUpload(rt, session);
    throw err;
  }
}

/** Opens the session (unless given) and awaits the body together; cleans up half of a failed pair. */
async function openUpload(endpoint: UploadEndpoint, blob: BlobUpload): Promise<[string, Readable]> {
  const { rt } = endpoint;
  const [session, body] = await Promise.allSettled([blob.session ?? startUpload(endpoint), blob.body]);
  if (session.status === 'fulfilled' && body.status === 'fulfilled') return [session.value, body.value];
  if (body.status === 'fulfilled') body.value.destroy();
  if (session.status === 'fulfilled') await cancelUpload(rt, session.value);
  // The source's failure comes first: it is what a sequential GET-then-POST would have reported.
  throw body.status === 'rejected' ? body.reason : (session as PromiseRejectedResult).reason;
}

async function startUpload(endpoint: UploadEndpoint): Promise<string> {
  const req = { method: 'POST', url: endpoint.url, body: Buffer.alloc(0) };
  const res = await endpoint.rt(req);
  await checkResponse(req, res, 202);
  discardBody(res);
  return uploadLocation(req, res, endpoint.isAllowedHost);
}

/**
 * Resolves an upload `Location` (possibly relative, possibly with a query) against the request
 * URL. The registry chooses it and the PUT with the blob (and the DELETE of a failed session)
 * goes there, so a host `isAllowedHost` refuses (this machine, 169.254.169.254) is an error, as
 * for redirects and token realms: no credential would follow, but the request itself is the SSRF.
 */
export function uploadLocation(
  req: TransportRequest,
  res: Pick<TransportResponse, 'status' | 'headers' | 'url'>,
  isAllowedHost?: (url: URL) => boolean,
): string {
  const location = res.headers.location;
  if (!location)
    throw new MirrorError(`${req.method} ${new URL(req.url).pathname}: upload session without Location`);
  const session = new URL(location, res.url || req.url);
  if (isAllowedHost && !isAllowedHost(session)) {
    throw new RegistryError({
      method: req.method,
      url: req.url,
      status: res.status,
      temporary: false,
      reason: `refusing the upload Location ${redactUrl(session.toString())}: a loopback or link-local host the registry may not send us to`,
    });
  }
  return session.toString();
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
