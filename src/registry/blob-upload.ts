/**
 * The blob upload protocol: open a session (POST) while the source answers, stream the body
 * into `PUT session?digest=…` through a digest verifier, and cancel (DELETE) a session that
 * failed. Every failure path destroys the streams it was given.
 */
import { pipeline, Readable } from 'node:stream';
import { MirrorError } from '../errors.js';
import type { Digest } from '../reference/digest.js';
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
  digest: Digest;
  /** The descriptor's size: not one byte more is sent, and fewer fails the upload. */
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
  /** The slowest transfer tolerated. Default: DEFAULT_MIN_THROUGHPUT. */
  minThroughput?: Throughput;
}

/** A minimum throughput: at least `bytes` in every `windowMs`. */
export interface Throughput {
  bytes: number;
  windowMs: number;
}

/**
 * At least 64 KiB every 30 s (about 2 KiB/s): far below any working link, far above a server
 * that trickles bytes to hold a copy open. The copy's overall deadline bounds the rest.
 */
export const DEFAULT_MIN_THROUGHPUT: Throughput = { bytes: 64 * 1024, windowMs: 30_000 };

/** A blob transfer fell below its minimum throughput; temporary (the transfer is retried as a whole). */
export class TransferStalledError extends MirrorError {}

/** Where a blob is uploaded to. */
export interface UploadEndpoint {
  rt: RoundTrip;
  /** The repository's `…/blobs/uploads/` URL. */
  url: string;
  /** Whether the registry may send the upload to this host (see createHostPolicy). Default: any host. */
  isAllowedHost?: ((url: URL) => boolean) | undefined;
}

/** A small blob, read whole and verified, for a monolithic upload (blob-monolithic.ts). */
export interface SmallBlob {
  digest: Digest;
  size: number;
  bytes: Buffer;
  onBytes?: (n: number) => void;
}

/**
 * Uploads `blob` into `session` (or a new one) as `PUT …?digest=`, from bytes already held; a
 * failed upload's session is cancelled.
 */
export async function putBytes(endpoint: UploadEndpoint, blob: SmallBlob, session?: string): Promise<void> {
  const target = session ?? (await startUpload(endpoint));
  const upload = { digest: blob.digest, size: blob.size, body: Readable.from([blob.bytes]) };
  try {
    await putBlob(endpoint.rt, target, blob.onBytes ? { ...upload, onBytes: blob.onBytes } : upload);
  } catch (err: unknown) {
    await cancelUpload(endpoint.rt, target);
    throw err;
  }
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
 * goes there, so it follows the rules of redirects: on the registry's own host it keeps the
 * registry's scheme (a registry behind a TLS proxy may write `http://`); another host may not
 * downgrade https to http; and a host the policy refuses (this machine, 169.254.169.254) is an
 * error: no credential would follow, but the request itself is the SSRF. A session on the
 * registry's own host must also stay in the job's repository (transport/scope.ts).
 */
export function uploadLocation(
  req: TransportRequest,
  res: Pick<TransportResponse, 'status' | 'headers' | 'url'>,
  isAllowedHost?: (url: URL) => boolean,
): string {
  const location = res.headers.location;
  if (!location)
    throw new MirrorError(`${req.method} ${new URL(req.url).pathname}: upload session without Location`);
  const from = new URL(req.url);
  const session = new URL(location, res.url || req.url);
  session.username = '';
  session.password = '';
  const refuse = (why: string) =>
    new RegistryError({
      method: req.method,
      url: req.url,
      status: res.status,
      temporary: false,
      reason: `refusing the upload Location ${redactUrl(session.toString())}: ${why}`,
    });
  if (session.protocol !== 'https:' && session.protocol !== 'http:') throw refuse('not http(s)');
  if (isAllowedHost && !isAllowedHost(session)) {
    throw refuse('a loopback or link-local host the registry may not send us to');
  }
  if (session.host === from.host) session.protocol = from.protocol;
  else if (from.protocol === 'https:' && session.protocol === 'http:') {
    throw refuse('it downgrades https to http');
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
  const watch = createStallWatch(blob.minThroughput ?? DEFAULT_MIN_THROUGHPUT, blob.onBytes);
  const verifier = createDigestVerifier({ digest: blob.digest, size: blob.size }, watch.onBytes);
  watch.start(verifier);
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
    watch.stop();
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
  watch.stop();
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

/**
 * Counts the bytes of one transfer and fails it (destroying `stream` with TransferStalledError)
 * when a window passes with fewer than `min.bytes`; stops once the stream has ended.
 */
function createStallWatch(min: Throughput, onBytes: ((n: number) => void) | undefined) {
  let inWindow = 0;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => clearInterval(timer);
  return {
    onBytes(n: number) {
      inWindow += n;
      onBytes?.(n);
    },
    start(stream: Readable) {
      timer = setInterval(() => {
        if (inWindow < min.bytes) {
          stop();
          stream.destroy(
            new TransferStalledError(
              `the blob moved ${inWindow} bytes in ${min.windowMs} ms, less than the minimum of ${min.bytes}`,
            ),
          );
        }
        inWindow = 0;
      }, min.windowMs);
      timer.unref();
      stream.once('end', stop);
      stream.once('close', stop);
    },
    stop,
  };
}

async function cancelUpload(rt: RoundTrip, session: string): Promise<void> {
  try {
    const res = await rt({ method: 'DELETE', url: session, detached: true });
    discardBody(res);
  } catch {
    // Best effort: an abandoned session expires on its own.
  }
}
