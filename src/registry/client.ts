import type { Readable } from 'node:stream';
import { type Digest, isDigest, parseDigest } from '../reference/digest.js';
import { createApiUrls } from './api-url.js';
import { type MonolithicOutcome, uploadMonolithic } from './blob-monolithic.js';
import { type BlobUpload, type SmallBlob, uploadBlob, uploadLocation } from './blob-upload.js';
import { contentLength, readLimited } from './body.js';
import { computeDigest, DigestMismatchError } from './digest.js';
import { type JobBudget, MAX_MANIFEST_BYTES } from './limits.js';
import { type Descriptor, headerMediaType, MANIFEST_ACCEPT } from './media-types.js';
import type { ManifestReference, Repository } from './names.js';
import { listReferrers } from './referrers.js';
import {
  checkResponse,
  createTransport,
  discardBody,
  type RoundTrip,
  responseError,
  type TransportOptions,
  type TransportResponse,
} from './transport/index.js';

export type { MonolithicOutcome } from './blob-monolithic.js';
export type { BlobUpload, SmallBlob } from './blob-upload.js';

/** What a manifest HEAD tells: enough to decide whether anything must be copied. */
export interface ManifestDescriptor {
  digest: Digest;
  mediaType: string;
  size: number;
}

/** A manifest's exact bytes, verified against its digest. */
export interface FetchedManifest extends ManifestDescriptor {
  bytes: Buffer;
}

/** Typed Distribution API calls on one registry; every path is built from validated parts (api-url.ts). */
export interface RegistryClient {
  readonly registry: string;
  /** `host[:port]` of the API this client talks to (endpoint overrides applied). */
  readonly apiHost: string;
  /** The manifest's descriptor, or undefined when the tag or digest does not exist. */
  headManifest(repository: Repository, reference: ManifestReference): Promise<ManifestDescriptor | undefined>;
  /** GETs a manifest (at most MAX_MANIFEST_BYTES) and checks its digest against the one asked for and Docker-Content-Digest. */
  getManifest(repository: Repository, reference: ManifestReference): Promise<FetchedManifest>;
  /** getManifest, with undefined for a tag or digest that does not exist (404). */
  findManifest(repository: Repository, reference: ManifestReference): Promise<FetchedManifest | undefined>;
  /**
   * `absent` when the registry says the repository does not exist (`GET …/tags/list` answering
   * 404 NAME_UNKNOWN), `present` when it lists it, `unknown` for any other answer or failure.
   */
  repositoryState(repository: Repository): Promise<'absent' | 'present' | 'unknown'>;
  /** PUTs exact bytes with Content-Type = mediaType; returns the digest the registry reports. */
  putManifest(
    repository: Repository,
    reference: ManifestReference,
    manifest: { bytes: Buffer; mediaType: string },
  ): Promise<Digest>;
  /** The blob's size, or undefined when the blob is not in the repository. */
  headBlob(repository: Repository, digest: Digest): Promise<number | undefined>;
  /** Opens a blob of `size` bytes for streaming (redirects to storage are followed); another announced length is refused. */
  getBlob(repository: Repository, digest: Digest, size: number): Promise<{ body: Readable }>;
  /** Reads a small blob (an image config) whole, under the request deadline; larger than `limit` is an error. */
  readBlob(repository: Repository, digest: Digest, limit: number): Promise<Buffer>;
  /** Tries a cross-repository mount; when refused, returns the upload session the registry opened instead. */
  mountBlob(repository: Repository, digest: Digest, from: Repository): Promise<MountResult>;
  /** Streams `body` into a new blob (or into `session`), refusing to commit content with the wrong digest or size. */
  uploadBlob(repository: Repository, blob: BlobUpload): Promise<void>;
  /** Uploads verified bytes with one monolithic POST where the registry takes it, else POST+PUT (blob-monolithic.ts). */
  uploadMonolithic(repository: Repository, blob: SmallBlob): Promise<MonolithicOutcome>;
  /** The referrers of `digest` (validated, bounded), or undefined when the registry has no referrers API (404). */
  referrers(repository: Repository, digest: Digest): Promise<Descriptor[] | undefined>;
  /**
   * The same client (same connections, same tokens) whose requests the transport sends once:
   * for callers that retry a larger unit themselves (a whole blob transfer), so retries never nest.
   */
  withoutRetries(): RegistryClient;
}

