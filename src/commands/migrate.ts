/**
 * `ar-mirror migrate [PATH...] --to DESTINATION [--dry-run]`: the whole manual migration for a
 * working tree. Scan, plan, copy every third-party image, rewrite the files in place (each file
 * verified by a re-scan before it is written), and print what happened.
 */
import { parseArgs } from 'node:util';
import { resolveSettings, type Settings } from '../config.js';
import { errorMessage } from '../errors.js';
import { createStreamLogger, type Logger } from '../log.js';
import { type MirrorOutcome, mirrorImages } from '../mirror/mirror-images.js';
import { type FileText, rewriteFiles } from '../mirror/rewrite-files.js';
import { type CopyJob, type CopyPlan, type CopyResult, planCopies, planEdits } from '../plan/index.js';
import type { Credential } from '../registry/credentials/types.js';
import type { SourceFile } from '../scan/discover.js';
import { allFinders, extractFile } from '../scan/index.js';
import { scanPaths } from '../scan/scan.js';
import { escapeControl } from '../text/escape.js';
import { previewRewrites, type RewritePreview, renderPreview, where } from './dry-run.js';
import { type CommandIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError } from './io.js';
import {
  createCommandCopier,
  explicitCredentials,
  REGISTRY_OPTIONS,
  type RegistryFlags,
  readRegistryFlags,
} from './registry-flags.js';
import { renderTable } from './table.js';
import { dropSymbolicLinks, writeChanges } from './write-file.js';

/** The migrate command's usage text (printed by --help and after usage errors). */
export const MIGRATE_USAGE = `usage: ar-mirror migrate [PATH...] --to DESTINATION [--dry-run] [options]
  --to HOST/PATH              where to mirror, e.g. us-docker.pkg.dev/PROJECT/REPOSITORY
  --dry-run                   print the plan; copy and write nothing
  --json                      print the result as one JSON object
  --path-template TEMPLATE    path under the destination (default {registry}/{repository})
  --no-pin-digest             rewrite to the tag only, not tag@digest
  --signatures                also copy signatures, attestations and referrers
  --first-party HOST          registries never mirrored (repeatable)
  --ignore-image GLOB         images never mirrored (repeatable)
  --exclude GLOB              files never scanned (repeatable)
  --compose-env-file FILE     env files compose interpolates with instead of .env (repeatable;
                              docker compose --env-file)
  --create-repository         create a missing Artifact Registry repository
  --src-creds HOST=USER:PASS  credentials for one source registry (repeatable; plain USER:PASS
                              only when every image comes from one registry)
  --timeout DURATION          give up on one image's copy after this long (default 30m)
  --plain-http HOST[,HOST]    --dest-creds U:P  --jobs N  --platform os/arch`;

interface MigrateArgs {
  paths: string[];
  /** `--compose-env-file` values, in order. Default: none. */
  envFiles: string[];
  dryRun: boolean;
  json: boolean;
  verbose: boolean;
  settings: Settings;
  registry: RegistryFlags;
}

/** Runs migrate; exit 0 when everything planned was done, 1 when a copy or rewrite failed, 2 on usage errors. */
export async function runMigrateCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('migrate', MIGRATE_USAGE, io, () => parseMigrateArgs(argv, io.env));
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const scan = dropSymbolicLinks(
    scanPaths(args.paths, {
      finders: allFinders,
      exclude: args.settings.exclude,
      envFiles: args.envFiles,
      ...(io.cwd === undefined ? {} : { cwd: io.cwd }),
    }),
  );
  // The same levels and form as `scan` prints them (`notice: file:line: …`).
  for (const d of scan.diagnostics)
    logger.info(`${d.severity}: ${d.line > 0 ? `${d.file}:${d.line}` : d.file}: ${d.message}`);
  let plan: CopyPlan;
  try {
    plan = planCopies(scan.occurrences, {
      destination: args.settings.destination,
      pathTemplate: args.settings.pathTemplate,
      firstParty: args.settings.firstPartyRegistries,
      ignore: args.settings.ignoreImages,
    });
  } catch (err) {
    io.stderr(`ar-mirror migrate: ${escapeControl(errorMessage(err))}\n`);
    return EXIT_USAGE;
  }
  if (args.dryRun) {
    const preview = previewRewrites(plan, scan.files);
    io.stdout(
      args.json
        ? `${JSON.stringify(planJson(plan, preview), null, 2)}\n`
        : renderPlan(plan, preview, args.settings.pinDigest),
    );
    return EXIT_OK;
  }
  return execute(args, plan, scan.files, io, logger);
}

async function execute(
  args: MigrateArgs,
  plan: CopyPlan,
  files: SourceFile[],
  io: CommandIO,
  logger: Logger,
) {
  let explicit: Record<string, Credential>;
  try {
    const sourceHosts = plan.jobs.map((job) => job.occurrences[0]!.reference.registry);
    explicit = explicitCredentials(args.registry, sourceHosts, args.settings.destination.split('/')[0]!);
  } catch (err) {
    io.stderr(`ar-mirror migrate: ${escapeControl(errorMessage(err))}\n`);
    return EXIT_USAGE;
  }
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args.settings,
    explicit,
    env: io.env,
    logger,
  });
  let outcomes: MirrorOutcome<CopyJob>[];
  try {
    if (plan.jobs.length > 0) await copier.preflight(args.settings.destination);
    outcomes = await mirrorImages(plan.jobs, copier.copy, { logger });
  } catch (err) {
    io.stderr(`ar-mirror migrate: ${escapeControl(errorMessage(err))}\n`);
    return EXIT_FAILURE;
  } finally {
    await copier.close();
  }
  const results = new Map<string, CopyResult>();
  for (const outcome of outcomes)
    if (outcome.status === 'mirrored') results.set(outcome.job.source, outcome.result);
  const edits = planEdits(plan.jobs, results, { pinDigest: args.settings.pinDigest });
  const byFile = new Map(files.map((f) => [f.file, f]));
  const texts = new Map<string, FileText>(files.map((f) => [f.file, { content: f.content, context: f }]));
  const rewrite = writeChanges(rewriteFiles(edits, texts, extractFile), byFile);
  for (const failure of rewrite.failures) logger.warning(`left unchanged: ${failure.reason}`);
  const failed = outcomes.filter((o) => o.status === 'failed').length + rewrite.failures.length;
  const summary = {
    outcomes,
    files: rewrite.changes.map(({ file, edits }) => ({ file, edits })),
    failures: rewrite.failures,
  };
  io.stdout(args.json ? `${JSON.stringify(resultJson(summary), null, 2)}\n` : renderResult(summary));
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}

