/**
 * Read-only registry lookups for the platform commands (pulls, runtime-config, verify), on the
 * existing client and transport: one connection pool and keychain for a run, one client per
 * repository (its token scope is `repository:NAME:pull`), and the `Last-Modified` header of
 * manifest answers kept, which some registries send and the client does not return.
 */
import { errorMessage, MirrorError } from '../errors.js';
import type { Logger } from '../log.js';
import { parseDigest } from '../reference/digest.js';
import { formatReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import {
  createRegistryClient,
  type FetchedManifest,
  type ManifestDescriptor,
  type RegistryClient,
} from '../registry/client.js';
import type { Keychain } from '../registry/credentials/types.js';
import { computeDigest } from '../registry/digest.js';
import { parseManifestReference, parseRepository, parseTag } from '../registry/names.js';
import { createConnectionPool } from '../registry/transport/base.js';
import type { TransportRequest, TransportResponse } from '../registry/transport/index.js';

/** Options of {@link createRegistryReader}. */
export interface RegistryReaderOptions {
  keychain: Keychain;
  logger: Logger;
  /** Hosts spoken to over plain HTTP. Default: none. */
  plainHttp?: readonly string[];
  /** Registry name → endpoint URL. Default: none. */
  endpoints?: Readonly<Record<string, string>>;
}

/** Read-only lookups; close it when done. */
export interface RegistryReader {
  /** The descriptor `ref` resolves to (its digest when pinned, else its tag), or undefined when absent. */
  head(ref: ImageReference): Promise<ManifestDescriptor | undefined>;
  /** The manifest at `reference` (tag or digest), verified against its digest. */
  manifest(ref: ImageReference, reference: string): Promise<FetchedManifest>;
  /** A small JSON blob (an image config), at most 1 MiB. */
  jsonBlob(ref: ImageReference, digest: string): Promise<unknown>;
  /** The Last-Modified header of the last manifest answer for `ref` at `reference`, if any. */
  lastModified(ref: ImageReference, reference: string): string | undefined;
  close(): Promise<void>;
}

const CONFIG_LIMIT = 1024 * 1024;

/** Creates a reader (see RegistryReaderOptions). */
export function createRegistryReader(options: RegistryReaderOptions): RegistryReader {
  const pool = createConnectionPool({ connections: 8 });
  const modified = new Map<string, string>();
  // An observer at the bottom of the stack: it sees every answer, redirects and retries included.
  const observe = (req: TransportRequest, res: TransportResponse) => {
    const stamp = res.headers['last-modified'];
    if (stamp && /\/manifests\/[^/]+$/.test(new URL(req.url).pathname))
      modified.set(req.url, stamp.slice(0, 100));
  };
  const clients = new Map<string, RegistryClient>();
  const client = (ref: ImageReference) => {
    const key = `${ref.registry}/${ref.repository}`;
    let found = clients.get(key);
    if (!found) {
      found = createRegistryClient({
        registry: ref.registry,
        scopes: [`repository:${ref.repository}:pull`],
        repositories: [ref.repository],
        keychain: options.keychain,
        pool,
        observe,
        plainHttp: options.plainHttp ?? [],
        ...(options.endpoints ? { endpoints: options.endpoints } : {}),
        logger: options.logger,
      });
      clients.set(key, found);
    }
    return found;
  };
  return {
    head: (ref) =>
      client(ref).headManifest(
        parseRepository(ref.repository),
        ref.digest ? parseDigest(ref.digest) : parseTag(ref.tag ?? 'latest'),
      ),
    manifest: (ref, reference) =>
      client(ref).getManifest(parseRepository(ref.repository), parseManifestReference(reference)),
    async jsonBlob(ref, digest) {
      const expected = parseDigest(digest, `blob of ${formatReference(ref)}`);
      const bytes = await client(ref)
        .readBlob(parseRepository(ref.repository), expected, CONFIG_LIMIT)
        .catch((err: unknown) => {
          throw new MirrorError(`blob ${digest} of ${formatReference(ref)}: ${errorMessage(err)}`, {
            cause: err,
          });
        });
      if (computeDigest(bytes, expected) !== expected)
        throw new MirrorError(`blob ${digest} of ${formatReference(ref)} has another digest`);
      return JSON.parse(bytes.toString('utf8')) as unknown;
    },
    lastModified(ref, reference) {
      for (const [url, stamp] of modified)
        if (url.endsWith(`/v2/${ref.repository}/manifests/${reference}`)) return stamp;
      return undefined;
    },
    close: () => pool.close(),
  };
}
