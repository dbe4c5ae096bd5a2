/**
 * Manifest media types, and the one parser of what a registry sends as a manifest: every
 * descriptor comes out validated (a Digest, a safe non-negative size, a bounded media type, a
 * platform by the grammar), and lists are bounded, so nothing downstream ever handles raw JSON
 * from a registry. A value outside the rules throws InvalidManifestError saying which field.
 */
import { MirrorError } from '../errors.js';
import { type Digest, parseDigest } from '../reference/digest.js';
import { LimitExceededError, MAX_INDEX_ENTRIES, MAX_LAYERS } from './limits.js';
import { quoted } from './names.js';
import { formatPlatform, type Platform, parsePlatform } from './platform.js';

export { formatPlatform, type Platform } from './platform.js';

/** OCI image index. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** OCI image manifest. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** Docker manifest list (schema 2). */
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** Docker image manifest (schema 2). */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/**
 * The `Accept` header of every manifest request: all four types, because distribution answers
 * an OCI index with 404 and converts schema 2 to schema 1 when a type is missing (REFERENCE.md §4).
 */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');

const SCHEMA1 = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);
const INDEXES = new Set([OCI_INDEX, DOCKER_LIST]);

// RFC 6838 §4.2 type/subtype names (127 characters each at most), which the OCI spec requires.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
// A layer may name where to fetch it; the URLs are never fetched, only counted.
const MAX_URLS = 16;

/** A manifest (or one of its fields) breaks the rules above. */
export class InvalidManifestError extends MirrorError {}

/** An OCI content descriptor (the fields ar-mirror reads), validated by parseDescriptor. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  /** Bytes; a non-negative safe integer. */
  size: number;
  /** Present (and non-empty) on foreign layers, which are not copied. */
  urls?: string[];
  platform?: Platform;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** A parsed manifest: an index of manifests, or an image (or artifact) with config and layers. */
export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[]; subject?: Descriptor }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[]; subject?: Descriptor };

/** True for an OCI index or a Docker manifest list. */
export function isIndexMediaType(mediaType: string): boolean {
  return INDEXES.has(mediaType);
}

/** True for a media type by the RFC 6838 grammar (a `; parameter` is not part of it). */
export function isMediaType(text: unknown): text is string {
  return typeof text === 'string' && MEDIA_TYPE.test(text);
}

/** The media type of a Content-Type header without parameters; '' when absent or malformed. */
export function headerMediaType(header: string | undefined): string {
  const type = (header ?? '').split(';')[0]!.trim();
  return isMediaType(type) ? type : '';
}

/**
 * True for a layer that must not be pushed anywhere: it names `urls` to fetch it from, or has a
 * non-distributable (Windows base layer) media type. Registries and tools skip these by default.
 */
export function isForeignLayer(layer: Descriptor): boolean {
  return (
    (layer.urls !== undefined && layer.urls.length > 0) ||
    layer.mediaType === 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip' ||
    layer.mediaType.startsWith('application/vnd.oci.image.layer.nondistributable.')
  );
}

/**
 * Parses manifest bytes. The media type is the registry's Content-Type, else the document's
 * own `mediaType`. Schema 1 is refused: it is obsolete and cannot be copied digest-for-digest.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidManifestError('manifest is not valid JSON');
  }
  if (!isRecord(doc)) throw new InvalidManifestError('manifest is not a JSON object');
  const mediaType = manifestMediaType(doc, contentType);
  if (SCHEMA1.has(mediaType) || doc.schemaVersion === 1) {
    throw new InvalidManifestError(
      'schema 1 manifests are obsolete and not supported; rebuild or re-push the image with a current client',
    );
  }
  const subject = doc.subject === undefined ? {} : { subject: parseDescriptor(doc.subject, 'subject') };
  if (isIndexMediaType(mediaType) || Array.isArray(doc.manifests)) {
    const manifests = descriptorList(doc.manifests, 'manifests', MAX_INDEX_ENTRIES);
    return { kind: 'index', mediaType, manifests, ...subject };
  }
  if (doc.config === undefined) throw new InvalidManifestError(`manifest of type ${mediaType} has no config`);
  const config = parseDescriptor(doc.config, 'config');
  const layers = doc.layers === undefined ? [] : descriptorList(doc.layers, 'layers', MAX_LAYERS);
  return { kind: 'image', mediaType, config, layers, ...subject };
}

function manifestMediaType(doc: Record<string, unknown>, contentType: string | undefined): string {
  if (doc.mediaType !== undefined && !isMediaType(doc.mediaType)) {
    throw new InvalidManifestError(`manifest mediaType ${quoted(doc.mediaType)} is not a media type`);
  }
  const header = headerMediaType(contentType);
  if (header && header !== 'application/json') return header;
  if (typeof doc.mediaType === 'string') return doc.mediaType;
  return Array.isArray(doc.manifests) ? OCI_INDEX : OCI_MANIFEST;
}

/** A bounded list of descriptors; `field` names it in errors. */
function descriptorList(value: unknown, field: string, max: number): Descriptor[] {
  if (!Array.isArray(value))
    throw new InvalidManifestError(`manifest "${field}" is not a list of descriptors`);
  if (value.length > max) {
    throw new LimitExceededError(`manifest "${field}" lists ${value.length} entries; the limit is ${max}`);
  }
  return value.map((item, i) => parseDescriptor(item, `${field}[${i}]`));
}

/**
 * One descriptor, validated; `where` (`manifests[3]`, `layers[0]`, `referrers[2]`) names it in
 * errors. A bad digest is an InvalidDigestError, a bad platform an InvalidPlatformError.
 */
export function parseDescriptor(value: unknown, where: string): Descriptor {
  if (!isRecord(value)) throw new InvalidManifestError(`${where} is not a descriptor object`);
  const { mediaType, size } = value;
  if (!isMediaType(mediaType)) {
    throw new InvalidManifestError(`${where}.mediaType ${quoted(mediaType)} is not a media type`);
  }
  const digest = parseDigest(value.digest, `${where}.digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new InvalidManifestError(`${where}.size must be a non-negative whole number of bytes`);
  }
  const out: Descriptor = { mediaType, digest, size };
  if (value.urls !== undefined) out.urls = urls(value.urls, where);
  if (value.platform !== undefined) out.platform = parsePlatform(value.platform, where);
  if (value.artifactType !== undefined) {
    if (!isMediaType(value.artifactType)) {
      throw new InvalidManifestError(
        `${where}.artifactType ${quoted(value.artifactType)} is not a media type`,
      );
    }
    out.artifactType = value.artifactType;
  }
  if (value.annotations !== undefined) out.annotations = annotations(value.annotations, where);
  return out;
}

function urls(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_URLS || !value.every((u) => typeof u === 'string')) {
    throw new InvalidManifestError(`${where}.urls must be a list of at most ${MAX_URLS} strings`);
  }
  return value as string[];
}

function annotations(value: unknown, where: string): Record<string, string> {
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new InvalidManifestError(`${where}.annotations must map strings to strings`);
  }
  return { ...(value as Record<string, string>) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `os/arch[/variant]` of each platform-labelled child of an index, in order. */
export function indexPlatforms(manifests: readonly Descriptor[]): string[] {
  return manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : []));
}
