/**
 * Deals a list of images over N independent shards (machines, matrix jobs, Cloud Run tasks).
 * Every image of one source repository goes to the same shard, so its shared layers are sent
 * once and then mounted, and the deal is the same on every machine: the shard is a SHA-256 of
 * the canonical repository name (`docker.io/library/node`), which depends on no Node version,
 * locale or list order.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';

/** One shard of a deal: index (0-based, as CLOUD_RUN_TASK_INDEX) and count. */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards a list may be dealt over (far above any quota-bound fleet). */
export const MAX_SHARDS = 10_000;

/**
 * Parses `I/N` (0 <= I < N <= 10000), e.g. `0/4` or `$CLOUD_RUN_TASK_INDEX/$CLOUD_RUN_TASK_COUNT`.
 * Throws ConfigError naming `where`. Default where: `--shard`.
 */
export function parseShard(text: string, where = '--shard'): Shard {
  const match = /^\s*(\d{1,5})\s*\/\s*(\d{1,5})\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_SHARDS || index >= count) {
    throw new ConfigError(
      `${where} "${text}" must be I/N with 0 <= I < N <= ${MAX_SHARDS} (I counts from 0, as CLOUD_RUN_TASK_INDEX)`,
    );
  }
  return { index, count };
}

/** The shard (0 … count-1) a canonical repository (`registry/repository`) belongs to. */
export function shardOf(repository: string, count: number): number {
  const digest = createHash('sha256').update(repository, 'utf8').digest();
  // 48 bits stay exact in a double; their remainder is as even as the hash.
  return digest.readUIntBE(0, 6) % count;
}
