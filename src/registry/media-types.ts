import { MirrorError } from '../errors.js';

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

/** An OCI platform. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An OCI content descriptor (the fields ar-mirror reads). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  platform?: Platform;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** A parsed manifest: an index of manifests, or an image (or artifact) with config and layers. */
export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

/** True for an OCI index or a Docker manifest list. */
export function isIndexMediaType(mediaType: string): boolean {
  return INDEXES.has(mediaType);
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

/** `os/architecture[/variant]`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/**
 * Parses manifest bytes. The media type is the registry's Content-Type, else the document's
 * own `mediaType`. Schema 1 is refused: it is obsolete and cannot be copied digest-for-digest.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new MirrorError('manifest is not valid JSON');
  }
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  const mediaType = header && header !== 'application/json' ? header : (declared ?? guessMediaType(doc));
  if (SCHEMA1.has(mediaType) || doc.schemaVersion === 1) {
    throw new MirrorError(
      'schema 1 manifests are obsolete and not supported; rebuild or re-push the image with a current client',
    );
  }
  if (isIndexMediaType(mediaType) || Array.isArray(doc.manifests)) {
    return { kind: 'index', mediaType, manifests: descriptors(doc.manifests) };
  }
  const config = descriptors([doc.config])[0];
  if (!config) throw new MirrorError(`manifest of type ${mediaType} has no config`);
  return { kind: 'image', mediaType, config, layers: descriptors(doc.layers ?? []) };
}

function guessMediaType(doc: Record<string, unknown>): string {
  return Array.isArray(doc.manifests) ? OCI_INDEX : OCI_MANIFEST;
}

function descriptors(value: unknown): Descriptor[] {
  if (!Array.isArray(value)) throw new MirrorError('manifest lists are not arrays of descriptors');
  return value.map((item) => {
    const d = item as Partial<Descriptor> | null;
    if (!d || typeof d.digest !== 'string' || typeof d.size !== 'number' || typeof d.mediaType !== 'string') {
      throw new MirrorError('manifest has a descriptor without mediaType, digest or size');
    }
    return d as Descriptor;
  });
}
