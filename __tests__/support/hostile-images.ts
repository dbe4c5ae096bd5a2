/**
 * What the hostile registry serves: a valid image built by images.ts, reshaped by one named
 * misbehaviour into the manifests, blobs and referrers an attacker's registry would send.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type BuiltImage, MEDIA_TYPES } from './images.js';

/** The named misbehaviours (hostile-registry.ts serves them). */
export type Misbehaviour =
  | 'none'
  | 'referrer-path-digest'
  | 'child-path-digest'
  | 'header-digest-path'
  | 'extra-bytes'
  | 'extra-bytes-length'
  | 'index-fanout'
  | 'nested-index-bomb'
  | 'manifest-flood'
  | 'blob-flood'
  | 'slow-manifest'
  | 'slow-blob'
  | 'realm-to-loopback'
  | 'redirect-to-loopback'
  | 'location-downgrade'
  | 'echo-authorization'
  | 'control-chars-in-digest'
  | 'bad-platform';

/** A digest-shaped path: after URL normalisation it names `other/app:1` (PLANTED_PATH). */
export const PATH_DIGEST = '../../../other/app/manifests/1';
/** Where PATH_DIGEST lands when resolved against `/v2/<repo>/manifests/` of a two-part repository. */
export const PLANTED_PATH = '/v2/other/app/manifests/1';
/** A digest carrying a newline and workflow commands. */
export const CONTROL_DIGEST = `sha256:${'c'.repeat(64)}\n::error title=pwned::owned\n::stop-commands::x`;
/** An index platform carrying markdown, a link and a mention. */
export const BAD_ARCHITECTURE = 'arm64](https://evil.example/x) @everyone';

/** One stored manifest. */
export interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
}

/** Everything the registry serves. */
export interface Catalog {
  /** Manifests by digest. */
  manifests: Map<string, StoredManifest>;
  /** The digest served under the image's tag. */
  top: string;
  blobs: Map<string, Buffer>;
  /** Referrers API answers by subject digest; a digest without an entry is answered 404. */
  referrers: Map<string, object[]>;
}

