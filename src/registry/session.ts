/**
 * What the copies of one run share: the connection pool, each registry host's pace (pace.ts),
 * each registry's authentication as learned (challenge and tokens, transport/index.ts), whether
 * a host takes monolithic uploads, the blobs the run has sent (shared-blobs.ts), and which
 * protocol shortcuts the run takes. createCopier makes one per run; a lone copyImage call gets
 * its own, without shortcuts (the request sequence its callers and tests know).
 */

import type { MonolithicOutcome } from './client.js';
import { isGoogleRegistryHost } from './credentials/hosts.js';
import { createPace, DEFAULT_PACE, type Pace } from './pace.js';
import { createSharedBlobs, type SharedBlobs } from './shared-blobs.js';
import {
  type ConnectionPool,
  createConnectionPool,
  createRegistryAuth,
  type RegistryAuth,
} from './transport/index.js';

/** Protocol shortcuts: each saves requests or round trips and keeps the copy's result the same. */
export interface Shortcuts {
  /** Learn a registry's auth from the first request's 401 instead of pinging `/v2/` (auth-first.ts). */
  firstRequestAuth: boolean;
  /** Read the destination tag with one GET (digest, and platforms to report) instead of a HEAD and a GET. */
  destinationGet: boolean;
  /**
   * No blob HEADs in a destination repository the registry says does not exist (`tags/list`
   * 404 NAME_UNKNOWN), unless a blob could be mounted. Never for Google registries, where a
   * repository's packages share one blob store, so a new package may well hold the blob.
   */
  freshRepositories: boolean;
  /** Blobs up to this many bytes are read whole and sent in one POST where the host takes it; 0 never. */
  monolithicMaxBytes: number;
}

/** Every shortcut: what createCopier uses. Monolithic uploads for blobs up to 1 MiB. */
export const ALL_SHORTCUTS: Readonly<Shortcuts> = {
  firstRequestAuth: true,
  destinationGet: true,
  freshRepositories: true,
  monolithicMaxBytes: 1024 * 1024,
};

/** No shortcut: the classic request sequence (ping, HEADs, POST+PUT). */
export const NO_SHORTCUTS: Readonly<Shortcuts> = {
  firstRequestAuth: false,
  destinationGet: false,
  freshRepositories: false,
  monolithicMaxBytes: 0,
};

/** How to send one small blob to a host: as a monolithic POST (`probe`: the first try there), or streamed. */
export type UploadMode = 'monolithic' | 'probe' | 'stream';

/** Options of createCopySession. */
export interface SessionOptions {
  /** Blob transfers at once per registry host, fixed (429s still lower it). Default: adaptive (DEFAULT_PACE). */
  jobs?: number | undefined;
  /** A pool to use (not closed by the session). Default: a new one sized to the pace. */
  pool?: ConnectionPool | undefined;
  /** Extra CA certificates (PEM) for a new pool. Default: none. */
  ca?: string | undefined;
  /** Offer HTTP/2 on a new pool's HTTPS connections (PoolOptions.http2). Default: true. */
  http2?: boolean;
  /** Default: NO_SHORTCUTS. */
  shortcuts?: Shortcuts;
}

/** A run's shared state; close it when the run is done. */
export interface CopySession {
  readonly pool: ConnectionPool;
  readonly shortcuts: Readonly<Shortcuts>;
  readonly sharedBlobs: SharedBlobs;
  /** The pace of one registry API host (`host[:port]`). */
  pace(apiHost: string): Pace;
  /** What the run knows about one registry's authentication (a run has one endpoint per registry). */
  auth(registry: string): RegistryAuth;
  /** Whether to skip blob HEADs in a new repository of `registry` (Shortcuts.freshRepositories). */
  trustsFreshRepositories(registry: string): boolean;
  /** How to upload a blob of `size` bytes to `apiHost`; `probe` must be answered with `learnUpload`. */
  uploadMode(apiHost: string, size: number): UploadMode;
  /** What a monolithic try at `apiHost` came to (`failed`: no answer either way). */
  learnUpload(apiHost: string, outcome: MonolithicOutcome | 'failed'): void;
  close(): Promise<void>;
}

/** Creates a run's session. */
export function createCopySession(options: SessionOptions = {}): CopySession {
  const fixed = options.jobs === undefined ? undefined : Math.max(1, options.jobs);
  const max = fixed ?? DEFAULT_PACE.max;
  // Room for every transfer's GET or PUT on a host, plus its manifest and HEAD traffic.
  const pool =
    options.pool ??
    createConnectionPool({
      ca: options.ca,
      connections: max + 8,
      ...(options.http2 === undefined ? {} : { http2: options.http2 }),
    });
  const shortcuts = options.shortcuts ?? NO_SHORTCUTS;
  const paces = new Map<string, Pace>();
  const auths = new Map<string, RegistryAuth>();
  const uploads = new Map<string, 'probing' | MonolithicOutcome>();
  return {
    pool,
    shortcuts,
    sharedBlobs: createSharedBlobs(),
    pace: (apiHost) =>
      cached(paces, apiHost, () => createPace(fixed === undefined ? {} : { initial: fixed, max: fixed })),
    auth: (registry) =>
      cached(auths, registry, () =>
        createRegistryAuth(shortcuts.firstRequestAuth ? 'first-request' : 'ping'),
      ),
    trustsFreshRepositories: (registry) => shortcuts.freshRepositories && !isGoogleRegistryHost(registry),
    uploadMode(apiHost, size) {
      if (size > shortcuts.monolithicMaxBytes) return 'stream';
      const known = uploads.get(apiHost);
      if (known === 'accepted') return 'monolithic';
      if (known !== undefined) return 'stream';
      uploads.set(apiHost, 'probing');
      return 'probe';
    },
    learnUpload(apiHost, outcome) {
      if (outcome !== 'failed') uploads.set(apiHost, outcome);
      else if (uploads.get(apiHost) === 'probing') uploads.delete(apiHost);
    },
    close: async () => {
      if (!options.pool) await pool.close();
    },
  };
}

function cached<T>(map: Map<string, T>, key: string, create: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
