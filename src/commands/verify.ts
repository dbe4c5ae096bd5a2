/**
 * `ar-mirror verify [PATH...|-] [--to DEST]`: do the references into the mirror hold? Each one
 * must exist, its tag and pinned digest must agree, it must carry every `--platform`, and it is
 * compared with the upstream's current digest for the tag (the guide's digest comparison).
 * Exit 0; 1 on a missing image, a disagreeing digest, a missing platform or a registry error;
 * 2 on usage errors. An upstream that moved is reported, not failed.
 */
import { parseArgs } from 'node:util';
import { parsePlatforms } from '../config.js';
import { errorMessage } from '../errors.js';
import { createStreamLogger } from '../log.js';
import { isInMirror, type MirrorTarget, parseMirrorTarget, sourceOf } from '../platform/mirror-target.js';
import { isFailure, type VerifyResult } from '../platform/verify-report.js';
import { formatReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { createKeychain } from '../registry/credentials/keychain.js';
import { printable } from '../text/escape.js';
import { mapLimit } from '../util/map-limit.js';
import { collectReferences } from './collect-references.js';
import { keychainGoogle } from './google-flags.js';
import { type CommandIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError } from './io.js';
import {
  explicitCredentials,
  REGISTRY_OPTIONS,
  type RegistryFlags,
  readRegistryFlags,
} from './registry-flags.js';
import { createRegistryReader } from './registry-reader.js';
import { renderTable } from './table.js';
import { verifyReference } from './verify-checks.js';

/** The verify command's usage text. */
export const VERIFY_USAGE = `usage: ar-mirror verify [PATH...|-] [--to DESTINATION] [--platform OS/ARCH]... [options]
  PATH, -                     files or directories (default .), or "-" for a YAML stream on stdin
                              (kubectl get pods -A -o yaml | ar-mirror verify -)
  --to DESTINATION            the mirror (default: every LOCATION-docker.pkg.dev/PROJECT/REPOSITORY reference)
  --path-template TEMPLATE    the mirror's layout (default {registry}/{repository})
  --platform OS/ARCH          a platform the cluster runs; each image must carry it (repeatable)
  --json                      one JSON object
  --plain-http HOST  --src-creds [HOST=]USER:PASS  --dest-creds USER:PASS
  --verbose, -v               one line per registry request on stderr`;

interface VerifyArgs {
  paths: string[];
  target: MirrorTarget | undefined;
  pathTemplate: string | undefined;
  platforms: string[];
  json: boolean;
  verbose: boolean;
  registry: RegistryFlags;
}

/** Runs verify and returns its exit code. */
export async function runVerifyCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('verify', VERIFY_USAGE, io, () => parseVerifyArgs(argv, io.env));
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const found = await collectReferences(args.paths, io);
  for (const d of found.diagnostics)
    if (d.severity !== 'notice')
      logger.warning(`${printable(d.file)}${d.line > 0 ? `:${d.line}` : ''}: ${printable(d.message)}`);
  const refs = new Map<string, { ref: ImageReference; target: MirrorTarget; locations: string[] }>();
  for (const occurrence of found.occurrences) {
    const target = args.target ?? artifactRegistryTarget(occurrence.reference, args.pathTemplate);
    if (!target || !isInMirror(occurrence.reference, target)) continue;
    const key = formatReference(occurrence.reference);
    const entry = refs.get(key) ?? { ref: occurrence.reference, target, locations: [] };
    entry.locations.push(`${occurrence.file}:${occurrence.start.line}`);
    refs.set(key, entry);
  }
  let explicit: ReturnType<typeof explicitCredentials>;
  try {
    const sources = [...refs.values()]
      .map((e) => sourceOf(e.ref, e.target)?.registry)
      .filter((r): r is string => r !== undefined);
    const mirrorHost = [...refs.values()][0]?.target.host ?? args.target?.host ?? '';
    explicit = explicitCredentials(args.registry, sources, mirrorHost);
  } catch (err) {
    io.stderr(`ar-mirror verify: ${errorMessage(err)}\n`);
    return EXIT_USAGE;
  }
  const reader = createRegistryReader({
    keychain: createKeychain({ explicit, env: io.env, logger, google: keychainGoogle(undefined, io.env) }),
    logger,
    plainHttp: args.registry.plainHttp,
    endpoints: args.registry.endpoints,
  });
  let results: VerifyResult[];
  try {
    results = await mapLimit([...refs.values()], 4, (e) =>
      verifyReference(reader, e.ref, { target: e.target, platforms: args.platforms, locations: e.locations }),
    );
  } finally {
    await reader.close();
  }
  io.stdout(args.json ? `${JSON.stringify({ references: results }, null, 2)}\n` : renderResults(results));
  return results.some((r) => isFailure(r.status)) ? EXIT_FAILURE : EXIT_OK;
}

