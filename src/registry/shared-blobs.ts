/**
 * Blobs that the copies of one run have written, or are writing, to their destinations, so a
 * layer shared by several images (`node:20` and `node:20-slim`) is uploaded once and then
 * mounted into the other repositories of the same registry instead of being sent again.
 */

import type { Repository } from './names.js';

/** Which destination repository has (or is receiving) a blob, per registry and digest. */
export interface SharedBlobs {
  /**
   * The repository of `registry` holding `digest` once its transfer settles (it rejects when the
   * transfer failed); undefined when no copy has claimed the blob.
   */
  find(registry: string, digest: string): Promise<Repository> | undefined;
  /** Records that `repository` is receiving `digest` through `transfer`; a failed transfer is forgotten. */
  claim(registry: string, digest: string, repository: Repository, transfer: Promise<unknown>): void;
}

/** Creates an empty store; share it between the copies of one run (see CopyOptions.sharedBlobs). */
export function createSharedBlobs(): SharedBlobs {
  const holders = new Map<string, Promise<Repository>>();
  const key = (registry: string, digest: string) => `${registry} ${digest}`;
  return {
    find: (registry, digest) => holders.get(key(registry, digest)),
    claim(registry, digest, repository, transfer) {
      const k = key(registry, digest);
      const holder = transfer.then(() => repository);
      holders.set(k, holder);
      // Forgotten on failure, so a later copy transfers the blob itself.
      holder.catch(() => holders.get(k) === holder && holders.delete(k));
    },
  };
}
