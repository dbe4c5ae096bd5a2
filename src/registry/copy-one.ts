/**
 * One reference of a copy (the image, or one of its signatures) in two halves: `resolveOne`
 * only reads (both registries) and decides everything, `pushResolved` writes. A copy resolves
 * all its references before it writes any, so a source that breaks a rule or a limit is refused
 * before anything reaches the destination.
 */
import { errorMessage, MirrorError } from '../errors.js';
import type { Digest } from '../reference/digest.js';
import type { FetchedManifest, ManifestDescriptor, RegistryClient } from './client.js';
import { collectImage, type ImageTree, topManifest } from './collect.js';
import { type Engine, pushImage, step } from './copy-engine.js';
import { ImmutableTagError } from './errors/immutable-tag-error.js';
import { indexPlatforms, isIndexMediaType, parseManifest } from './media-types.js';
import type { ManifestReference, Repository, Tag } from './names.js';
import { formatPlatform, parsePlatform } from './platform.js';

/** Where a resolved reference goes at the destination. */
export interface Target {
  tag?: Tag | undefined;
  digest?: Digest | undefined;
  /** `os/arch[/variant]` to keep from an index. Default: all. */
  platforms?: string[] | undefined;
  /** Read a single-manifest image's platform from its config (one small GET). */
  reportPlatform?: boolean;
}

/** A reference resolved at the source, ready to push (or already at the destination). */
export interface Resolved {
  /** The digest the destination will hold. */
  digest: Digest;
  sourceDigest: Digest;
  mediaType: string;
  platforms: string[];
  /** The destination already has it: nothing is written. */
  unchanged: boolean;
  /** The source's top manifest (undefined when unchanged). */
  root?: FetchedManifest;
  tree?: ImageTree;
  tag?: Tag | undefined;
}

/**
 * Resolves one source reference. Fast path: when the destination tag already has the source
 * digest, the source only gets a HEAD (a manifest GET counts against Docker Hub's pull limit, a
 * HEAD does not), and the destination a HEAD, or one GET with the `destinationGet` shortcut.
 * Otherwise the source manifest is fetched as soon as it is known to be needed: at once when
 * there is no fast path to look for, and as soon as the destination turns out not to hold the
 * reference, without waiting for the source's HEAD (one round trip less on a cold copy).
 */
export async function resolveOne(
  engine: Engine,
  srcRef: ManifestReference,
  target: Target,
): Promise<Resolved> {
  const dstRef = target.tag ?? target.digest;
  // With a platform subset the destination digest is only known later, so the fast path is off;
  // immutable tags still need to know what the tag names now.
  const checkDst = dstRef !== undefined && (!target.platforms || (engine.immutableTags && !!target.tag));
  const read = checkDst
    ? await readBoth(engine, srcRef, dstRef, target)
    : { root: await fetchRoot(engine, srcRef), dstHead: undefined };
  if ('unchanged' in read) return read;
  const { root, dstHead } = read;
  // Checked before the children are fetched: no blob is even looked at for a copy bound to fail.
  const { digest: topDigest } = topManifest(root, target.platforms);
  if (target.digest && target.digest !== topDigest) {
    throw new MirrorError(`destination digest ${target.digest} does not match the source ${topDigest}`);
  }
  if (engine.immutableTags && target.tag && dstHead && dstHead.digest !== topDigest) {
    throw new ImmutableTagError(target.tag, dstHead.digest, topDigest);
  }
  const tree = await collectImage(engine, root, target.platforms);
  const { digest, mediaType } = tree.top;
  const platforms =
    tree.children.length === 0 && target.reportPlatform
      ? await configPlatform(engine, engine.src, engine.srcRepo, tree.top)
      : tree.platforms;
  return {
    digest,
    sourceDigest: root.digest,
    mediaType,
    platforms,
    unchanged: false,
    root,
    tree,
    tag: target.tag,
  };
}

/** The source's manifest when no fast path is looked for. */
function fetchRoot(engine: Engine, srcRef: ManifestReference): Promise<FetchedManifest> {
  askFreshness(engine);
  return fetchSource(engine, srcRef);
}

/**
 * Asks both registries at once: the source for a HEAD, the destination for what it holds under
 * `dstRef`. The same digest on both sides is the fast path (an unchanged Resolved); otherwise
 * the source's manifest and the destination's answer.
 */