function parseMigrateArgs(argv: string[], env: NodeJS.ProcessEnv): MigrateArgs | 'help' {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof MIGRATE_OPTIONS }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: MIGRATE_OPTIONS });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!v.to) throw new UsageError('--to DESTINATION is required');
  const settings = resolveSettings(
    {
      destination: v.to,
      'path-template': v['path-template'],
      'pin-digest': v['no-pin-digest'] ? 'false' : '',
      signatures: v.signatures ? 'true' : 'false',
      'first-party-registries': v['first-party'],
      'ignore-images': v['ignore-image'],
      exclude: v.exclude,
      'create-repository': v['create-repository'] ? 'true' : 'false',
      jobs: v.jobs,
      timeout: v.timeout,
      platforms: (v.platform ?? []).join('\n'),
    },
    {},
    'option',
  );
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    envFiles: v['compose-env-file'] ?? [],
    dryRun: v['dry-run'] === true,
    json: v.json === true,
    verbose: v.verbose === true,
    settings,
    registry: readRegistryFlags(v, env),
  };
}

const MIGRATE_OPTIONS = {
  ...REGISTRY_OPTIONS,
  to: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  'path-template': { type: 'string' },
  'no-pin-digest': { type: 'boolean' },
  signatures: { type: 'boolean' },
  'first-party': { type: 'string', multiple: true },
  'ignore-image': { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'compose-env-file': { type: 'string', multiple: true },
  'create-repository': { type: 'boolean' },
} as const;

/**
 * The dry-run plan as JSON: the copies, the references not copied (`skipped`), the references
 * copied but not rewritten (`notRewritten`) and each file's would-be rewrite (`files[].diff`).
 */
function planJson(plan: CopyPlan, preview: RewritePreview) {
  return {
    copies: plan.jobs.map((job) => ({
      source: job.source,
      destination: job.destination,
      references: job.occurrences.map(where),
    })),
    skipped: plan.skipped.map((s) => ({
      reference: where(s.occurrence),
      reason: s.reason,
      detail: s.detail,
    })),
    notRewritten: preview.notRewritten,
    files: preview.files,
  };
}

/**
 * The dry-run output: what would be copied where, what is left alone and why, what is copied but
 * not rewritten, and the diff of each file that would change.
 */
export function renderPlan(plan: CopyPlan, preview: RewritePreview, pinDigest = true): string {
  const rows = plan.jobs.map((job) => [job.source, job.destination, job.occurrences.map(where).join(' ')]);
  let text =
    rows.length > 0 ? renderTable(['SOURCE', 'DESTINATION', 'REFERENCES'], rows) : 'nothing to mirror\n';
  for (const s of plan.skipped.filter((s) => s.reason !== 'first-party'))
    text += `${escapeControl(`skip ${where(s.occurrence)}: ${s.reason}: ${s.detail}`)}\n`;
  text += renderPreview(preview);
  const files = preview.files.length;
  const references = plan.jobs.reduce((n, j) => n + j.occurrences.length, 0) - preview.notRewritten.length;
  const pinned =
    pinDigest && files > 0 ? '; the diffs show tags, and each reference also gets @<digest> of its copy' : '';
  text += `${plan.jobs.length} image(s) to copy, ${references} reference(s) to rewrite in ${files} file(s), ${preview.notRewritten.length} copied but not rewritten (dry run: nothing copied or written${pinned})\n`;
  return text;
}

interface MigrateSummary {
  outcomes: MirrorOutcome<CopyJob>[];
  files: { file: string; edits: number }[];
  failures: { file: string; reason: string }[];
}

function resultJson(summary: MigrateSummary) {
  return {
    images: summary.outcomes.map((o) =>
      o.status === 'mirrored'
        ? {
            source: o.job.source,
            destination: o.job.destination,
            status: o.status,
            digest: o.result.digest,
            platforms: o.result.platforms,
            bytes: o.result.bytes,
          }
        : { source: o.job.source, destination: o.job.destination, status: o.status, error: o.error },
    ),
    files: summary.files,
    failures: summary.failures,
  };
}

function renderResult(summary: MigrateSummary): string {
  const rows = summary.outcomes.map((o) => [
    o.job.source,
    o.job.destination,
    o.status === 'mirrored' ? o.result.digest : `failed: ${o.error}`,
  ]);
  let text = rows.length > 0 ? renderTable(['SOURCE', 'DESTINATION', 'DIGEST'], rows) : 'nothing to mirror\n';
  for (const f of summary.files) text += `rewrote ${escapeControl(f.file)} (${f.edits} reference(s))\n`;
  for (const f of summary.failures) text += `left unchanged: ${escapeControl(f.reason)}\n`;
  return text;
}
