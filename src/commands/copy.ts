/**
 * `ar-mirror copy SOURCE DESTINATION`: copy one image (all platforms, same digest) between
 * registries; with `--from-file LIST`, a whole list (copy-bulk.ts). The result goes to stdout (one JSON object with --json), progress and logs to
 * stderr. Exit 0 on success, 1 when the copy fails, 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { parseJobs, parsePlatforms, parseTimeout } from '../config/values.js';
import { ConfigError, errorMessage, InvalidReferenceError } from '../errors.js';
import { formatBytes } from '../github/summary.js';
import { createStreamLogger, type Logger } from '../log.js';
import { parseReference } from '../reference/index.js';
import type { CopyResult, Progress } from '../registry/copy.js';
import type { Credential } from '../registry/credentials/types.js';
import { escapeControl } from '../text/escape.js';
import { BULK_USAGE, runBulkCopyCommand } from './copy-bulk.js';
import { type CommandIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError } from './io.js';
import {
  createCommandCopier,
  explicitCredentials,
  REGISTRY_OPTIONS,
  type RegistryFlags,
  readRegistryFlags,
} from './registry-flags.js';

/** The copy command's usage text (printed by --help and after usage errors). */
export const COPY_USAGE = `usage: ar-mirror copy SOURCE DESTINATION [options]
  SOURCE, DESTINATION   image references (nginx:1.25, 127.0.0.1:5000/lib/app:1, us-docker.pkg.dev/p/r/nginx:1.25);
                        a DESTINATION without tag or digest takes the source's tag
  --platform OS/ARCH[/VARIANT]   copy only these platforms (repeatable; gives a new index with a new digest)
  --jobs N              blobs transferred at once per registry (default: adaptive, 16 to 32)
  --timeout DURATION    give up on the copy after this long (90s, 30m, 2h; default 30m)
  --signatures          also copy cosign signatures/attestations/SBOMs and OCI referrers
  --plain-http HOSTS    comma-separated hosts spoken to over plain HTTP (also $AR_MIRROR_PLAIN_HTTP)
  --src-creds [HOST=]USER:PASS, --dest-creds USER:PASS   explicit credentials (else Docker config, Google ADC)
  --create-repository   create a missing Artifact Registry repository
  --json                print one JSON object with the result
  --verbose             log every HTTP request (method, redacted URL, status)

${BULK_USAGE}`;

interface CopyArgs {
  source: string;
  destination: string;
  registry: RegistryFlags;
  explicit: Record<string, Credential>;
  jobs: number;
  timeoutMs: number;
  platforms: string[];
  signatures: boolean;
  createRepository: boolean;
  json: boolean;
  verbose: boolean;
}

/** Runs the copy command and returns its exit code. */
export async function runCopyCommand(argv: string[], io: CommandIO): Promise<number> {
  if (argv.some((arg) => arg === '--from-file' || arg.startsWith('--from-file='))) {
    return runBulkCopyCommand(argv, io);
  }
  const parsed = parseCommandLine('copy', COPY_USAGE, io, () => parseCopyArgs(argv, io.env));
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const progress = createProgressDisplay(io, logger);
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args,
    explicit: args.explicit,
    env: io.env,
    logger,
    onProgress: progress.update,
  });
  try {
    // The preflight needs the repository part only: Artifact Registry destinations are HOST/PROJECT/REPOSITORY/IMAGE.
    await copier.preflight(args.destination);
    const result = await copier.copy(args.source, args.destination);
    progress.finish();
    io.stdout(args.json ? `${JSON.stringify(jsonResult(result))}\n` : describeResult(result));
    return EXIT_OK;
  } catch (err: unknown) {
    progress.finish();
    io.stderr(`ar-mirror copy: ${escapeControl(errorMessage(err))}\n`);
    return err instanceof InvalidReferenceError || err instanceof ConfigError ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    await copier.close();
  }
}

function parseCopyArgs(argv: string[], env: NodeJS.ProcessEnv): CopyArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...REGISTRY_OPTIONS,
      signatures: { type: 'boolean', default: false },
      'create-repository': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 2)
    throw new UsageError(`expected SOURCE and DESTINATION, got ${positionals.length} arguments`);
  const [source, destination] = positionals as [string, string];
  // Parse now so a bad reference is a usage error (exit 2), not a copy failure.
  const from = parseReference(source).registry;
  const to = parseReference(destination).registry;
  const registry = readRegistryFlags(values, env);
  return {
    source,
    destination,
    registry,
    explicit: explicitCredentials(registry, [from], to),
    jobs: parseJobs(registry.jobs, '--jobs'),
    timeoutMs: parseTimeout(registry.timeout, '--timeout'),
    platforms: parsePlatforms(registry.platforms, '--platform'),
    signatures: values.signatures === true,
    createRepository: values['create-repository'] === true,
    json: values.json === true,
    verbose: values.verbose === true,
  };
}

/** The `--json` object: exactly these keys. */
export function jsonResult(r: CopyResult) {
  return {
    source: r.source,
    destination: r.destination,
    digest: r.digest,
    mediaType: r.mediaType,
    platforms: r.platforms,
    blobs: r.blobs,
    bytes: r.bytes,
  };
}

function describeResult(r: CopyResult): string {
  const lines = [
    `copied ${r.source} → ${r.destination}`,
    `digest    ${r.digest}${r.platformSubset ? ` (new index; source ${r.verified.sourceDigest})` : ''}`,
    `platforms ${r.platforms.length > 0 ? r.platforms.join(', ') : '(single manifest)'}`,
    `blobs     ${r.blobs.copied} copied, ${r.blobs.skipped} already present, ${r.blobs.mounted} mounted (${formatBytes(r.bytes)})`,
  ];
  if (r.signatures.length > 0) lines.push(`signatures ${r.signatures.join(', ')}`);
  if (r.foreignLayers.length > 0) lines.push(`skipped   ${r.foreignLayers.length} foreign layer(s)`);
  // Digests, platforms and signature references come from the registry: one escaped line each.
  return `${lines.map(escapeControl).join('\n')}\n`;
}

/**
 * One progress line. Done never shows more than the total: bytes sent past what the descriptors
 * announced (a retry, or a registry sending more than it declared) grow the total instead.
 */
export function formatProgress(p: Progress, seconds: number): string {
  const blobs = `${p.blobs.done}/${Math.max(p.blobs.total, p.blobs.done)}`;
  const bytes = `${formatBytes(p.bytes.done)} of ${formatBytes(Math.max(p.bytes.total, p.bytes.done))}`;
  return `${p.phase}: blobs ${blobs}, ${bytes}, ${formatBytes(p.bytes.done / seconds)}/s`;
}

/**
 * On a terminal, one status line redrawn at most ten times a second; otherwise a plain line at
 * each phase change, so CI logs stay readable.
 */
function createProgressDisplay(io: CommandIO, logger: Logger) {
  const started = performance.now();
  let lastDraw = 0;
  let lastPhase = '';
  let drawn = false;
  const line = (p: Progress) => formatProgress(p, Math.max((performance.now() - started) / 1000, 0.001));
  return {
    update(p: Progress) {
      if (io.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && p.phase === lastPhase) return;
        lastDraw = now;
        lastPhase = p.phase;
        drawn = true;
        io.stderr(`\r\x1b[K${line(p)}`);
      } else if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        logger.info(line(p));
      }
    },
    finish() {
      if (drawn) io.stderr('\r\x1b[K');
    },
  };
}
