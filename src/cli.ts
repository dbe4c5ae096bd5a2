#!/usr/bin/env node
/**
 * The CLI's entry point: picks the command and hands it the process's streams. (The hashbang
 * above is kept by the bundler as the first line of dist/cli.js, before the banner.) Everything else
 * lives in src/commands/ so it can run inside tests.
 */
import { type CommandIO, EXIT_FAILURE, EXIT_USAGE, guardIO } from './commands/io.js';
import { errorMessage } from './errors.js';
import { escapeControl } from './text/escape.js';
import { VERSION } from './version.js';

const USAGE = `usage: ar-mirror <command> [options]

commands:
  scan [PATH...] [--json]                       list image references in files (or "-" for a YAML stream on stdin)
  copy SOURCE DESTINATION [options]             copy one image, all platforms, same digest
  copy --from-file LIST [--to D] [--shard I/N]  copy a list of images (one shard of it)
  migrate [PATH...] --to DESTINATION [--dry-run] scan, copy every third-party image, rewrite the files
  pulls [FILE...|-] [--project P] [--bigquery P.D] which images the clusters pull, how often; cut-over gate
  doctor --to DESTINATION --cluster NAME        can these GKE nodes / Cloud Run services pull from the mirror
  runtime-config --to DESTINATION --format F    containerd, CRI-O or bare-metal registry mirror configuration
  verify [PATH...|-] [--to DESTINATION]         do mirrored references exist, agree, match the upstream
  refresh [PATH...] --to DESTINATION [--dry-run] copy tags that moved upstream, move the digest pins

Run "ar-mirror <command> --help" for a command's options, "ar-mirror --version" for the version.
`;

/** The raw bytes: decoding here would replace invalid UTF-8 before the scanner could refuse it. */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Node.js 20 reads every argument that starts with `--env-file` itself, even after the script's
 * name, before ar-mirror runs, and applies NODE_OPTIONS from that file: a repository's env file
 * named there could make Node load code. The compose option is therefore `--compose-env-file`,
 * and the old spelling is refused (Node may already have read it, so say so).
 */
function nodeReadsThis(argv: string[]): string | undefined {
  const arg = argv.find((a) => a.startsWith('--env-file'));
  if (arg === undefined) return undefined;
  return 'ar-mirror: --env-file is spelled --compose-env-file: Node.js 20 reads any --env-file argument itself (and applies NODE_OPTIONS from it) before ar-mirror starts\n';
}

async function main(argv: string[], io: CommandIO): Promise<number> {
  const refused = nodeReadsThis(argv);
  if (refused) {
    io.stderr(refused);
    return EXIT_USAGE;
  }
  const [command, ...rest] = argv;
  switch (command) {
    // Each command is loaded only when chosen: `scan` then never evaluates the registry and
    // GitHub clients (undici, google-auth-library), which cost more start-up time than a small scan.
    case 'scan':
      return (await import('./commands/scan.js')).runScanCommand(rest, io);
    case 'copy':
      return (await import('./commands/copy.js')).runCopyCommand(rest, io);
    case 'migrate':
      return (await import('./commands/migrate.js')).runMigrateCommand(rest, io);
    case 'pulls':
      return (await import('./commands/pulls.js')).runPullsCommand(rest, io);
    case 'doctor':
      return (await import('./commands/doctor.js')).runDoctorCommand(rest, io);
    case 'runtime-config':
      return (await import('./commands/runtime-config.js')).runRuntimeConfigCommand(rest, io);
    case 'verify':
      return (await import('./commands/verify.js')).runVerifyCommand(rest, io);
    case '--version':
    case '-V':
    case 'version':
      io.stdout(`ar-mirror ${VERSION}\n`);
      return 0;
    case 'refresh':
      return (await import('./commands/refresh.js')).runRefreshCommand(rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.stdout(USAGE);
      return 0;
    default:
      io.stderr(command ? `ar-mirror: unknown command "${escapeControl(command)}"\n\n${USAGE}` : USAGE);
      return EXIT_USAGE;
  }
}

// Every byte a command prints goes through guardIO, which masks the secrets; so does the message
// of anything a command failed to catch (Node would otherwise print it, and its stack, raw).
const io = guardIO({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  env: process.env,
  readStdin,
});
try {
  process.exitCode = await main(process.argv.slice(2), io);
} catch (err: unknown) {
  io.stderr(`ar-mirror: ${escapeControl(errorMessage(err))}\n`);
  process.exitCode = EXIT_FAILURE;
}
