/**
 * Pure planning of `copy --from-file`: list entries → unique copy jobs (canonical source and
 * destination), each with the shard its source repository belongs to, filtered to one shard.
 * Destinations the list leaves out are mapped under `--to` with the same path template as
 * `migrate` (destination.ts).
 */
import { ConfigError, errorMessage } from '../errors.js';
import { formatReference, parseReference, repositoryName } from '../reference/index.js';
import { destinationReference } from '../registry/copy.js';
import { destinationFor } from './destination.js';
import { type Shard, shardOf } from './shard.js';

/** One image of a list, as bulk planning needs it. */
export interface BulkEntry {
  source: string;
  /** As written; without tag or digest it takes the source's. Default: mapped under `to`. */
  destination: string | undefined;
  /** Where the entry came from (`list.txt:3`), for messages. */
  where: string;
}

/** One unique copy. */
export interface BulkJob {
  /** Canonical source (`docker.io/library/node:20`). */
  source: string;
  /** Canonical destination, with the tag (or digest) it will get. */
  destination: string;
  /** The canonical source repository the deal is keyed on (`docker.io/library/node`). */
  repository: string;
  /** Where the entry came from; the first occurrence when the list repeats it. */
  where: string;
}

/** Options of planBulkCopies. */
export interface BulkOptions {
  /** Registry prefix for entries without a destination. Default: none (such entries are errors). */
  to?: string;
  /** Path under `to`. Default: `{registry}/{repository}`. */
  pathTemplate?: string;
  /** Keep only this shard's jobs. Default: all. */
  shard?: Shard;
}

/** The jobs of this shard and the size of the whole deduplicated list. */
export interface BulkPlan {
  jobs: BulkJob[];
  /** Unique jobs in the whole list, across every shard. */
  total: number;
}

/** Plans a list; a bad entry throws ConfigError naming its `where`. */
export function planBulkCopies(entries: readonly BulkEntry[], options: BulkOptions = {}): BulkPlan {
  const unique = new Map<string, BulkJob>();
  for (const entry of entries) {
    const job = planEntry(entry, options);
    const key = `${job.source} ${job.destination}`;
    if (!unique.has(key)) unique.set(key, job);
  }
  const all = [...unique.values()];
  const { shard } = options;
  const jobs = shard ? all.filter((job) => shardOf(job.repository, shard.count) === shard.index) : all;
  return { jobs, total: all.length };
}

function planEntry(entry: BulkEntry, options: BulkOptions): BulkJob {
  try {
    const src = parseReference(entry.source);
    let destination = entry.destination;
    if (destination === undefined) {
      if (options.to === undefined)
        throw new ConfigError('no DESTINATION on this line; give one or pass --to');
      destination = destinationFor(src, {
        destination: options.to,
        ...(options.pathTemplate ? { pathTemplate: options.pathTemplate } : {}),
      });
    }
    return {
      source: formatReference(src),
      destination: formatReference(destinationReference(destination, src)),
      repository: repositoryName(src),
      where: entry.where,
    };
  } catch (err) {
    throw new ConfigError(`${entry.where}: ${errorMessage(err)}`);
  }
}