/** Options of the shapes: counts of the fan-out and bombs. */
export interface ShapeOptions {
  /** How often index-fanout lists its one child. Default: 10000. */
  fanout?: number;
  /** manifest-flood: child indexes of the top, and images in each. Default: 40 (1,641 manifests). */
  flood?: number;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const OCI = MEDIA_TYPES.oci;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The valid image as a catalog (layers read into memory: the harness serves small images). */
export async function catalogOf(image: BuiltImage): Promise<Catalog> {
  const blobs = new Map<string, Buffer>();
  for (const blob of image.blobs) blobs.set(blob.digest, blob.bytes ?? (await bytesOf(blob.open!())));
  const manifests = new Map<string, StoredManifest>();
  for (const m of image.manifests) manifests.set(m.digest, { bytes: m.bytes, mediaType: m.mediaType });
  manifests.set(image.digest, { bytes: image.bytes, mediaType: image.mediaType });
  return { manifests, top: image.digest, blobs, referrers: new Map() };
}

function add(catalog: Catalog, doc: object): { mediaType: string; digest: string; size: number } {
  const bytes = Buffer.from(JSON.stringify(doc));
  const mediaType = (doc as { mediaType: string }).mediaType;
  const digest = sha256(bytes);
  catalog.manifests.set(digest, { bytes, mediaType });
  return { mediaType, digest, size: bytes.length };
}

function index(manifests: object[], annotation?: string): object {
  return {
    schemaVersion: 2,
    mediaType: OCI.index,
    manifests,
    ...(annotation === undefined ? {} : { annotations: { 'org.example.n': annotation } }),
  };
}

/** The first platform manifest, parsed, for variants of it. */
function firstPlatform(image: BuiltImage): Record<string, unknown> {
  return JSON.parse(image.manifests[0]!.bytes.toString('utf8')) as Record<string, unknown>;
}

/** A distinct copy of the first platform manifest (same blobs), told apart by an annotation. */
function variant(catalog: Catalog, image: BuiltImage, n: string) {
  return add(catalog, { ...firstPlatform(image), annotations: { 'org.example.n': n } });
}

/** Reshapes `catalog` (built from `image`) for `misbehaviour`; the others are served by routing alone. */
export function shape(
  catalog: Catalog,
  image: BuiltImage,
  misbehaviour: Misbehaviour,
  options: ShapeOptions = {},
): void {
  const children = image.manifests.map((m) => ({
    mediaType: m.mediaType,
    digest: m.digest,
    size: m.bytes.length,
    ...(m.platform ? { platform: m.platform } : {}),
  }));
  if (misbehaviour === 'referrer-path-digest') {
    const referrer = {
      mediaType: OCI.manifest,
      digest: PATH_DIGEST,
      size: 100,
      artifactType: 'application/vnd.example.sig',
    };
    catalog.referrers.set(catalog.top, [referrer]);
    return;
  }
  const top = reshapedTop(catalog, image, misbehaviour, { children, ...options });
  if (top) catalog.top = add(catalog, top).digest;
}

/** The new top manifest a misbehaviour serves under the tag; undefined to keep the image's. */
function reshapedTop(
  catalog: Catalog,
  image: BuiltImage,
  misbehaviour: Misbehaviour,
  options: ShapeOptions & { children: { digest: string }[] },
): object | undefined {
  const { children } = options;
  switch (misbehaviour) {
    case 'child-path-digest':
      return index([{ ...children[0]!, digest: PATH_DIGEST }, ...children.slice(1)]);
    case 'bad-platform':
      return index(
        children.map((c, i) =>
          i === 0 ? c : { ...c, platform: { os: 'linux', architecture: BAD_ARCHITECTURE } },
        ),
      );
    case 'index-fanout':
      return index(Array.from({ length: options.fanout ?? 10_000 }, () => children[0]!));
    case 'control-chars-in-digest': {
      const doc = firstPlatform(image);
      const layers = doc.layers as { digest: string }[];
      return { ...doc, layers: [...layers, { ...layers[0]!, digest: CONTROL_DIGEST }] };
    }
    case 'nested-index-bomb':
      return nest(catalog, image, 4, 3, 'n');
    case 'blob-flood':
      // 5 images of 1,000 distinct one-line layers each: every manifest is within its bounds,
      // the job's blobs together are not (MAX_BLOBS_PER_JOB). Each layer exists and is valid.
      return index(Array.from({ length: 5 }, (_, i) => add(catalog, layerHeavy(catalog, image, i))));
    case 'manifest-flood': {
      const width = options.flood ?? 40;
      const row = (i: number) =>
        Array.from({ length: width }, (_, j) => variant(catalog, image, `${i}/${j}`));
      return index(Array.from({ length: width }, (_, i) => add(catalog, index(row(i), `${i}`))));
    }
    default:
      return undefined;
  }
}

/** The first platform manifest with 1,000 distinct small layers of its own, numbered by `n`. */
function layerHeavy(catalog: Catalog, image: BuiltImage, n: number): object {
  const layers = Array.from({ length: 1000 }, (_, i) => {
    const bytes = Buffer.from(`${n}/${i}\n`);
    const digest = sha256(bytes);
    catalog.blobs.set(digest, bytes);
    return { mediaType: OCI.layer, digest, size: bytes.length };
  });
  return { ...firstPlatform(image), layers };
}

/** An index `depth` levels deep, `width` distinct children on each level, images at the bottom. */
function nest(catalog: Catalog, image: BuiltImage, depth: number, width: number, label: string): object {
  const kids = Array.from({ length: width }, (_, i) =>
    depth === 1
      ? variant(catalog, image, `${label}/${i}`)
      : add(catalog, nest(catalog, image, depth - 1, width, `${label}/${i}`)),
  );
  return index(kids, label);
}
