/**
 * One copy job made concrete: its references validated into the types request paths are built
 * from, and its engine with one client per side, each held to its own repository (and the
 * source's charged to the job's budget), over the run's session.
 */
import { type Logger, silentLogger } from '../log.js';
import { parseDigest } from '../reference/digest.js';
import type { ImageReference } from '../reference/index.js';
import { createRegistryClient, type RegistryClient } from './client.js';
import type { RunOptions } from './copy.js';
import { createEngine, type Engine } from './copy-engine.js';
import type { Target } from './copy-one.js';
import { createJobBudget } from './limits.js';
import { type ManifestReference, parseRepository, parseTag, type Repository } from './names.js';
import { createProgressTracker } from './progress.js';

/** One copy job's references, validated into the types request paths are built from. */
export interface Job {
  srcRepo: Repository;
  dstRepo: Repository;
  srcRef: ManifestReference;
  target: Target;
}

export function validateJob(src: ImageReference, dst: ImageReference, platforms: string[] | undefined): Job {
  return {
    srcRepo: parseRepository(src.repository, 'source'),
    dstRepo: parseRepository(dst.repository, 'destination'),
    srcRef: src.digest ? parseDigest(src.digest, 'source') : parseTag(src.tag, 'source'),
    target: {
      tag: dst.tag === undefined ? undefined : parseTag(dst.tag, 'destination'),
      digest: dst.digest === undefined ? undefined : parseDigest(dst.digest, 'destination'),
      platforms,
      reportPlatform: true,
    },
  };
}

/** The engine of one job: its clients, bounds and state. */
export function createJobEngine(
  src: ImageReference,
  dst: ImageReference,
  job: Job,
  options: RunOptions,
): Engine {
  const logger = options.logger ?? silentLogger;
  return createEngine({
    ...clients(src, dst, job, options, logger),
    srcRepo: job.srcRepo,
    dstRepo: job.dstRepo,
    jobs: Math.max(1, options.jobs ?? MANIFEST_JOBS),
    canMount: src.registry === dst.registry && src.repository !== dst.repository,
    immutableTags: options.immutableTags ?? false,
    logger,
    progress: createProgressTracker(options.onProgress),
    retry: options.retry,
    shared: options.sharedBlobs,
    signal: options.signal,
    minThroughput: options.minThroughput,
    session: options.session,
  });
}

// Manifest requests (and twice as many blob HEADs) at once when no `jobs` is given.
const MANIFEST_JOBS = 8;

function clients(
  src: ImageReference,
  dst: ImageReference,
  job: Job,
  options: RunOptions,
  logger: Logger,
): { src: RegistryClient; dst: RegistryClient } {
  const { session } = options;
  const common = {
    keychain: options.keychain,
    pool: session.pool,
    plainHttp: options.plainHttp ?? [],
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    logger,
    ...(options.retry ? { retry: options.retry } : {}),
    signal: options.signal,
    ...(options.requestDeadlineMs ? { requestDeadlineMs: options.requestDeadlineMs } : {}),
  };
  const pull = `repository:${job.srcRepo}:pull`;
  // Push scope first: some registries only read the first scope. The source's pull scope lets a
  // same-registry copy mount blobs instead of uploading them.
  const dstScopes = [`repository:${job.dstRepo}:push,pull`, ...(src.registry === dst.registry ? [pull] : [])];
  return {
    // The source client reads only the source repository, and every manifest it fetches is charged to the job.
    src: createRegistryClient({
      ...common,
      registry: src.registry,
      auth: session.auth(src.registry),
      scopes: [pull],
      repositories: [job.srcRepo],
      budget: createJobBudget(),
    }),
    // The destination client writes only the destination repository.
    dst: createRegistryClient({
      ...common,
      registry: dst.registry,
      auth: session.auth(dst.registry),
      scopes: dstScopes,
      repositories: [job.dstRepo],
    }),
  };
}
