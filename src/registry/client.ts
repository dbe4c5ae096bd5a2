import type { Readable } from 'node:stream';
import { type BlobUpload, uploadBlob, uploadLocation } from './blob-upload.js';
import { DigestMismatchError, sha256Digest } from './digest.js';
import { type Descriptor, MANIFEST_ACCEPT, OCI_INDEX } from './media-types.js';
import {
  checkResponse,
  createTransport,
  discardBody,
  type RoundTrip,
  readBody,
  type TransportOptions,
} from './transport/index.js';

export type { BlobUpload } from './blob-upload.js';

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
  /**
   * The same client (same connections, same tokens) whose requests the transport sends once:
   * for callers that retry a larger unit themselves (a whole blob transfer), so retries never nest.
   */
  withoutRetries(): RegistryClient;
}

/** The answer to a mount attempt. */
export type MountResult = { mounted: true } | { mounted: false; session: string };

/** Options of createRegistryClient: those of the registry's transport. */
export type RegistryClientOptions = TransportOptions;

// Distribution refuses manifests over 4 MiB; twice that leaves room for other registries.
const MANIFEST_LIMIT = 8 * 1024 * 1024;

/** What every call needs: where the API lives and the round trip to reach it. */
interface Api {
  registry: string;
  baseUrl: string;
  rt: RoundTrip;
  /** Hosts an upload `Location` may name (the transport's redirect and realm policy). */
  isAllowedHost: (url: URL) => boolean;
}

/** Creates a client for one registry; it pings `/v2/` lazily on the first call. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const transport = createTransport(options);
  return bindClient({
    registry: options.registry,
    baseUrl: transport.baseUrl,
    rt: transport.roundTrip,
    isAllowedHost: transport.isAllowedHost,
  });
}

function bindClient(c: Api): RegistryClient {
  return {
    registry: c.registry,
    headManifest: (repository, reference) => headManifest(c, repository, reference),
    getManifest: (repository, reference) => getManifest(c, repository, reference),
    putManifest: (repository, reference, manifest) => putManifest(c, repository, reference, manifest),
    headBlob: (repository, digest) => headBlob(c, repository, digest),
    getBlob: (repository, digest) => getBlob(c, repository, digest),
    mountBlob: (repository, digest, from) => mountBlob(c, repository, digest, from),
    uploadBlob: (repository, blob) =>
      uploadBlob(
        { rt: c.rt, url: url(c, repository, 'blobs/uploads/'), isAllowedHost: c.isAllowedHost },
        blob,
      ),
    referrers: (repository, digest) => referrers(c, repository, digest),
    withoutRetries: () => bindClient({ ...c, rt: (req) => c.rt({ ...req, retry: false }) }),
  };
}

function url(c: Api, repository: string, rest: string): string {
  return `${c.baseUrl}/v2/${repository}/${rest}`;
}

async function headManifest(
  c: Api,
  repository: string,
  reference: string,
): Promise<ManifestDescriptor | undefined> {
  const req = {
    method: 'HEAD',
    url: url(c, repository, `manifests/${reference}`),
    headers: { accept: MANIFEST_ACCEPT },
  };
  const res = await c.rt(req);
  discardBody(res);
  if (res.status === 404) return undefined;
  await checkResponse(req, res, 200);
  const digest = res.headers['docker-content-digest'];
  if (!digest) return undefined;
  return { digest, mediaType: contentType(res.headers), size: Number(res.headers['content-length'] ?? 0) };
}

async function getManifest(c: Api, repository: string, reference: string): Promise<FetchedManifest> {
  const req = {
    method: 'GET',
    url: url(c, repository, `manifests/${reference}`),
    headers: { accept: MANIFEST_ACCEPT },
  };
  const res = await c.rt(req);
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
}

async function putManifest(
  c: Api,
  repository: string,
  reference: string,
  manifest: { bytes: Buffer; mediaType: string },
): Promise<string> {
  const req = {
    method: 'PUT',
    url: url(c, repository, `manifests/${reference}`),
    headers: { 'content-type': manifest.mediaType },
    body: manifest.bytes,
  };
  const res = await c.rt(req);
  await checkResponse(req, res, 201, 200);
  discardBody(res);
  return res.headers['docker-content-digest'] ?? sha256Digest(manifest.bytes);
}

async function headBlob(c: Api, repository: string, digest: string): Promise<number | undefined> {
  const req = { method: 'HEAD', url: url(c, repository, `blobs/${digest}`) };
  const res = await c.rt(req);
  discardBody(res);
  if (res.status === 404) return undefined;
  await checkResponse(req, res, 200);
  return Number(res.headers['content-length'] ?? 0);
}

async function getBlob(
  c: Api,
  repository: string,
  digest: string,
): Promise<{ body: Readable; size: number | undefined }> {
  const req = { method: 'GET', url: url(c, repository, `blobs/${digest}`) };
  const res = await c.rt(req);
  await checkResponse(req, res, 200);
  const length = res.headers['content-length'];
  return { body: res.body, size: length === undefined ? undefined : Number(length) };
}

async function mountBlob(c: Api, repository: string, digest: string, from: string): Promise<MountResult> {
  const query = new URLSearchParams({ mount: digest, from });
  const req = { method: 'POST', url: url(c, repository, `blobs/uploads/?${query}`), body: Buffer.alloc(0) };
  const res = await c.rt(req);
  await checkResponse(req, res, 201, 202);
  discardBody(res);
  if (res.status === 201) return { mounted: true };
  return { mounted: false, session: uploadLocation(req, res, c.isAllowedHost) };
}

async function referrers(c: Api, repository: string, digest: string): Promise<Descriptor[] | undefined> {
  const req = {
    method: 'GET',
    url: url(c, repository, `referrers/${digest}`),
    headers: { accept: OCI_INDEX },
  };
  const res = await c.rt(req);
  if (res.status === 404) {
    discardBody(res);
    return undefined;
  }
  await checkResponse(req, res, 200);
  const index = JSON.parse((await readBody(res, MANIFEST_LIMIT)).toString('utf8')) as {
    manifests?: Descriptor[];
  };
  return index.manifests ?? [];
}

function contentType(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim();
}
