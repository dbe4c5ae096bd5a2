/**
 * `ar-mirror refresh [PATH...] --to DESTINATION`: keep mirrored images alive in a working tree.
 * For every digest-pinned mirror reference whose tag is followed, ask the upstream what the tag
 * names now; when it moved (and is old enough), copy the new digest into the mirror and rewrite
 * the pins in place (each file verified by a re-scan before it is written).
 */
import { parseArgs } from 'node:util';
import { resolveSettings, type Settings } from '../config.js';
import { errorMessage } from '../errors.js';
import { createStreamLogger, type Logger } from '../log.js';
import { rewriteFiles } from '../mirror/rewrite-files.js';
import { groupEdits, planRefresh, planRepins } from '../refresh/plan.js';
import { refreshImages } from '../refresh/run.js';
import type { RefreshedImage } from '../refresh/types.js';
import type { SourceFile } from '../scan/discover.js';
import { allFinders, extractFile } from '../scan/index.js';
import { scanPaths } from '../scan/scan.js';
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

/** The refresh command's usage text. */
export const REFRESH_USAGE = `usage: ar-mirror refresh [PATH...] --to DESTINATION [options]
  --to HOST/PATH              the mirror the references point into
  --dry-run                   look the tags up and print what would move; copy and write nothing
  --json                      print the result as one JSON object
  --path-template TEMPLATE    path under the destination (default {registry}/{repository})
  --only GLOB                 follow only these images, e.g. docker.io/library/* (repeatable)
  --ignore GLOB               never follow these images (repeatable)
  --min-age AGE               take a new digest only once it is this old: 0 (default), 90m, 12h, 3d, 2w
  --exclude GLOB              files never scanned (repeatable)
  --src-creds HOST=USER:PASS  --plain-http HOST[,HOST]  --dest-creds U:P  --jobs N  --platform os/arch
  --verbose, -v               one line per registry request on stderr`;

interface RefreshArgs {
  paths: string[];
  dryRun: boolean;
  json: boolean;
  verbose: boolean;
  settings: Settings;
  registry: RegistryFlags;
}

/** Runs refresh; exit 0 when every lookup, copy and rewrite worked, 1 when one failed, 2 on usage errors. */
export async function runRefreshCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('refresh', REFRESH_USAGE, io, () => parseRefreshArgs(argv, io.env));
  if ('exit' in parsed) return parsed.exit;
  const { args } = parsed;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const scan = dropSymbolicLinks(
    scanPaths(args.paths, {
      finders: allFinders,
      exclude: args.settings.exclude,
      ...(io.cwd === undefined ? {} : { cwd: io.cwd }),
    }),
  );
  for (const d of scan.diagnostics)
    logger.warning(`${d.line > 0 ? `${d.file}:${d.line}` : d.file}: ${d.message}`);
  const plan = planRefresh(scan.occurrences, {
    destination: args.settings.destination,
    pathTemplate: args.settings.pathTemplate,
    only: args.settings.refreshOnly,
    ignore: args.settings.refreshIgnore,
  });
  let images: RefreshedImage[];
  try {
    images = await lookUpAndCopy(args, plan.followed, io, logger);
  } catch (err) {
    io.stderr(`ar-mirror refresh: ${errorMessage(err)}\n`);
    return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
  const rewrite = args.dryRun
    ? { changes: [], failures: [] }
    : writePins(images, scan.files, scan.occurrences);
  for (const failure of rewrite.failures) logger.warning(`left unchanged: ${failure.reason}`);
  const result = { images, reported: plan.reported, ...rewrite };
  io.stdout(
    args.json ? `${JSON.stringify(resultJson(result), null, 2)}\n` : renderResult(result, args.dryRun),
  );
  const failed = images.filter((image) => image.status === 'failed').length + rewrite.failures.length;
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}

async function lookUpAndCopy(
  args: RefreshArgs,
  followed: Parameters<typeof refreshImages>[0],
  io: CommandIO,
  logger: Logger,
): Promise<RefreshedImage[]> {
  let explicit: ReturnType<typeof explicitCredentials>;
  try {
    const sources = followed.map((image) => image.source.registry);
    explicit = explicitCredentials(args.registry, sources, args.settings.destination.split('/')[0]!);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args.settings,
    explicit,
    env: io.env,
    logger,
  });
  try {
    if (followed.length > 0 && !args.dryRun) await copier.preflight(args.settings.destination);
    return await refreshImages(followed, copier, {
      minAgeMs: args.settings.refreshMinAge,
      dryRun: args.dryRun,
      platformSubset: args.settings.platforms.length > 0,
      logger,
    });
  } finally {
    await copier.close();
  }
}

