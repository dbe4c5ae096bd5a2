import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { MirrorError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Keychain } from './credentials/types.js';
import { createDigestVerifier, DigestMismatchError, sha256Digest } from './digest.js';
import { type Descriptor, MANIFEST_ACCEPT, OCI_INDEX } from './media-types.js';
import {
  type ConnectionPool,
  checkResponse,
  createTransport,
  discardBody,
  type RetryOptions,
  type RoundTrip,
  readBody,
  responseError,
  type TransportRequest,
} from './transport/index.js';

/** What a manifest HEAD tells: enough to decide whether anything must be copied. */
export interface ManifestDescriptor {
  digest: string;
  mediaType: string;
  size: number;
}

/** A manifest's exact bytes, verified against its digest. */
export interface FetchedManifest extends ManifestDescriptor {
  bytes: Buffer;
}

/** Typed Distribution API calls on one registry. */
export interface RegistryClient {
  readonly registry: string;
  /** The manifest's descriptor, or undefined when the tag or digest does not exist. */
  headManifest(repository: string, reference: string): Promise<ManifestDescriptor | undefined>;
  /** GETs a manifest and checks its sha256 against the digest asked for and Docker-Content-Digest. */
  getManifest(repository: string, reference: string): Promise<FetchedManifest>;
  /** PUTs exact bytes with Content-Type = mediaType; returns the digest the registry reports. */
  putManifest(
    repository: string,
    reference: string,
    manifest: { bytes: Buffer; mediaType: string },
  ): Promise<string>;
  /** The blob's size, or undefined when the blob is not in the repository. */
  headBlob(repository: string, digest: string): Promise<number | undefined>;
  /** Opens a blob for streaming (redirects to storage are followed). */
  getBlob(repository: string, digest: string): Promise<{ body: Readable; size: number | undefined }>;
  /** Tries a cross-repository mount; when refused, returns the upload session the registry opened instead. */
  mountBlob(repository: string, digest: string, from: string): Promise<MountResult>;
  /** Streams `body` into a new blob (or into `session`), refusing to commit content with the wrong digest. */
  uploadBlob(repository: string, blob: BlobUpload): Promise<void>;
  /** The referrers of `digest`, or undefined when the registry has no referrers API (404). */
  referrers(repository: string, digest: string): Promise<Descriptor[] | undefined>;
}

/** The answer to a mount attempt. */
export type MountResult = { mounted: true } | { mounted: false; session: string };

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

/** Options of createRegistryClient. */
export interface RegistryClientOptions {
  /** Registry as written in references (`docker.io`, `127.0.0.1:5000`). */
  registry: string;
  /** Token scopes, most important first. */
  scopes: string[];
  keychain: Keychain;
  pool?: ConnectionPool;
  /** Replaces the network layer (tests). Default: requests on `pool`. */
  base?: RoundTrip;
  /** Hosts spoken to over plain HTTP. Default: none. */
  plainHttp?: readonly string[];
  /** Registry name → API endpoint URL overrides (see TransportOptions). Default: none. */
  endpoints?: Readonly<Record<string, string>>;
  retry?: RetryOptions;
  logger?: Logger;
}

// Distribution refuses manifests over 4 MiB; twice that leaves room for other registries.
const MANIFEST_LIMIT = 8 * 1024 * 1024;

/** Creates a client for one registry; it pings `/v2/` lazily on the first call. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const transport = createTransport(options);
  const rt = transport.roundTrip;
  const api = (repository: string, rest: string) => `${transport.baseUrl}/v2/${repository}/${rest}`;

  return {
    registry: options.registry,

    async headManifest(repository, reference) {
      const req = {
        method: 'HEAD',
        url: api(repository, `manifests/${reference}`),
        headers: { accept: MANIFEST_ACCEPT },
      };
      const res = await rt(req);
      discardBody(res);
      if (res.status === 404) return undefined;
      await checkResponse(req, res, 200);
      const digest = res.headers['docker-content-digest'];
      if (!digest) return undefined;
      return {
        digest,
        mediaType: contentType(res.headers),
        size: Number(res.headers['content-length'] ?? 0),
      };
    },

    async getManifest(repository, reference) {
      const req = {
        method: 'GET',
        url: api(repository, `manifests/${reference}`),
        headers: { accept: MANIFEST_ACCEPT },
      };
      const res = await rt(req);
      await checkResponse(req, res, 200);
      const bytes = await readBody(res, MANIFEST_LIMIT);
      const digest = sha256Digest(bytes);
      const claimed = res.headers['docker-content-digest'];
      if (reference.includes(':') && reference !== digest) {
        throw new DigestMismatchError(
          `${req.method} ${req.url}: manifest content has digest ${digest}, asked for ${reference}`,
        );
      }
      if (claimed?.startsWith('sha256:') && claimed !== digest) {
        throw new DigestMismatchError(
          `${req.method} ${req.url}: manifest content has digest ${digest}, registry says ${claimed}`,
        );
      }
      return { digest, mediaType: contentType(res.headers), size: bytes.length, bytes };
    },

    async putManifest(repository, reference, manifest) {
      const req = {
        method: 'PUT',
        url: api(repository, `manifests/${reference}`),
        headers: { 'content-type': manifest.mediaType },
        body: manifest.bytes,
      };
      const res = await rt(req);
      await checkResponse(req, res, 201, 200);
      discardBody(res);
      return res.headers['docker-content-digest'] ?? sha256Digest(manifest.bytes);
    },

    async headBlob(repository, digest) {
      const req = { method: 'HEAD', url: api(repository, `blobs/${digest}`) };
      const res = await rt(req);
      discardBody(res);
      if (res.status === 404) return undefined;
      await checkResponse(req, res, 200);
      return Number(res.headers['content-length'] ?? 0);
    },

    async getBlob(repository, digest) {
      const req = { method: 'GET', url: api(repository, `blobs/${digest}`) };
      const res = await rt(req);
      await checkResponse(req, res, 200);
      const length = res.headers['content-length'];
      return { body: res.body, size: length === undefined ? undefined : Number(length) };
    },

    async mountBlob(repository, digest, from) {
      const query = new URLSearchParams({ mount: digest, from });
      const req = { method: 'POST', url: api(repository, `blobs/uploads/?${query}`), body: Buffer.alloc(0) };
      const res = await rt(req);
      await checkResponse(req, res, 201, 202);
      discardBody(res);
      if (res.status === 201) return { mounted: true };
      return { mounted: false, session: uploadLocation(req, res.url, res.headers.location) };
    },

    async uploadBlob(repository, blob) {
      const [session, body] = await openUpload(rt, api(repository, 'blobs/uploads/'), blob);
      try {
        await putBlob(rt, session, { ...blob, body });
      } catch (err: unknown) {
        await cancelUpload(rt, session);
        throw err;
      }
    },

    async referrers(repository, digest) {
      const req = {
        method: 'GET',
        url: api(repository, `referrers/${digest}`),
        headers: { accept: OCI_INDEX },
      };
      const res = await rt(req);
      if (res.status === 404) {
        discardBody(res);
        return undefined;
      }
      await checkResponse(req, res, 200);
      const index = JSON.parse((await readBody(res, MANIFEST_LIMIT)).toString('utf8')) as {
        manifests?: Descriptor[];
      };
      return index.manifests ?? [];
    },
  };
}

function contentType(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim();
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
