/**
 * Builds small synthetic images (deterministic pseudo-random layers, one config per platform,
 * manifests and an OCI index or Docker manifest list) and pushes them to a test registry with
 * the harness's own raw fetch: blobs by POST then PUT, children before the index, Content-Type
 * equal to the manifest's mediaType (REFERENCE.md §4).
 *
 * Layers are streamed twice (once to learn the digest, once to upload) so that big benchmark
 * images never sit in memory whole.
 */
import { createCipheriv, createHash, randomInt } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { TestRegistry } from './registry.js';

/** Media types of the two manifest families. */
export const MEDIA_TYPES = {
  oci: {
    index: 'application/vnd.oci.image.index.v1+json',
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;

/** A platform as it appears in an index. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** What was pushed, for assertions. */
export interface PushedImage {
  /** "127.0.0.1:PORT/lib/app:1" */
  reference: string;
  /** Digest of the top-level manifest (the index when there is one). */
  digest: string;
  mediaType: string;
  /** The platform manifests (for a single-manifest image: that manifest, same digest as the top). */
  manifests: { digest: string; mediaType: string; platform?: Platform }[];
  /** Every distinct config and layer blob. */
  blobs: { digest: string; size: number }[];
}

/** Options of {@link pushRandomImage}. */
export interface RandomImageOptions {
  /** `os/arch[/variant]` list. Default: ['linux/amd64']. */
  platforms?: string[];
  /** Layers per platform. Default: 2. */
  layers?: number;
  /** Uncompressed bytes per layer. Default: 64 KiB. */
  layerSize?: number;
  /** Default: 'oci'. */
  format?: 'oci' | 'docker';
  /** How many of the first layers are byte-identical across platforms. Default: 1. */
  sharedLayers?: number;
  /** Same seed and options give the same digests. Default: random, so tests never collide. */
  seed?: number;
  /** Push an index even for one platform. Default: only when there are several platforms. */
  index?: boolean;
  /** The image this one is attached to (a signature, an SBOM): written as the manifests' `subject`. Default: none. */
  subject?: { mediaType: string; digest: string; size: number };
  /** The configs' `created` time (RFC 3339). Default: none (the field is left out). */
  created?: string;
}

type Resolved = Required<Omit<RandomImageOptions, 'subject' | 'created'>> &
  Pick<RandomImageOptions, 'subject' | 'created'>;

interface Blob {
  digest: string;
  size: number;
  mediaType: string;
  /** Bytes of configs; layers are streamed from `open`. */
  bytes?: Buffer;
  open?: () => Readable;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const CHUNK = 1 << 20;

/** Parses `linux/arm/v7` into an index platform. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined)
    throw new Error(`bad platform "${text}": expected os/arch[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Deterministic bytes: an AES-128-CTR keystream keyed by sha256(label), `size` bytes long. */
function randomBytesStream(label: string, size: number): Readable {
  const key = createHash('sha256').update(label).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  let left = size;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const n = Math.min(CHUNK, left);
      left -= n;
      this.push(cipher.update(zeros.subarray(0, n)));
    },
  });
}

/** The layer as a gzip stream; level 0 because random data does not compress and CPU is scarce. */
function layerStream(label: string, size: number): Readable {
  return randomBytesStream(label, size).pipe(createGzip({ level: 0 }));
}

