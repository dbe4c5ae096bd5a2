import { errorMessage, MirrorError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import { formatReference, type ImageReference, parseReference } from '../reference/index.js';
import { createRegistryClient, type RegistryClient } from './client.js';
import { collectImage, createEngine, type Engine, pushImage, step } from './copy-engine.js';
import type { Keychain } from './credentials/types.js';
import { CopyError } from './errors/copy-error.js';
import { ImmutableTagError } from './errors/immutable-tag-error.js';
import { formatPlatform, isIndexMediaType, parseManifest } from './media-types.js';
import { createProgressTracker, type Progress } from './progress.js';
import type { SharedBlobs } from './shared-blobs.js';
import { copySignatures } from './signatures.js';
import { type ConnectionPool, createConnectionPool } from './transport/base.js';
import type { RetryOptions } from './transport/retry.js';

export { CopyError } from './errors/copy-error.js';
export { ImmutableTagError } from './errors/immutable-tag-error.js';
export type { Progress } from './progress.js';

/** Options of copyImage. */
export interface CopyOptions {
  /** Where credentials come from, for both registries. */
  keychain: Keychain;
  /** Hosts spoken to over plain HTTP (`host:port` or `host`). Default: none: HTTPS everywhere. */
  plainHttp?: string[];
  /** Registry name → API endpoint URL overrides (see TransportOptions). Default: none. */
  endpoints?: Readonly<Record<string, string>>;
  /** Extra CA certificates (PEM) to trust; NODE_EXTRA_CA_CERTS works too. Default: none. */
  ca?: string;
  /** Blobs and manifests transferred at once. Default: 4 (the copy is CPU-bound on 2-core runners). */
  jobs?: number;
  /** `os/arch[/variant]` to keep from an index; the result is a new index with a new digest. Default: all. */
  platforms?: string[];
  /** Also copy cosign signature/attestation/SBOM tags and OCI referrers. Default: false. */
  signatures?: boolean;
  /**
   * The destination repository refuses to move tags (Artifact Registry `immutableTags`): a
   * destination tag that already names another digest fails the copy before any upload, instead
   * of a 400 when the tag is pushed. Default: false.
   */
  immutableTags?: boolean;
  /** Default: silentLogger. */
  logger?: Logger;
  /** Called whenever blobs or bytes advance. Default: none. */
  onProgress?: (p: Progress) => void;
  /** Retry policy for requests and whole blob transfers. Default: see RetryOptions. */
  retry?: RetryOptions;
  /** A connection pool to reuse across copies; it is then not closed. Default: a new one per copy. */
  pool?: ConnectionPool;
  /**
   * Blobs the other copies of a run send (createSharedBlobs): a layer another image already sent
   * to the destination registry is mounted from its repository. Default: none (this copy only).
   */
  sharedBlobs?: SharedBlobs;
}

/** What a copy did. */
export interface CopyResult {
  source: string;
  destination: string;
  /** Digest of the manifest the destination now holds. */
  digest: string;
  mediaType: string;
  /** `os/arch[/variant]` of the copied platform manifests (empty for a single-manifest image). */
  platforms: string[];
  blobs: { copied: number; skipped: number; mounted: number };
  /** Bytes uploaded (skipped and mounted blobs count nothing). */
  bytes: number;
  /** Extra tags and referrers copied (`sha256-<hex>.sig`, `@sha256:…`). */
  signatures: string[];
  /** Foreign (non-distributable) layers that were not copied. */
  foreignLayers: string[];
  /** True when `platforms` selected a subset, so the destination index differs from the source. */
  platformSubset: boolean;
  /** The source's digest and the destination's, read back after the copy. */
  verified: { sourceDigest: string; destinationDigest: string };
}

/**
 * Copies `source` to `destination` byte for byte: blobs, then child manifests, then the index,
 * then the tag, and finally reads the destination digest back. A destination written without a
 * tag or digest takes the source's tag. Invalid references throw InvalidReferenceError; every
 * other failure is a CopyError.
 */
export async function copyImage(
  source: string,
  destination: string,
  options: CopyOptions,
): Promise<CopyResult> {
  const src = parseReference(source);
  const dst = destinationReference(destination, src);
  const [srcText, dstText] = [formatReference(src), formatReference(dst)];
  const pool = options.pool ?? createConnectionPool({ ca: options.ca, connections: (options.jobs ?? 4) * 2 });
  try {
    const result = await runCopy(src, dst, { ...options, pool });
    return { ...result, source: srcText, destination: dstText };
  } catch (err: unknown) {
    throw new CopyError(srcText, dstText, err);
  } finally {
    if (!options.pool) await pool.close();
  }
}

/** The destination as written; without tag and digest it takes the source's tag (or digest). */
export function destinationReference(raw: string, src: ImageReference): ImageReference {
  const dst = parseReference(raw);
  const lastSlash = raw.lastIndexOf('/');
  const hasTagOrDigest = raw.includes('@') || raw.indexOf(':', lastSlash + 1) >= 0;
  if (hasTagOrDigest) return dst;
  return { ...dst, tag: src.tag, digest: src.tag === undefined ? src.digest : undefined };
}

async function runCopy(
  src: ImageReference,
  dst: ImageReference,
  options: CopyOptions & { pool: ConnectionPool },
): Promise<Omit<CopyResult, 'source' | 'destination'>> {
  const logger = options.logger ?? silentLogger;
  const engine = createEngine({
    ...clients(src, dst, options, logger),
    srcRepo: src.repository,
    dstRepo: dst.repository,
    jobs: Math.max(1, options.jobs ?? 4),
    canMount: src.registry === dst.registry && src.repository !== dst.repository,
    immutableTags: options.immutableTags ?? false,
    logger,
    progress: createProgressTracker(options.onProgress),
    retry: options.retry,
    shared: options.sharedBlobs,
  });
  const platforms = options.platforms?.length ? options.platforms : undefined;
  const copied = await copyOne(engine, src.digest ?? src.tag!, {
    tag: dst.tag,
    digest: dst.digest,
    platforms,
    reportPlatform: true,
  });
  const signatures = options.signatures
    ? await step('copying signatures', async () => {
        engine.progress.phase('signatures');
        return copySignatures(engine, copied.sourceDigest, (ref) =>
          copyOne(engine, ref, refTarget(ref)).then(() => {}),
        );
      })
    : [];
  engine.progress.phase('verifying');
  // The fast path has just read the destination's digest; anything else is read back now.
  const destinationDigest = copied.unchanged
    ? copied.digest
    : await verify(engine, dst.tag ?? copied.digest, copied.digest);
  engine.progress.phase('done');
  const { copied: n, skipped, mounted, bytes, foreign } = engine.stats;
  logger.info(
    `${formatReference(dst)}: ${copied.digest} (${n} blobs copied, ${skipped} present, ${mounted} mounted)`,
  );
  return {
    digest: copied.digest,
    mediaType: copied.mediaType,
    platforms: copied.platforms,
    blobs: { copied: n, skipped, mounted },
    bytes,
    signatures,
    foreignLayers: foreign,
    platformSubset: platforms !== undefined,
    verified: { sourceDigest: copied.sourceDigest, destinationDigest },
  };
}

function clients(
  src: ImageReference,
  dst: ImageReference,
  options: CopyOptions & { pool: ConnectionPool },
  logger: Logger,
): { src: RegistryClient; dst: RegistryClient } {
  const common = {
    keychain: options.keychain,
    pool: options.pool,
    plainHttp: options.plainHttp ?? [],
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    logger,
    ...(options.retry ? { retry: options.retry } : {}),
  };
  const pull = `repository:${src.repository}:pull`;
  // Push scope first: some registries only read the first scope. The source's pull scope lets a
  // same-registry copy mount blobs instead of uploading them.
  const dstScopes = [
    `repository:${dst.repository}:push,pull`,
    ...(src.registry === dst.registry ? [pull] : []),
  ];
  return {
    src: createRegistryClient({ ...common, registry: src.registry, scopes: [pull] }),
    dst: createRegistryClient({ ...common, registry: dst.registry, scopes: dstScopes }),
  };
}

function refTarget(ref: string): { tag?: string; digest?: string } {
  return ref.includes(':') ? { digest: ref } : { tag: ref };
}

interface CopiedImage {
  digest: string;
  sourceDigest: string;
  mediaType: string;
  platforms: string[];
  /** The destination already had it: nothing was written. */
  unchanged: boolean;
}

/**
 * Copies one source reference. Fast path: when the destination tag already has the source
 * digest, only HEADs are sent (a manifest GET counts against Docker Hub's pull limit, a HEAD does not).
 */
async function copyOne(
  engine: Engine,
  srcRef: string,
  target: {
    tag?: string | undefined;
    digest?: string | undefined;
    platforms?: string[] | undefined;
    /** Read a single-manifest image's platform from its config (one small GET). */
    reportPlatform?: boolean;
  },
): Promise<CopiedImage> {
  const dstRef = target.tag ?? target.digest;
  // With a platform subset the destination digest is only known later, so the fast path is off;
  // immutable tags still need to know what the tag names now.
  const [srcHead, dstHead] = await Promise.all([
    step('resolving source', () => engine.src.headManifest(engine.srcRepo, srcRef)),
    dstRef && (!target.platforms || (engine.immutableTags && target.tag))
      ? step('checking destination', () => engine.dst.headManifest(engine.dstRepo, dstRef))
      : undefined,
  ]);
  if (srcHead && dstHead?.digest === srcHead.digest && !target.platforms) {
    const platforms = await step('reading destination', () =>
      existingPlatforms(engine, srcHead, target.reportPlatform === true),
    );
    const { digest, mediaType } = srcHead;
    return { digest, sourceDigest: digest, mediaType, platforms, unchanged: true };
  }
  const root = await step('fetching source manifest', () =>
    engine.src.getManifest(engine.srcRepo, srcHead?.digest ?? srcRef),
  );
  const tree = await collectImage(engine, root, target.platforms);
  if (target.digest && target.digest !== tree.top.digest) {
    throw new MirrorError(`destination digest ${target.digest} does not match the source ${tree.top.digest}`);
  }
  if (engine.immutableTags && target.tag && dstHead && dstHead.digest !== tree.top.digest) {
    throw new ImmutableTagError(target.tag, dstHead.digest, tree.top.digest);
  }
  await pushImage(engine, tree, target.tag);
  const { digest, mediaType } = tree.top;
  const platforms =
    tree.children.length === 0 && target.reportPlatform
      ? await configPlatform(engine, engine.src, engine.srcRepo, tree.top)
      : tree.platforms;
  return { digest, sourceDigest: root.digest, mediaType, platforms, unchanged: false };
}

async function existingPlatforms(
  engine: Engine,
  head: { digest: string; mediaType: string },
  reportPlatform: boolean,
): Promise<string[]> {
  if (!reportPlatform && !isIndexMediaType(head.mediaType)) return [];
  const manifest = await engine.dst.getManifest(engine.dstRepo, head.digest);
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind === 'image') {
    return reportPlatform ? configPlatform(engine, engine.dst, engine.dstRepo, manifest) : [];
  }
  return parsed.manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : []));
}

