/**
 * Resolving an image at the source into what must be pushed, before anything is written: the
 * manifest tree (children de-duplicated by digest, nesting bounded by MAX_INDEX_DEPTH, each
 * manifest fetched once per job and charged to the job's budget) and the distinct blobs.
 */
import { MirrorError } from '../errors.js';
import type { Digest } from '../reference/digest.js';
import { mapLimit } from '../util/map-limit.js';
import { startBlob } from './blob-transfer.js';
import type { FetchedManifest } from './client.js';
import { type Engine, step } from './copy-engine.js';
import { computeDigest, DigestMismatchError } from './digest.js';
import { LimitExceededError, MAX_BLOBS_PER_JOB, MAX_INDEX_DEPTH } from './limits.js';
import {
  type Descriptor,
  formatPlatform,
  isForeignLayer,
  type Platform,
  parseManifest,
} from './media-types.js';

/** An image resolved at the source: what to push, in which order. */
export interface ImageTree {
  /** The manifest the tag will point at (a new index when platforms were selected). */
  top: FetchedManifest;
  /** Child manifests, distinct, in push order (an index's own children before it). */
  children: FetchedManifest[];
  /** Distinct config and layer blobs, foreign layers excluded. */
  blobs: Descriptor[];
  /** `os/arch[/variant]` of each platform manifest (empty for a single-manifest image). */
  platforms: string[];
  /** Some child is itself an index, whose own children must land before it. */
  nested: boolean;
}

/**
 * A child manifest of the source by digest, fetched once per job however often it is listed;
 * its size must be the descriptor's.
 */
export function fetchManifest(
  engine: Engine,
  descriptor: Pick<Descriptor, 'digest' | 'size'>,
): Promise<FetchedManifest> {
  let pending = engine.manifests.get(descriptor.digest);
  if (!pending) {
    pending = step(`fetching manifest ${descriptor.digest}`, async () => {
      const manifest = await engine.fetches(() => engine.src.getManifest(engine.srcRepo, descriptor.digest));
      if (manifest.size !== descriptor.size) {
        throw new DigestMismatchError(`it is ${manifest.size} bytes, its descriptor says ${descriptor.size}`);
      }
      return manifest;
    });
    engine.manifests.set(descriptor.digest, pending);
  }
  return pending;
}

/**
 * Resolves the tree under `root` (at nesting `depth`, 0 for the top). With `platforms`, an index
 * keeps only the matching children and is re-serialised, which necessarily gives it a new digest.
 * Pipelined: each child is resolved as soon as its manifest arrives, and each image manifest's
 * blobs start their transfers at once (their reads only: the write gate holds every write until
 * the whole copy is resolved), while the other children are still being fetched.
 */
export async function collectImage(
  engine: Engine,
  root: FetchedManifest,
  platforms?: string[],
  depth = 0,
): Promise<ImageTree> {
  const parsed = parseManifest(root.bytes, root.mediaType);
  const top = { ...root, mediaType: root.mediaType || parsed.mediaType };
  if (parsed.kind === 'image') {
    const blobs = imageBlobs(engine, [parsed.config, ...parsed.layers]);
    checkBlobRoom(engine, blobs);
    for (const blob of blobs) startBlob(engine, blob);
    return { top, children: [], blobs, platforms: [], nested: false };
  }
  if (depth >= MAX_INDEX_DEPTH) {
    throw new LimitExceededError(`indexes nest more than ${MAX_INDEX_DEPTH} levels deep (the limit)`);
  }
  const keep = platforms?.length ? selectPlatforms(parsed.manifests, platforms) : undefined;
  const selected = keep ? parsed.manifests.filter((_, i) => keep[i]) : parsed.manifests;
  const tree: ImageTree = { top: topOf(top, keep), children: [], blobs: [], platforms: [], nested: false };
  const distinct = uniqueByDigest(selected);
  const subtrees = await mapLimit(distinct, engine.jobs, async (d) => {
    const child = await fetchManifest(engine, d);
    return collectImage(
      engine,
      { ...child, mediaType: child.mediaType || d.mediaType },
      undefined,
      depth + 1,
    );
  });
  for (const sub of subtrees) {
    tree.children.push(...sub.children, sub.top);
    // collectImage gave the child children of its own: it is an index.
    if (sub.children.length > 0 || sub.nested) tree.nested = true;
    tree.blobs.push(...sub.blobs);
  }
  tree.children = uniqueByDigest(tree.children);
  tree.blobs = uniqueByDigest(tree.blobs);
  tree.platforms = [...new Set(selected.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : [])))];
  return tree;
}