function hashing(hash: ReturnType<typeof createHash>, counter: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

async function describeLayer(
  label: string,
  size: number,
  mediaType: string,
): Promise<Blob & { diffId: string }> {
  const raw = createHash('sha256');
  const compressed = createHash('sha256');
  const counter = { bytes: 0 };
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  await pipeline(
    randomBytesStream(label, size),
    hashing(raw, { bytes: 0 }),
    createGzip({ level: 0 }),
    hashing(compressed, counter),
    sink,
  );
  return {
    digest: `sha256:${compressed.digest('hex')}`,
    size: counter.bytes,
    mediaType,
    diffId: `sha256:${raw.digest('hex')}`,
    open: () => layerStream(label, size),
  };
}

/** An image built in memory (layers excepted), ready to push. */
export interface BuiltImage {
  mediaType: string;
  bytes: Buffer;
  digest: string;
  manifests: { digest: string; mediaType: string; bytes: Buffer; platform?: Platform }[];
  blobs: Blob[];
}

function encode(value: object, format: 'oci' | 'docker'): Buffer {
  // Docker's tools indent with three spaces; any client that re-serialises would change the digest.
  return Buffer.from(format === 'docker' ? JSON.stringify(value, null, 3) : JSON.stringify(value));
}

async function buildPlatform(platform: Platform, platformIndex: number, seed: number, options: Resolved) {
  const types = MEDIA_TYPES[options.format];
  const layers: (Blob & { diffId: string })[] = [];
  for (let i = 0; i < options.layers; i++) {
    const shared = i < options.sharedLayers;
    const label = shared ? `${seed}/shared/${i}` : `${seed}/${platformIndex}/${i}`;
    layers.push(await describeLayer(label, options.layerSize, types.layer));
  }
  const config = encode(
    {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      ...(options.created === undefined ? {} : { created: options.created }),
      config: { Env: ['PATH=/usr/bin:/bin'], Labels: { 'ar-mirror.test.seed': String(seed) } },
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    },
    options.format,
  );
  const configBlob: Blob = {
    digest: sha256(config),
    size: config.length,
    mediaType: types.config,
    bytes: config,
  };
  const descriptor = (blob: Blob) => ({ mediaType: blob.mediaType, size: blob.size, digest: blob.digest });
  const bytes = encode(
    {
      schemaVersion: 2,
      mediaType: types.manifest,
      config: descriptor(configBlob),
      layers: layers.map(descriptor),
      ...(options.subject ? { subject: options.subject } : {}),
    },
    options.format,
  );
  return {
    manifest: { digest: sha256(bytes), mediaType: types.manifest, bytes, platform },
    blobs: [configBlob, ...layers],
  };
}

/** Builds an image from `options` (see {@link RandomImageOptions} for the defaults) without pushing it. */
export async function buildRandomImage(options: RandomImageOptions = {}): Promise<BuiltImage> {
  const resolved: Resolved = {
    platforms: options.platforms ?? ['linux/amd64'],
    layers: options.layers ?? 2,
    layerSize: options.layerSize ?? 64 * 1024,
    format: options.format ?? 'oci',
    sharedLayers: options.sharedLayers ?? 1,
    seed: options.seed ?? randomInt(2 ** 47),
    index: options.index ?? (options.platforms?.length ?? 1) > 1,
    subject: options.subject,
    created: options.created,
  };
  const types = MEDIA_TYPES[resolved.format];
  const built = [];
  for (const [i, text] of resolved.platforms.entries()) {
    built.push(await buildPlatform(parsePlatform(text), i, resolved.seed, resolved));
  }
  const blobs = new Map<string, Blob>();
  for (const blob of built.flatMap((platform) => platform.blobs)) blobs.set(blob.digest, blob);
  const manifests = built.map((platform) => platform.manifest);
  if (!resolved.index) {
    const only = manifests[0]!;
    return {
      mediaType: only.mediaType,
      bytes: only.bytes,
      digest: only.digest,
      manifests,
      blobs: [...blobs.values()],
    };
  }
  const bytes = encode(
    {
      schemaVersion: 2,
      mediaType: types.index,
      manifests: manifests.map((m) => ({
        mediaType: m.mediaType,
        size: m.bytes.length,
        digest: m.digest,
        platform: m.platform,
      })),
    },
    resolved.format,
  );
  return { mediaType: types.index, bytes, digest: sha256(bytes), manifests, blobs: [...blobs.values()] };
}

function expectStatus(what: string, status: number, expected: number, body: Buffer): void {
  if (status !== expected)
    throw new Error(`${what}: expected ${expected}, got ${status}: ${body.toString('utf8', 0, 500)}`);
}

/** Uploads one blob (POST then PUT, as distribution 2.8 needs) unless it is already there. */
export async function pushBlob(
  registry: TestRegistry,
  repository: string,
  blob: { digest: string; size: number; bytes?: Buffer; open?: () => Readable },
): Promise<void> {
  const exists = await registry.fetch(`/v2/${repository}/blobs/${blob.digest}`, { method: 'HEAD' });
  if (exists.status === 200) return;
  const started = await registry.fetch(`/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  expectStatus(`POST upload ${repository}`, started.status, 202, started.body);
  const location = new URL(started.headers.location ?? '', `${registry.url}/v2/${repository}/blobs/uploads/`);
  location.searchParams.set('digest', blob.digest);
  const body = blob.bytes ?? blob.open!();
  const headers = { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) };
  const done = await registry.fetch(location.href, { method: 'PUT', headers, body });
  expectStatus(`PUT blob ${blob.digest}`, done.status, 201, done.body);
}

/** PUTs manifest bytes under `reference` (a tag or digest) with Content-Type = mediaType; returns the digest. */
export async function pushManifest(
  registry: TestRegistry,
  repository: string,
  reference: string,
  manifest: { bytes: Buffer; mediaType: string },
): Promise<string> {
  const headers = { 'content-type': manifest.mediaType };
  const res = await registry.fetch(`/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers,
    body: manifest.bytes,
  });
  expectStatus(`PUT manifest ${repository}:${reference}`, res.status, 201, res.body);
  return res.headers['docker-content-digest'] ?? '';
}

/** Splits "lib/app:1" into repository and tag. */
function splitRepoAndTag(text: string): { repository: string; tag: string } {
  const colon = text.lastIndexOf(':');
  if (colon <= text.lastIndexOf('/')) throw new Error(`"${text}" needs a tag: expected repository:tag`);
  return { repository: text.slice(0, colon), tag: text.slice(colon + 1) };
}

/** Pushes a built image: blobs (4 at a time), then platform manifests by digest, then the top under `tag`. */
export async function pushBuiltImage(
  registry: TestRegistry,
  repoAndTag: string,
  image: BuiltImage,
): Promise<PushedImage> {
  const { repository, tag } = splitRepoAndTag(repoAndTag);
  const queue = [...image.blobs];
  const worker = async () => {
    for (let blob = queue.shift(); blob; blob = queue.shift()) await pushBlob(registry, repository, blob);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  if (image.manifests.length > 1 || image.manifests[0]?.digest !== image.digest) {
    for (const manifest of image.manifests)
      await pushManifest(registry, repository, manifest.digest, manifest);
  }
  const digest = await pushManifest(registry, repository, tag, image);
  if (digest !== image.digest) throw new Error(`registry stored ${digest}, expected ${image.digest}`);
  return {
    reference: `${registry.host}/${repoAndTag}`,
    digest: image.digest,
    mediaType: image.mediaType,
    manifests: image.manifests.map(({ digest: d, mediaType, platform }) => ({
      digest: d,
      mediaType,
      platform,
    })),
    blobs: image.blobs.map(({ digest: d, size }) => ({ digest: d, size })),
  };
}

/** Builds a random image (see {@link RandomImageOptions} for defaults) and pushes it as `repoAndTag`. */
export async function pushRandomImage(
  registry: TestRegistry,
  repoAndTag: string,
  options: RandomImageOptions = {},
): Promise<PushedImage> {
  return pushBuiltImage(registry, repoAndTag, await buildRandomImage(options));
}