/** Without --to: an Artifact Registry reference's own repository is the mirror. */
function artifactRegistryTarget(
  ref: ImageReference,
  pathTemplate: string | undefined,
): MirrorTarget | undefined {
  const [project, repository] = ref.repository.split('/');
  if (!/^[a-z0-9-]+-docker\.pkg\.dev$/.test(ref.registry) || !project || !repository) return undefined;
  try {
    return parseMirrorTarget(`${ref.registry}/${project}/${repository}`, pathTemplate);
  } catch {
    return undefined;
  }
}

function parseVerifyArgs(argv: string[], env: NodeJS.ProcessEnv): VerifyArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'plain-http': REGISTRY_OPTIONS['plain-http'],
      'src-creds': REGISTRY_OPTIONS['src-creds'],
      'dest-creds': REGISTRY_OPTIONS['dest-creds'],
      platform: REGISTRY_OPTIONS.platform,
      to: { type: 'string' },
      'path-template': { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const paths = positionals.length > 0 ? positionals : ['.'];
  if (paths.includes('-') && paths.length > 1)
    throw new UsageError('"-" (stdin) cannot be combined with other paths');
  let target: MirrorTarget | undefined;
  let platforms: string[];
  try {
    target = values.to === undefined ? undefined : parseMirrorTarget(values.to, values['path-template']);
    if (values['path-template'] !== undefined)
      parseMirrorTarget('example.com/probe', values['path-template']);
    platforms = parsePlatforms(values.platform ?? [], '--platform');
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  return {
    paths,
    target,
    pathTemplate: values['path-template'],
    platforms,
    json: values.json === true,
    verbose: values.verbose === true,
    registry: readRegistryFlags(values, env),
  };
}

const STATUS: Record<VerifyResult['status'], string> = {
  ok: 'ok',
  missing: 'MISSING',
  'digest-mismatch': 'DIGEST MISMATCH',
  'platform-missing': 'PLATFORM MISSING',
  error: 'ERROR',
};

/** The human report: one row per reference, then the problems and upstream notes. */
export function renderResults(results: readonly VerifyResult[]): string {
  if (results.length === 0) return 'no references into the mirror found\n';
  const upstream = (r: VerifyResult) =>
    r.upstream.state === 'unchecked'
      ? 'not compared'
      : r.upstream.state === 'moved'
        ? 'MOVED'
        : r.upstream.state;
  const rows = results.map((r) => [
    printable(r.image, 160),
    STATUS[r.status],
    upstream(r),
    printable(r.locations[0] ?? '', 100),
  ]);
  let text = renderTable(['IMAGE', 'STATUS', 'UPSTREAM', 'WHERE'], rows);
  for (const r of results) {
    for (const problem of r.problems) text += `${printable(r.image, 160)}: ${printable(problem, 500)}\n`;
    if (r.upstream.detail && r.upstream.state !== 'current')
      text += `${printable(r.image, 160)}: ${printable(r.upstream.detail, 500)}\n`;
  }
  const failed = results.filter((r) => isFailure(r.status)).length;
  const moved = results.filter((r) => r.upstream.state === 'moved').length;
  text += `${results.length} reference(s) into the mirror, ${failed} failed, ${moved} whose upstream moved\n`;
  return text;
}