/**
 * The manifest the destination tag will name, from the source's top manifest alone (before any
 * child is fetched, so a copy bound to fail on it fails before any other request): `root`
 * itself, or with `platforms` a new index of the matching children.
 */
export function topManifest(root: FetchedManifest, platforms?: string[]): FetchedManifest {
  const parsed = parseManifest(root.bytes, root.mediaType);
  const top = { ...root, mediaType: root.mediaType || parsed.mediaType };
  if (parsed.kind === 'image' || !platforms?.length) return top;
  return topOf(top, selectPlatforms(parsed.manifests, platforms));
}

function topOf(top: FetchedManifest, keep: readonly boolean[] | undefined): FetchedManifest {
  return keep?.some((k) => !k) ? rewriteIndex(top, keep) : top;
}

/** Refuses, before any of them starts, blobs that would take the job past MAX_BLOBS_PER_JOB. */
function checkBlobRoom(engine: Engine, blobs: readonly Descriptor[]): void {
  const added = new Set(blobs.map((b) => b.digest).filter((d) => !engine.blobs.has(d))).size;
  if (engine.blobs.size + added > MAX_BLOBS_PER_JOB) {
    throw new LimitExceededError(`the image has more than ${MAX_BLOBS_PER_JOB} blobs (the limit per copy)`);
  }
}

function imageBlobs(engine: Engine, blobs: Descriptor[]): Descriptor[] {
  return blobs.filter((blob) => {
    if (!isForeignLayer(blob)) return true;
    if (!engine.stats.foreign.includes(blob.digest)) {
      engine.stats.foreign.push(blob.digest);
      engine.logger.info(`skipped ${blob.digest} (foreign layer, not distributable)`);
    }
    return false;
  });
}

/** The first of each digest, in order. */
export function uniqueByDigest<T extends { digest: Digest }>(items: readonly T[]): T[] {
  const seen = new Map<Digest, T>();
  for (const item of items) if (!seen.has(item.digest)) seen.set(item.digest, item);
  return [...seen.values()];
}

/**
 * Which children match one of `wanted` (`os/arch[/variant]`, validated by the settings), as one
 * flag per child; a wanted platform no child has is an error listing what the index has.
 */
export function selectPlatforms(manifests: readonly Descriptor[], wanted: readonly string[]): boolean[] {
  const matches = (p: Platform | undefined, w: string) => {
    const [os, architecture, variant] = w.split('/');
    return (
      p?.os === os && p?.architecture === architecture && (variant === undefined || p?.variant === variant)
    );
  };
  const missing = wanted.filter((w) => !manifests.some((m) => matches(m.platform, w)));
  if (missing.length > 0) {
    const available = [
      ...new Set(manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : []))),
    ];
    throw new MirrorError(
      `platform ${missing.join(', ')} not in the source index (it has ${available.join(', ')})`,
    );
  }
  return manifests.map((m) => wanted.some((w) => matches(m.platform, w)));
}

/** The index with only the children flagged in `keep`, each entry kept as the source wrote it. */
function rewriteIndex(index: FetchedManifest, keep: readonly boolean[]): FetchedManifest {
  const doc = JSON.parse(index.bytes.toString('utf8')) as { manifests: unknown[] };
  doc.manifests = doc.manifests.filter((_, i) => keep[i]);
  const bytes = Buffer.from(JSON.stringify(doc));
  return { bytes, digest: computeDigest(bytes), mediaType: index.mediaType, size: bytes.length };
}
