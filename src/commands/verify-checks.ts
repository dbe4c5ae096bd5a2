/**
 * The registry side of `ar-mirror verify`, per mirror reference: does it exist, do its tag and
 * pinned digest agree, does it carry each platform, and is it still the upstream's current image
 * for that tag (and if not, since when the upstream moved, as far as the registry says).
 */
import { errorMessage } from '../errors.js';
import { type MirrorTarget, sourceOf } from '../platform/mirror-target.js';
import {
  configPlatform,
  hasPlatform,
  indexPlatforms,
  isPlatformSubset,
  type VerifyResult,
} from '../platform/verify-report.js';
import { formatReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { printable } from '../text/escape.js';
import type { RegistryReader } from './registry-reader.js';

/** Checks one reference; never throws (a registry failure becomes status `error`). */
export async function verifyReference(
  reader: RegistryReader,
  ref: ImageReference,
  options: { target: MirrorTarget; platforms: readonly string[]; locations: string[] },
): Promise<VerifyResult> {
  const result: VerifyResult = {
    image: formatReference(ref),
    locations: options.locations.slice(0, 10),
    status: 'ok',
    digest: null,
    problems: [],
    upstream: { source: null, state: 'unchecked', digest: null, detail: '' },
    platforms: [],
  };
  try {
    const found = await resolveMirror(reader, ref, result);
    if (!found) return result;
    const manifest = JSON.parse((await reader.manifest(ref, found)).bytes.toString('utf8')) as unknown;
    await checkPlatforms(reader, ref, manifest, options.platforms, result);
    await compareUpstream(reader, ref, manifest, options, result);
  } catch (err) {
    result.status = 'error';
    result.problems.push(printable(errorMessage(err), 500));
  }
  return result;
}

/** Sets digest, or missing/digest-mismatch; returns the digest to read further, if any. */
async function resolveMirror(reader: RegistryReader, ref: ImageReference, result: VerifyResult) {
  const byTag = ref.tag === undefined ? undefined : await reader.head({ ...ref, digest: undefined });
  const byDigest = ref.digest === undefined ? undefined : await reader.head(ref);
  if (ref.tag !== undefined && !byTag) {
    result.status = 'missing';
    result.problems.push(
      `tag ${ref.tag} does not exist in the mirror${byDigest ? ' (the pinned digest does)' : ''}`,
    );
  }
  if (ref.digest !== undefined && !byDigest) {
    result.status = 'missing';
    result.problems.push(`digest ${ref.digest} does not exist in the mirror`);
  }
  if (byTag && ref.digest !== undefined && byTag.digest !== ref.digest) {
    result.status = 'digest-mismatch';
    result.problems.push(`tag ${ref.tag} names ${byTag.digest}, the reference pins ${ref.digest}`);
  }
  result.digest = ref.digest ?? byTag?.digest ?? null;
  return result.status === 'missing' ? undefined : (byDigest?.digest ?? byTag?.digest);
}

async function platformsOf(
  reader: RegistryReader,
  ref: ImageReference,
  manifest: unknown,
): Promise<string[]> {
  const listed = indexPlatforms(manifest);
  if (listed) return listed;
  const config = (manifest as { config?: { digest?: unknown } } | null)?.config?.digest;
  if (typeof config !== 'string') return [];
  const platform = configPlatform(await reader.jsonBlob(ref, config));
  return platform ? [platform] : [];
}

async function checkPlatforms(
  reader: RegistryReader,
  ref: ImageReference,
  manifest: unknown,
  wanted: readonly string[],
  result: VerifyResult,
): Promise<void> {
  if (wanted.length === 0) return;
  result.platforms = await platformsOf(reader, ref, manifest);
  const lacking = wanted.filter((platform) => !hasPlatform(result.platforms, platform));
  if (lacking.length === 0) return;
  if (result.status === 'ok') result.status = 'platform-missing';
  result.problems.push(
    `lacks platform(s) ${lacking.join(', ')} (carries ${result.platforms.join(', ') || 'none'})`,
  );
}

async function compareUpstream(
  reader: RegistryReader,
  ref: ImageReference,
  manifest: unknown,
  options: { target: MirrorTarget; platforms: readonly string[] },
  result: VerifyResult,
): Promise<void> {
  const source = sourceOf(ref, options.target);
  const upstream = result.upstream;
  if (!source) {
    upstream.detail = `cannot map ${result.image} back to a source with path template ${options.target.pathTemplate}`;
    return;
  }
  upstream.source = formatReference({ ...source, digest: undefined });
  if (source.tag === undefined) {
    upstream.detail = 'pinned by digest only: no upstream tag to compare';
    return;
  }
  try {
    const current = await reader.head({ ...source, digest: undefined });
    if (!current) {
      upstream.detail = `the upstream tag ${source.tag} no longer exists`;
      return;
    }
    upstream.digest = current.digest;
    if (current.digest === result.digest) {
      upstream.state = 'current';
      return;
    }
    const upstreamManifest = JSON.parse(
      (await reader.manifest(source, current.digest)).bytes.toString('utf8'),
    ) as unknown;
    if (isPlatformSubset(manifest, upstreamManifest)) {
      upstream.state = 'platform-subset';
      upstream.detail = 'a platform subset of the upstream index';
      return;
    }
    upstream.state = 'moved';
    upstream.detail = `the upstream moved: ${upstream.source} now names ${current.digest}${await movedWhen(reader, source, current.digest, upstreamManifest, options.platforms)}`;
  } catch (err) {
    upstream.detail = `could not read the upstream: ${printable(errorMessage(err), 300)}`;
  }
}

/** `, built …` from the upstream image's config `created`, and `, last modified …` when sent. */
async function movedWhen(
  reader: RegistryReader,
  source: ImageReference,
  digest: string,
  manifest: unknown,
  platforms: readonly string[],
): Promise<string> {
  const parts: string[] = [];
  const stamp = reader.lastModified(source, digest) ?? reader.lastModified(source, source.tag ?? '');
  try {
    let image: unknown = manifest;
    const children = (
      manifest as {
        manifests?: { digest?: unknown; platform?: { os?: unknown; architecture?: unknown } }[];
      } | null
    )?.manifests;
    if (Array.isArray(children)) {
      const wanted = platforms[0] ?? 'linux/amd64';
      const child =
        children.find(
          (c) => `${c.platform?.os}/${c.platform?.architecture}` === wanted.split('/').slice(0, 2).join('/'),
        ) ?? children[0];
      if (typeof child?.digest !== 'string') return '';
      image = JSON.parse((await reader.manifest(source, child.digest)).bytes.toString('utf8')) as unknown;
    }
    const config = (image as { config?: { digest?: unknown } } | null)?.config?.digest;
    if (typeof config === 'string') {
      const created = (await reader.jsonBlob(source, config)) as { created?: unknown } | null;
      if (typeof created?.created === 'string' && created.created.length <= 40)
        parts.push(`built ${printable(created.created, 40)}`);
    }
  } catch {
    // The date is a courtesy: without it the report still says the upstream moved.
  }
  if (stamp) parts.push(`last modified ${printable(stamp, 100)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
