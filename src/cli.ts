/**
 * The CLI's entry point: picks the command and hands it the process's streams. Everything else
 * lives in src/commands/ so it can run inside tests.
 */
import { runCopyCommand } from './commands/copy.js';
import { type CommandIO, EXIT_USAGE } from './commands/io.js';
import { runMigrateCommand } from './commands/migrate.js';
import { runScanCommand } from './commands/scan.js';

const USAGE = `usage: ar-mirror <command> [options]

commands:
  scan [PATH...] [--json]                       list image references in files (or "-" for a YAML stream on stdin)
  copy SOURCE DESTINATION [options]             copy one image, all platforms, same digest
  migrate [PATH...] --to DESTINATION [--dry-run] scan, copy every third-party image, rewrite the files

Run "ar-mirror <command> --help" for a command's options.
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
    case 'scan':
      return runScanCommand(rest, io);
    case 'copy':
      return runCopyCommand(rest, io);
    case 'migrate':
      return runMigrateCommand(rest, io);
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
