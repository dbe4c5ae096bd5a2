/**
 * `ar-mirror copy --from-file LIST [--to PREFIX] [--shard I/N]`: copy every image of a list over
 * one copier (shared connections, keychain and blob store, so a layer shared by several images
 * moves once), a few images at a time, then print one result table. With `--shard I/N` only
 * the images whose source repository hashes to shard I are copied; shards are independent and
 * a rerun copies nothing that is already there. Exit 0 when every image of the shard was
 * copied, 1 when any failed, 2 on usage errors (including a bad line in the list).
 */
import { parseArgs } from 'node:util';
import { parseJobs, parsePlatforms, parseTimeout } from '../config/values.js';
import { ConfigError, errorMessage } from '../errors.js';
import { createStreamLogger } from '../log.js';
import { isArtifactRegistryHost } from '../mirror/copier.js';
import { copyOutcome, type MirrorOutcome, mirrorImages } from '../mirror/mirror-images.js';
import { type BulkJob, type BulkPlan, planBulkCopies } from '../plan/bulk.js';
import { parseShard, type Shard } from '../plan/shard.js';
import { printable } from '../text/escape.js';
import { readRegularFile } from '../util/read-regular-file.js';
import { parseCopyList } from './copy-list.js';
import { type CommandIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError } from './io.js';
import {
  createCommandCopier,
  explicitCredentials,
  REGISTRY_OPTIONS,
  type RegistryFlags,
  readRegistryFlags,
} from './registry-flags.js';
import { renderTable } from './table.js';

/** The bulk copy's usage text (part of `copy --help`). */
export const BULK_USAGE = `usage: ar-mirror copy --from-file LIST [--to HOST/PATH] [--shard I/N] [options]
  --from-file LIST      one "SOURCE [DESTINATION]" per line (# comments), or the JSON of scan --json,
                        migrate --dry-run --json or pulls --json; "-" reads standard input
  --to HOST/PATH        destination prefix for images without DESTINATION, mapped as migrate maps them
  --path-template T     path under --to (default {registry}/{repository})
  --shard I/N           copy only shard I of N (I from 0); all images of a repository share a shard
  --images N            images copied at once (default 2); --jobs N blobs at once per registry
  and --platform, --signatures, --timeout, --plain-http, --src-creds HOST=USER:PASS, --dest-creds, --create-repository, --json, --verbose`;

/** The most bytes a list file may have. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;

interface BulkArgs {
  plan: BulkPlan;
  shard: Shard | undefined;
  registry: RegistryFlags;
  jobs: number;
  timeoutMs: number;
  images: number;
  platforms: string[];
  signatures: boolean;
  createRepository: boolean;
  json: boolean;
  verbose: boolean;
}

type Outcome = MirrorOutcome<BulkJob>;

/** Runs `copy --from-file` and returns the exit code for the whole list (this shard of it). */
export async function runBulkCopyCommand(argv: string[], io: CommandIO): Promise<number> {
  const input = io.readStdin;
  const stdin = argv.includes('-') && input ? new TextDecoder().decode(await input()) : undefined;
  const parsed = parseCommandLine('copy', BULK_USAGE, io, () => parseBulkArgs(argv, io, stdin));
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  if (args.plan.jobs.length === 0) {
    io.stdout(args.json ? `${JSON.stringify(resultJson(args, []), null, 2)}\n` : summaryLine(args, []));
    return EXIT_OK;
  }
  let outcomes: Outcome[];
  try {
    outcomes = await copyAll(args, io);
  } catch (err) {
    io.stderr(`ar-mirror copy: ${errorMessage(err)}\n`);
    return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
  io.stdout(
    args.json ? `${JSON.stringify(resultJson(args, outcomes), null, 2)}\n` : renderResult(args, outcomes),
  );
  return outcomes.some((o) => o.status === 'failed') ? EXIT_FAILURE : EXIT_OK;
}

async function copyAll(args: BulkArgs, io: CommandIO): Promise<Outcome[]> {
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const jobs = args.plan.jobs;
  const destinationHosts = [...new Set(jobs.map((job) => job.destination.split('/')[0]!))];
  if (args.registry.destCreds && destinationHosts.length > 1) {
    throw new UsageError(
      `--dest-creds would go to every destination registry (${destinationHosts.join(', ')})`,
    );
  }
  const sourceHosts = jobs.map((job) => job.source.split('/')[0]!);
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args,
    explicit: explicitCredentials(args.registry, sourceHosts, destinationHosts[0]!),
    env: io.env,
    logger,
  });
  try {
    for (const prefix of preflightPrefixes(jobs)) await copier.preflight(prefix);
    logger.info(`copying ${jobs.length} image(s)${args.shard ? ` of shard ${shardText(args.shard)}` : ''}`);
    return await mirrorImages(jobs, copier.copy, { logger, concurrency: args.images });
  } finally {
    await copier.close();
  }
}