/** The answer to a mount attempt. */
export type MountResult = { mounted: true } | { mounted: false; session: string };

/** Options of createRegistryClient: those of the registry's transport, and the job's budget. */
export interface RegistryClientOptions extends TransportOptions {
  /** Charged with every manifest fetched (the source of a copy job). Default: none. */
  budget?: JobBudget;
}

/** What every call needs: where the API lives and the round trip to reach it. */
interface Api {
  registry: string;
  baseUrl: string;
  rt: RoundTrip;
  /** Hosts an upload `Location` may name (the transport's target policy). */
  isAllowedHost: (url: URL) => boolean;
  budget: JobBudget | undefined;
}

/** Creates a client for one registry; it pings `/v2/` lazily on the first call. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const transport = createTransport(options);
  return bindClient({
    registry: options.registry,
    baseUrl: transport.baseUrl,
    rt: transport.roundTrip,
    isAllowedHost: transport.isAllowedHost,
    budget: options.budget,
  });
}

function bindClient(c: Api): RegistryClient {
  const urls = createApiUrls(c.baseUrl);
  const upload = (repository: Repository) => ({
    rt: c.rt,
    url: urls.uploads(repository),
    isAllowedHost: c.isAllowedHost,
  });
  return {
    registry: c.registry,
    apiHost: new URL(c.baseUrl).host,
    headManifest: (repository, reference) => headManifest(c, urls.manifest(repository, reference), reference),
    getManifest: (repository, reference) => getManifest(c, urls.manifest(repository, reference), reference),
    findManifest: (repository, reference) =>
      getManifest(c, urls.manifest(repository, reference), reference, true),
    repositoryState: (repository) => repositoryState(c, urls.tags(repository)),
    putManifest: (repository, reference, manifest) =>
      putManifest(c, urls.manifest(repository, reference), manifest),
    headBlob: (repository, digest) => headBlob(c, urls.blob(repository, digest)),
    getBlob: (repository, digest, size) => getBlob(c, urls.blob(repository, digest), size),
    readBlob: (repository, digest, limit) => readBlob(c, urls.blob(repository, digest), limit),
    mountBlob: (repository, digest, from) =>
      mountBlob(c, urls.uploads(repository, new URLSearchParams({ mount: digest, from }))),
    uploadBlob: (repository, blob) => uploadBlob(upload(repository), blob),
    uploadMonolithic: (repository, blob) => uploadMonolithic(upload(repository), blob),
    referrers: (repository, digest) => listReferrers(c.rt, urls.referrers(repository, digest)),
    withoutRetries: () => bindClient({ ...c, rt: (req) => c.rt({ ...req, retry: false }) }),
  };
}

async function headManifest(
  c: Api,
  url: string,
  reference: ManifestReference,
): Promise<ManifestDescriptor | undefined> {
  const req = { method: 'HEAD', url, headers: { accept: MANIFEST_ACCEPT } };
  const res = await c.rt(req);
  discardBody(res);
  if (res.status === 404) return undefined;
  await checkResponse(req, res, 200);
  const digest = headerDigest(res);
  if (!digest) return undefined;
  if (isDigest(reference) && digest !== reference) {
    throw new DigestMismatchError(`HEAD ${url}: the registry says ${digest} for ${reference}`);
  }
  return { digest, mediaType: headerMediaType(res.headers['content-type']), size: contentLength(res) ?? 0 };
}

async function getManifest(
  c: Api,
  url: string,
  reference: ManifestReference,
  missingOk: true,
): Promise<FetchedManifest | undefined>;
async function getManifest(c: Api, url: string, reference: ManifestReference): Promise<FetchedManifest>;
async function getManifest(
  c: Api,
  url: string,
  reference: ManifestReference,
  missingOk = false,
): Promise<FetchedManifest | undefined> {
  c.budget?.checkRoom();
  const req = { method: 'GET', url, headers: { accept: MANIFEST_ACCEPT } };
  const res = await c.rt(req);
  if (missingOk && res.status === 404) {
    discardBody(res);
    return undefined;
  }
  await checkResponse(req, res, 200);
  const claimed = headerDigest(res);
  const bytes = await readLimited(res, MAX_MANIFEST_BYTES, `manifest ${reference}`);
  c.budget?.chargeManifest(bytes.length);
  const digest = computeDigest(bytes, isDigest(reference) ? reference : claimed);
  if (isDigest(reference) && digest !== reference) {
    throw new DigestMismatchError(
      `GET ${url}: manifest content has digest ${digest}, asked for ${reference}`,
    );
  }
  if (claimed !== undefined && computeDigest(bytes, claimed) !== claimed) {
    throw new DigestMismatchError(
      `GET ${url}: manifest content has digest ${digest}, registry says ${claimed}`,
    );
  }
  return { digest, mediaType: headerMediaType(res.headers['content-type']), size: bytes.length, bytes };
}

async function putManifest(
  c: Api,
  url: string,
  manifest: { bytes: Buffer; mediaType: string },
): Promise<Digest> {
  const req = { method: 'PUT', url, headers: { 'content-type': manifest.mediaType }, body: manifest.bytes };
  const res = await c.rt(req);
  await checkResponse(req, res, 201, 200);
  discardBody(res);
  return headerDigest(res) ?? computeDigest(manifest.bytes);
}

async function repositoryState(c: Api, url: string): Promise<'absent' | 'present' | 'unknown'> {
  const req = { method: 'GET', url };
  try {
    const res = await c.rt(req);
    if (res.status === 200) {
      discardBody(res);
      return 'present';
    }
    const error = await responseError(req, res);
    return error.status === 404 && error.hasCode('NAME_UNKNOWN') ? 'absent' : 'unknown';
  } catch {
    // Only a shortcut: whatever went wrong, the per-blob HEADs decide as before.
    return 'unknown';
  }
}

async function headBlob(c: Api, url: string): Promise<number | undefined> {
  const req = { method: 'HEAD', url };
  const res = await c.rt(req);
  discardBody(res);
  if (res.status === 404) return undefined;
  await checkResponse(req, res, 200);
  return contentLength(res) ?? 0;
}

async function getBlob(c: Api, url: string, size: number): Promise<{ body: Readable }> {
  const req = { method: 'GET', url, stream: true };
  const res = await c.rt(req);
  await checkResponse(req, res, 200);
  const announced = contentLength(res);
  if (announced !== undefined && announced !== size) {
    discardBody(res);
    throw new DigestMismatchError(
      `GET ${url}: the registry announces ${announced} bytes, the descriptor says ${size}`,
    );
  }
  return { body: res.body };
}

async function readBlob(c: Api, url: string, limit: number): Promise<Buffer> {
  const req = { method: 'GET', url };
  const res = await c.rt(req);
  await checkResponse(req, res, 200);
  return readLimited(res, limit, 'blob');
}

async function mountBlob(c: Api, url: string): Promise<MountResult> {
  const req = { method: 'POST', url, body: Buffer.alloc(0) };
  const res = await c.rt(req);
  await checkResponse(req, res, 201, 202);
  discardBody(res);
  if (res.status === 201) return { mounted: true };
  return { mounted: false, session: uploadLocation(req, res, c.isAllowedHost) };
}

/** The Docker-Content-Digest header, parsed (a registry's value that is not a digest is refused), or undefined. */
function headerDigest(res: TransportResponse): Digest | undefined {
  const value = res.headers['docker-content-digest'];
  if (value === undefined || value === '') return undefined;
  return parseDigest(value.trim(), "the registry's Docker-Content-Digest header");
}
