/**
 * Read-only questions about images, asked through the existing registry client: what digest a
 * tag names now (HEAD, which Docker Hub does not count against its pull limit), and when an image
 * was built and for which platforms (the index, one platform manifest and its config blob).
 * Back-fill asks the mirror whether a reference resolves; refresh asks the upstream whether a tag
 * moved. Everything a registry answers is validated before use.
 */
import { isPlatform } from '../config/values.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { isDigest, parseDigest } from '../reference/digest.js';
import { repositoryName } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { createRegistryClient, type RegistryClient } from '../registry/client.js';
import type { Keychain } from '../registry/credentials/types.js';
import { computeDigest } from '../registry/digest.js';
import { LimitExceededError } from '../registry/limits.js';
import { formatPlatform, parseManifest } from '../registry/media-types.js';
import { type ManifestReference, parseRepository, parseTag, type Repository } from '../registry/names.js';
import type { ConnectionPool } from '../registry/transport/base.js';
import { type RegistryAuth, RegistryError } from '../registry/transport/index.js';

/** What an image says about itself. */
export interface ImageFacts {
  /** The config's `created` time of the first real platform, when the image records a valid one. */
  created: Date | undefined;
  /** `os/arch[/variant]` of its platforms (validated; attestation entries left out). */
  platforms: string[];
}

/** Read-only image lookups sharing one connection pool and keychain. */
export interface ImageLookup {
  /** The manifest digest `reference` names now (its digest if it has one), or undefined when missing. */
  resolve(reference: ImageReference): Promise<string | undefined>;
  /** Creation time and platforms of `reference` (read by digest when it has one). Never throws: unknowns are empty. */
  describe(reference: ImageReference): Promise<ImageFacts>;
}

/** What createImageLookup needs: the copier's own transport settings. */
export interface LookupOptions {
  keychain: Keychain;
  pool: ConnectionPool;
  logger: Logger;
  /** Hosts spoken to over plain HTTP. Default: none. */
  plainHttp?: string[];
  /** Registry name → API endpoint URL overrides. Default: none. */
  endpoints?: Record<string, string>;
  /** What the run knows of each registry's authentication (CopySession.auth). Default: each client its own. */
  auth?: (registry: string) => RegistryAuth;
}

// An image config is a few KiB; a far larger one is not worth reading for a date.
const CONFIG_LIMIT = 1024 * 1024;
// Index entries looked at for platforms; real images list a handful.
const MAX_PLATFORMS = 64;

/** Creates the lookups of one run (clients are cached per repository: tokens are scoped per repository). */
export function createImageLookup(options: LookupOptions): ImageLookup {
  const clients = new Map<string, RegistryClient>();
  const clientFor = (ref: ImageReference) => {
    const key = repositoryName(ref);
    let client = clients.get(key);
    if (client === undefined) {
      client = createRegistryClient({
        registry: ref.registry,
        scopes: [`repository:${ref.repository}:pull`],
        repositories: [ref.repository],
        keychain: options.keychain,
        pool: options.pool,
        plainHttp: options.plainHttp ?? [],
        ...(options.endpoints ? { endpoints: options.endpoints } : {}),
        logger: options.logger,
        ...(options.auth ? { auth: options.auth(ref.registry) } : {}),
      });
      clients.set(key, client);
    }
    return client;
  };
  return {
    resolve: (ref) => resolve(clientFor(ref), ref),
    async describe(ref) {
      try {
        return await describe(clientFor(ref), ref);
      } catch (err: unknown) {
        options.logger.debug(
          `could not read the creation time of ${repositoryName(ref)}: ${errorMessage(err)}`,
        );
        return { created: undefined, platforms: [] };
      }
    },
  };
}

/** The validated repository and manifest reference of `ref` (its digest, else its tag). */
function target(ref: ImageReference): { repository: Repository; reference: ManifestReference } {
  return {
    repository: parseRepository(ref.repository),
    reference: ref.digest ? parseDigest(ref.digest) : parseTag(ref.tag ?? 'latest'),
  };
}

async function resolve(client: RegistryClient, ref: ImageReference): Promise<string | undefined> {
  const { repository, reference } = target(ref);
  const head = await client.headManifest(repository, reference);
  if (head !== undefined)
    return parseDigest(head.digest, `the Docker-Content-Digest of ${repositoryName(ref)}`);
  // A HEAD without Docker-Content-Digest reads as missing: the manifest itself settles it.
  try {
    return (await client.getManifest(repository, reference)).digest;
  } catch (err: unknown) {
    if (err instanceof RegistryError && err.status === 404) return undefined;
    throw err;
  }
}

async function describe(client: RegistryClient, ref: ImageReference): Promise<ImageFacts> {
  const { repository, reference } = target(ref);
  const top = await client.getManifest(repository, reference);
  const parsed = parseManifest(top.bytes, top.mediaType);
  if (parsed.kind === 'image') {
    const config = await readConfig(client, repository, parsed.config);
    return { created: config.created, platforms: config.platform === undefined ? [] : [config.platform] };
  }
  const children = parsed.manifests.slice(0, MAX_PLATFORMS).filter((child) => {
    const platform = child.platform ? formatPlatform(child.platform) : '';
    return isPlatform(platform) && isDigest(child.digest);
  });
  const platforms = [...new Set(children.map((child) => formatPlatform(child.platform!)))];
  const first = children[0];
  if (first === undefined) return { created: undefined, platforms };
  const manifest = await client.getManifest(repository, parseDigest(first.digest, 'an index entry'));
  const image = parseManifest(manifest.bytes, manifest.mediaType);
  if (image.kind !== 'image') return { created: undefined, platforms };
  return { created: (await readConfig(client, repository, image.config)).created, platforms };
}

/** The config blob's `created` and platform, read bounded and checked against its digest. */
async function readConfig(
  client: RegistryClient,
  repository: Repository,
  descriptor: { digest: string; size: number },
): Promise<{ created: Date | undefined; platform: string | undefined }> {
  const unknown = { created: undefined, platform: undefined };
  if (descriptor.size > CONFIG_LIMIT) return unknown;
  const digest = parseDigest(descriptor.digest, 'a config descriptor');
  let bytes: Buffer;
  try {
    bytes = await client.readBlob(repository, digest, CONFIG_LIMIT);
  } catch (err: unknown) {
    if (err instanceof LimitExceededError) return unknown;
    throw err;
  }
  if (computeDigest(bytes, digest) !== digest) return unknown;
  const config = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return { created: parseCreated(config.created), platform: configPlatform(config) };
}

/** An RFC 3339 time as registries record it; anything else is unknown. */
export function parseCreated(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time) : undefined;
}

function configPlatform(config: Record<string, unknown>): string | undefined {
  const { os, architecture, variant } = config;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  const text = formatPlatform({ os, architecture, ...(typeof variant === 'string' ? { variant } : {}) });
  return isPlatform(text) ? text : undefined;
}