const IMAGE_CONFIGS = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);
// Image configs are a few KiB; one far larger is not worth reading for a platform label.
const CONFIG_LIMIT = 1024 * 1024;

/**
 * The `os/architecture[/variant]` of a single-manifest image, from its config blob. It only
 * labels the result, so a config that cannot be read or parsed gives [] and a debug line.
 */
async function configPlatform(
  engine: Engine,
  client: RegistryClient,
  repository: string,
  manifest: { bytes: Buffer; mediaType: string },
): Promise<string[]> {
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind !== 'image' || !IMAGE_CONFIGS.has(parsed.config.mediaType)) return [];
  if (parsed.config.size > CONFIG_LIMIT) return [];
  try {
    const { body } = await client.getBlob(repository, parsed.config.digest);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > CONFIG_LIMIT) throw new MirrorError(`config larger than ${CONFIG_LIMIT} bytes`);
      chunks.push(chunk as Buffer);
    }
    const config = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const { os, architecture, variant } = config;
    if (typeof os !== 'string' || typeof architecture !== 'string') return [];
    return [formatPlatform({ os, architecture, ...(typeof variant === 'string' ? { variant } : {}) })];
  } catch (err: unknown) {
    engine.logger.debug(`could not read the platform from ${parsed.config.digest}: ${errorMessage(err)}`);
    return [];
  }
}

async function verify(engine: Engine, reference: string, expected: string): Promise<string> {
  return step('verifying the destination', async () => {
    const head = await engine.dst.headManifest(engine.dstRepo, reference);
    if (!head) throw new MirrorError(`${reference} is missing after the copy`);
    if (head.digest !== expected)
      throw new MirrorError(`${reference} has digest ${head.digest}, expected ${expected}`);
    return head.digest;
  });
}
