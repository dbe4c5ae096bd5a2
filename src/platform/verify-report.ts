/**
 * What `ar-mirror verify` concludes about one mirror reference (pure): the outcome names, the
 * platforms a manifest carries, and whether a mirrored index is a platform subset of the
 * upstream's current one (a `--platform` copy gets a new index digest of the same images).
 */
import { asList, asObject, asText } from '../cloud/json.js';

/** A failure (exit 1) or a note. */
export type VerifyStatus = 'ok' | 'missing' | 'digest-mismatch' | 'platform-missing' | 'error';

/** What verify found for one reference. */
export interface VerifyResult {
  /** The reference as written (canonical form). */
  image: string;
  /** `file:line` of each place that writes it (at most 10). */
  locations: string[];
  status: VerifyStatus;
  /** The digest the mirror serves for it. */
  digest: string | null;
  /** Why it failed. */
  problems: string[];
  /** The upstream comparison: `current`, `moved`, or why it was not compared. */
  upstream: {
    source: string | null;
    state: 'current' | 'platform-subset' | 'moved' | 'unchecked';
    digest: string | null;
    detail: string;
  };
  /** Platforms the image carries (for --platform). */
  platforms: string[];
}

/** The failing statuses. */
export function isFailure(status: VerifyStatus): boolean {
  return status !== 'ok';
}

/** The `os/arch[/variant]` of an index's entries, or undefined for a single manifest. */
export function indexPlatforms(manifest: unknown): string[] | undefined {
  const object = asObject(manifest);
  if (!object || !Array.isArray(object.manifests)) return undefined;
  return asList(object.manifests, 1000)
    .map((entry) => asObject(asObject(entry)?.platform))
    .filter((p): p is Record<string, unknown> => p !== undefined)
    .map((p) =>
      [asText(p.os, 50), asText(p.architecture, 50), asText(p.variant, 50)].filter(Boolean).join('/'),
    )
    .filter((text) => text.includes('/') && !text.startsWith('unknown/'));
}

/** The child digests of an index. */
export function indexChildren(manifest: unknown): string[] {
  return asList(asObject(manifest)?.manifests, 1000)
    .map((entry) => asText(asObject(entry)?.digest, 200))
    .filter((digest): digest is string => digest !== undefined);
}

/** True when every child of the mirrored index is a child of the upstream index. */
export function isPlatformSubset(mirrorIndex: unknown, upstreamIndex: unknown): boolean {
  const mirror = indexChildren(mirrorIndex);
  const upstream = new Set(indexChildren(upstreamIndex));
  return mirror.length > 0 && mirror.every((digest) => upstream.has(digest));
}

/** The platform of an image config (`os`, `architecture`, `variant`). */
export function configPlatform(config: unknown): string | undefined {
  const object = asObject(config);
  const os = asText(object?.os, 50);
  const architecture = asText(object?.architecture, 50);
  if (!os || !architecture) return undefined;
  const variant = asText(object?.variant, 50);
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}

/** True when `carried` satisfies `wanted` (`linux/arm64` is met by `linux/arm64/v8`). */
export function hasPlatform(carried: readonly string[], wanted: string): boolean {
  return carried.some((p) => p === wanted || (wanted.split('/').length === 2 && p.startsWith(`${wanted}/`)));
}
