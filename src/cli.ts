/**
 * The CLI's entry point: picks the command and hands it the process's streams. Everything else
 * lives in src/commands/ so it can run inside tests.
 */
import { type CommandIO, EXIT_USAGE } from './commands/io.js';

const USAGE = `usage: ar-mirror <command> [options]

commands:
  scan [PATH...] [--json]                       list image references in files (or "-" for a YAML stream on stdin)
  copy SOURCE DESTINATION [options]             copy one image, all platforms, same digest
  migrate [PATH...] --to DESTINATION [--dry-run] scan, copy every third-party image, rewrite the files
  refresh [PATH...] --to DESTINATION [--dry-run] copy tags that moved upstream, move the digest pins

Run "ar-mirror <command> --help" for a command's options.
`;

/** The raw bytes: decoding here would replace invalid UTF-8 before the scanner could refuse it. */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(argv: string[]): Promise<number> {
  const io: CommandIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    env: process.env,
    readStdin,
  };
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
    case 'refresh':
      return (await import('./commands/refresh.js')).runRefreshCommand(rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.stdout(USAGE);
      return 0;
    default:
      io.stderr(command ? `ar-mirror: unknown command "${command}"\n\n${USAGE}` : USAGE);
      return EXIT_USAGE;
  }
}

process.exitCode = await main(process.argv.slice(2));