/** The Artifact Registry repositories (`HOST/PROJECT/REPOSITORY`) the jobs write to, each checked once. */
function preflightPrefixes(jobs: readonly BulkJob[]): string[] {
  const prefixes = jobs
    .map((job) => job.destination.split('/'))
    .filter((parts) => isArtifactRegistryHost(parts[0]!) && parts.length > 3)
    .map((parts) => parts.slice(0, 3).join('/'));
  return [...new Set(prefixes)];
}

function parseBulkArgs(argv: string[], io: CommandIO, stdin: string | undefined): BulkArgs | 'help' {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: BULK_OPTIONS });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError('--from-file takes no SOURCE or DESTINATION arguments');
  const file = values['from-file']!;
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const plan = planBulkCopies(parseCopyList(file === '-' ? (stdin ?? '') : readList(file, io), file), {
    ...(values.to === undefined ? {} : { to: values.to }),
    ...(values['path-template'] === undefined ? {} : { pathTemplate: values['path-template'] }),
    ...(shard ? { shard } : {}),
  });
  const registry = readRegistryFlags(values, io.env);
  return {
    plan,
    shard,
    registry,
    jobs: parseJobs(registry.jobs, '--jobs'),
    timeoutMs: parseTimeout(registry.timeout, '--timeout'),
    images: parseImages(values.images),
    platforms: parsePlatforms(registry.platforms, '--platform'),
    signatures: values.signatures === true,
    createRepository: values['create-repository'] === true,
    json: values.json === true,
    verbose: values.verbose === true,
  };
}

const BULK_OPTIONS = {
  ...REGISTRY_OPTIONS,
  'from-file': { type: 'string' },
  to: { type: 'string' },
  'path-template': { type: 'string' },
  shard: { type: 'string' },
  images: { type: 'string' },
  signatures: { type: 'boolean' },
  'create-repository': { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseImages(value: string | undefined): number {
  if (value === undefined) return 2;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 32) {
    throw new ConfigError(`--images must be a whole number from 1 to 32, got "${value}"`);
  }
  return number;
}

/** Reads the list file (relative to io.cwd): a regular file of sane size only (readRegularFile). */
function readList(file: string, io: CommandIO): string {
  const path = io.cwd === undefined || file.startsWith('/') ? file : `${io.cwd}/${file}`;
  const read = readRegularFile(path, MAX_LIST_BYTES);
  if ('problem' in read) throw new UsageError(`--from-file ${printable(file)}: ${read.problem}`);
  return read.bytes.toString('utf8');
}

const shardText = (shard: Shard) => `${shard.index}/${shard.count}`;
const statusOf = (o: Outcome) => (o.status === 'failed' ? 'failed' : copyOutcome(o.result.blobs));

function summaryLine(args: BulkArgs, outcomes: readonly Outcome[]): string {
  const count = (status: string) => outcomes.filter((o) => statusOf(o) === status).length;
  const scope = args.shard
    ? `shard ${shardText(args.shard)}: ${args.plan.jobs.length} of ${args.plan.total} image(s)`
    : `${args.plan.total} image(s)`;
  if (args.plan.jobs.length === 0) return `${scope}: nothing to copy\n`;
  return `${scope}: ${count('pushed')} pushed, ${count('mounted')} mounted, ${count('existing')} existing, ${count('failed')} failed\n`;
}

function renderResult(args: BulkArgs, outcomes: readonly Outcome[]): string {
  const rows = outcomes.map((o) => [
    o.job.source,
    o.job.destination,
    statusOf(o),
    o.status === 'mirrored' ? o.result.digest : '',
  ]);
  let text = renderTable(['SOURCE', 'DESTINATION', 'RESULT', 'DIGEST'], rows);
  for (const o of outcomes)
    if (o.status === 'failed') text += `failed ${o.job.source} (${o.job.where}): ${printable(o.error)}\n`;
  return text + summaryLine(args, outcomes);
}

function resultJson(args: BulkArgs, outcomes: readonly Outcome[]) {
  return {
    shard: args.shard ?? null,
    total: args.plan.total,
    images: outcomes.map((o) => ({
      source: o.job.source,
      destination: o.job.destination,
      status: statusOf(o),
      ...(o.status === 'mirrored'
        ? { digest: o.result.digest, platforms: o.result.platforms, bytes: o.result.bytes }
        : { error: o.error }),
    })),
    failed: outcomes.filter((o) => o.status === 'failed').length,
  };
}