async function readBoth(
  engine: Engine,
  srcRef: ManifestReference,
  dstRef: ManifestReference,
  target: Target,
): Promise<Resolved | { root: FetchedManifest; dstHead: ManifestDescriptor | FetchedManifest | undefined }> {
  const srcHead = step('resolving source', () => engine.src.headManifest(engine.srcRepo, srcRef));
  const dstRead = step('checking destination', () => readDestination(engine, dstRef));
  let dstHead: ManifestDescriptor | FetchedManifest | undefined;
  try {
    // The destination's answer, or the source HEAD's failure if that comes first (as Promise.all).
    dstHead = await Promise.race([dstRead, srcHead.then(() => dstRead)]);
  } catch (err: unknown) {
    // A failed copy leaves no request of its own in flight: the other read is waited for.
    await Promise.allSettled([srcHead, dstRead]);
    throw err;
  }
  if (dstHead === undefined) {
    // The HEAD is only waited for so that no request of the copy outlives it; its answer is moot.
    const [root] = await Promise.allSettled([fetchSource(engine, srcRef), srcHead]);
    if (root.status === 'rejected') throw root.reason;
    return { root: root.value, dstHead };
  }
  const head = await srcHead;
  if (head && dstHead.digest === head.digest && !target.platforms) {
    const platforms = await step('reading destination', () =>
      existingPlatforms(engine, dstHead, target.reportPlatform === true),
    );
    const { digest, mediaType } = head;
    return { digest, sourceDigest: digest, mediaType, platforms, unchanged: true, tag: target.tag };
  }
  return { root: await fetchSource(engine, head?.digest ?? srcRef), dstHead };
}

function fetchSource(engine: Engine, reference: ManifestReference): Promise<FetchedManifest> {
  return step('fetching source manifest', () => engine.src.getManifest(engine.srcRepo, reference));
}

/** Writes what resolveOne decided: blobs, children, then the top manifest under its tag. */
export async function pushResolved(engine: Engine, resolved: Resolved): Promise<void> {
  if (resolved.unchanged || !resolved.tree) return;
  await pushImage(engine, resolved.tree, resolved.tag);
}

/**
 * What the destination holds under `reference`: a HEAD, or with the `destinationGet` shortcut
 * one GET (whose bytes then also tell the platforms, sparing a second request on a re-copy; the
 * destination's manifest GETs count against no pull limit). Learns on the way whether the
 * repository exists: a tag it has says it does; a missing one asks (askFreshness).
 */
async function readDestination(
  engine: Engine,
  reference: ManifestReference,
): Promise<ManifestDescriptor | FetchedManifest | undefined> {
  const found = engine.session.shortcuts.destinationGet
    ? await engine.dst.findManifest(engine.dstRepo, reference)
    : await engine.dst.headManifest(engine.dstRepo, reference);
  if (found === undefined) askFreshness(engine);
  else engine.fresh ??= Promise.resolve(false);
  return found;
}

/**
 * Asks once (beside the source's resolution) whether the destination repository exists, where
 * the session trusts the answer (Shortcuts.freshRepositories); blob HEADs are skipped in a new one.
 */
function askFreshness(engine: Engine): void {
  if (engine.fresh || !engine.session.trustsFreshRepositories(engine.dst.registry)) return;
  engine.fresh = engine.dst.repositoryState(engine.dstRepo).then((state) => state === 'absent');
}

async function existingPlatforms(
  engine: Engine,
  head: ManifestDescriptor | FetchedManifest,
  reportPlatform: boolean,
): Promise<string[]> {
  if (!reportPlatform && !isIndexMediaType(head.mediaType)) return [];
  const manifest = 'bytes' in head ? head : await engine.dst.getManifest(engine.dstRepo, head.digest);
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind === 'image') {
    return reportPlatform ? configPlatform(engine, engine.dst, engine.dstRepo, manifest) : [];
  }
  return [...new Set(indexPlatforms(parsed.manifests))];
}

const IMAGE_CONFIGS = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);
// Image configs are a few KiB; one far larger is not worth reading for a platform label.
const CONFIG_LIMIT = 1024 * 1024;

/**
 * The `os/architecture[/variant]` of a single-manifest image, from its config blob. A config
 * that cannot be read or parsed only costs the label ([] and a debug line); one whose platform
 * breaks the grammar refuses the image, as an index's platforms do.
 */
async function configPlatform(
  engine: Engine,
  client: RegistryClient,
  repository: Repository,
  manifest: { bytes: Buffer; mediaType: string },
): Promise<string[]> {
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind !== 'image' || !IMAGE_CONFIGS.has(parsed.config.mediaType)) return [];
  if (parsed.config.size > CONFIG_LIMIT) return [];
  let config: Record<string, unknown>;
  try {
    const bytes = await client.readBlob(repository, parsed.config.digest, CONFIG_LIMIT);
    config = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch (err: unknown) {
    engine.logger.debug(`could not read the platform from ${parsed.config.digest}: ${errorMessage(err)}`);
    return [];
  }
  if (typeof config !== 'object' || config === null) return [];
  // Artifacts (cosign signatures, Helm charts) leave both empty: nothing to label.
  if (!config.os && !config.architecture) return [];
  return [formatPlatform(parsePlatform(config, `config ${parsed.config.digest}`))];
}

/** Reads the destination's digest for `reference` back and checks it is `expected`. */
export async function verifyDestination(
  engine: Engine,
  reference: ManifestReference,
  expected: Digest,
): Promise<Digest> {
  return step('verifying the destination', async () => {
    const head = await engine.dst.headManifest(engine.dstRepo, reference);
    if (!head) throw new MirrorError(`${reference} is missing after the copy`);
    if (head.digest !== expected)
      throw new MirrorError(`${reference} has digest ${head.digest}, expected ${expected}`);
    return head.digest;
  });
}
