/** `ar-mirror scan [PATH...] [--json]`: find image references in files, or in a YAML stream on stdin. */
import { parseArgs } from 'node:util';
import { splitLists } from '../config.js';
import { validateGlobs } from '../glob.js';
import { decodeText } from '../scan/discover.js';
import { allFinders, extractYamlStream } from '../scan/index.js';
import { type ScanReport, toScanReport } from '../scan/report.js';
import { scanPaths } from '../scan/scan.js';
import type { Diagnostic, ImageOccurrence } from '../scan/types.js';
import { escapeControl } from '../text/escape.js';
import { type CommandIO, EXIT_OK, parseCommandLine, UsageError } from './io.js';
import { renderTable } from './table.js';

/** The scan command's usage text (printed by --help and after usage errors). */
export const SCAN_USAGE = `usage: ar-mirror scan [PATH...] [--json] [--first-party HOST[,HOST...]] [--exclude GLOB]... [--compose-env-file FILE]...
  PATH        files or directories to scan (default: .); "-" reads a YAML stream from stdin
  --compose-env-file FILE  env files compose interpolates with instead of each project's .env
              (docker compose --env-file; named so because Node.js 20 reads --env-file itself)`;

/** Runs the scan command and returns the exit code: 0 when the scan completed, 2 on usage errors. */
export async function runScanCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('scan', SCAN_USAGE, io, () => parseScanArgs(argv));
  if ('exit' in parsed) return parsed.exit;
  const options = parsed.args;
  const { occurrences, diagnostics } = await collect(options, io);
  const report = toScanReport(occurrences, diagnostics, options.firstParty);
  if (options.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderScanReport(report));
  return EXIT_OK;
}

function parseScanArgs(argv: string[]) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        'first-party': { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        'compose-env-file': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.values.help) return 'help' as const;
  const list = (value: unknown) => splitLists(value as string[] | undefined);
  const exclude = list(parsed.values.exclude);
  validateGlobs(exclude, '--exclude');
  const paths = parsed.positionals.length > 0 ? parsed.positionals : ['.'];
  if (paths.includes('-') && paths.length > 1)
    throw new UsageError('"-" (stdin) cannot be combined with other paths');
  return {
    paths,
    json: parsed.values.json === true,
    firstParty: list(parsed.values['first-party']),
    exclude,
    envFiles: (parsed.values['compose-env-file'] as string[] | undefined) ?? [],
  };
}

async function collect(
  { paths, exclude, envFiles }: { paths: string[]; exclude: string[]; envFiles: string[] },
  io: CommandIO,
): Promise<{ occurrences: ImageOccurrence[]; diagnostics: Diagnostic[] }> {
  if (paths[0] === '-') {
    const decoded = decodeText(io.readStdin ? await io.readStdin() : new Uint8Array());
    if ('problem' in decoded)
      return { occurrences: [], diagnostics: [{ file: '-', line: 0, ...toDiagnostic(decoded) }] };
    return extractYamlStream(decoded.content, '-');
  }
  const options = {
    finders: allFinders,
    exclude,
    envFiles,
    ...(io.cwd === undefined ? {} : { cwd: io.cwd }),
  };
  return scanPaths(paths, options);
}

function toDiagnostic(decoded: { problem: string; severity: Diagnostic['severity'] }) {
  return { severity: decoded.severity, message: decoded.problem };
}

/** The human-readable scan output: one row per reference, then the diagnostics, then a count. */
export function renderScanReport(report: ScanReport): string {
  const rows = report.references.map((ref) => [
    `${ref.file}:${ref.line}:${ref.column}`,
    ref.kind,
    ref.thirdParty ? 'third-party' : 'first-party',
    ref.image,
  ]);
  let text = rows.length > 0 ? renderTable(['LOCATION', 'KIND', 'SOURCE', 'IMAGE'], rows) : '';
  for (const diagnostic of report.diagnostics) {
    const where = diagnostic.line > 0 ? `${diagnostic.file}:${diagnostic.line}` : diagnostic.file;
    text += `${diagnostic.severity}: ${escapeControl(where)}: ${escapeControl(diagnostic.message)}\n`;
  }
  const thirdParty = report.references.filter((ref) => ref.thirdParty).length;
  text += `${report.references.length} image reference(s), ${thirdParty} third-party, ${report.diagnostics.length} diagnostic(s)\n`;
  return text;
}