/** Rewrites the pins of every moved image in place; returns what was written and what was left. */
function writePins(
  images: readonly RefreshedImage[],
  files: readonly SourceFile[],
  occurrences: Parameters<typeof planRepins>[0],
) {
  const digests = new Map(
    images
      .filter((i) => i.status === 'moved')
      .map((i) => [`${i.mirror.toLowerCase()}:${i.tag}`, i.newDigest!]),
  );
  const edits = planRepins(occurrences, digests);
  const byFile = new Map(files.map((file) => [file.file, file]));
  const plan = groupEdits(edits);
  const texts = new Map(files.map((f) => [f.file, { content: f.content, context: f }]));
  const rewrite = rewriteFiles(plan, texts, extractFile);
  const written = writeChanges(rewrite, byFile);
  return {
    changes: written.changes.map(({ file, edits }) => ({ file, edits })),
    failures: written.failures,
  };
}

function parseRefreshArgs(argv: string[], env: NodeJS.ProcessEnv): RefreshArgs | 'help' {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
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
      exclude: v.exclude,
      jobs: v.jobs,
      platforms: (v.platform ?? []).join('\n'),
      'refresh-only': v.only,
      'refresh-ignore': v.ignore,
      'refresh-min-age': v['min-age'],
      signatures: 'false',
    },
    {},
    'option',
  );
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    dryRun: v['dry-run'] === true,
    json: v.json === true,
    verbose: v.verbose === true,
    settings,
    registry: readRegistryFlags(v, env),
  };
}

const OPTIONS = {
  ...REGISTRY_OPTIONS,
  to: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  'path-template': { type: 'string' },
  only: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  'min-age': { type: 'string' },
  exclude: { type: 'string', multiple: true },
} as const;

interface RefreshOutput {
  images: RefreshedImage[];
  reported: ReturnType<typeof planRefresh>['reported'];
  changes: { file: string; edits: number }[];
  failures: { file: string; reason: string }[];
}

function resultJson(result: RefreshOutput) {
  return {
    images: result.images.map((image) => ({
      source: `${image.source.registry}/${image.source.repository}:${image.tag}`,
      mirror: `${image.mirror}:${image.tag}`,
      status: image.status,
      pinned: image.pinned,
      ...(image.newDigest === undefined ? {} : { newDigest: image.newDigest }),
      created: image.created,
      platforms: image.platforms,
      references: image.occurrences.map((o) => `${o.file}:${o.start.line}:${o.start.column}`),
      ...(image.detail === undefined ? {} : { detail: image.detail }),
    })),
    reported: result.reported.map((r) => ({
      reference: `${r.occurrence.file}:${r.occurrence.start.line}:${r.occurrence.start.column}`,
      reason: r.reason,
      detail: r.detail,
    })),
    files: result.changes,
    failures: result.failures,
  };
}

/** Outside text on one terminal line: control characters (newlines included) written as `\uXXXX`. */
function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function renderResult(result: RefreshOutput, dryRun: boolean): string {
  const short = (digest: string | undefined) => (digest === undefined ? '-' : digest.slice(0, 19));
  const rows = result.images.map((image) => [
    `${image.mirror}:${image.tag}`,
    image.pinned.map(short).join(','),
    short(image.newDigest),
    image.detail === undefined ? image.status : `${image.status}: ${printable(image.detail)}`,
  ]);
  let text =
    rows.length > 0
      ? renderTable(['MIRROR', 'PINNED', 'UPSTREAM', 'STATUS'], rows)
      : 'no followed mirror references\n';
  for (const f of result.changes) text += `rewrote ${printable(f.file)} (${f.edits} reference(s))\n`;
  for (const f of result.failures) text += `left unchanged: ${printable(f.reason)}\n`;
  for (const r of result.reported)
    text += `not followed ${printable(`${r.occurrence.file}:${r.occurrence.start.line}: ${r.occurrence.raw}: ${r.detail}`)}\n`;
  if (dryRun) text += 'dry run: nothing copied or written\n';
  return text;
}
