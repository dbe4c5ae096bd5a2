import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  renderTable
} from "./chunk-YSGL2JGS.js";
import {
  allFinders,
  decodeText,
  extractYamlStream,
  scanPaths
} from "./chunk-JZPMK2HD.js";
import "./chunk-7AXOBIP5.js";
import "./chunk-UBDPY4Y4.js";
import {
  formatReference,
  isThirdParty,
  splitLists,
  validateGlobs
} from "./chunk-FHORZPU6.js";
import {
  EXIT_OK,
  UsageError,
  escapeControl,
  parseCommandLine
} from "./chunk-TH6AUOUN.js";
import "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/scan.ts
import { parseArgs } from "node:util";

// src/scan/report.ts
function toScanReport(occurrences, diagnostics, firstParty = []) {
  const references = occurrences.map((occurrence) => toRecord(occurrence, firstParty));
  references.sort(compareRecords);
  const sortedDiagnostics = [...diagnostics].sort((a, b) => compareText(a.file, b.file) || a.line - b.line);
  return { references, diagnostics: sortedDiagnostics };
}
function toRecord(occurrence, firstParty) {
  const { reference } = occurrence;
  return {
    file: occurrence.file,
    line: occurrence.start.line,
    column: occurrence.start.column,
    endLine: occurrence.end.line,
    endColumn: occurrence.end.column,
    kind: occurrence.kind,
    raw: occurrence.raw,
    image: formatReference(reference),
    registry: reference.registry,
    repository: reference.repository,
    tag: reference.tag ?? null,
    digest: reference.digest ?? null,
    thirdParty: isThirdParty(reference.registry, reference.repository, firstParty)
  };
}
function compareRecords(a, b) {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}
function compareText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/commands/scan.ts
var SCAN_USAGE = `usage: ar-mirror scan [PATH...] [--json] [--first-party HOST[,HOST...]] [--exclude GLOB]... [--compose-env-file FILE]...
  PATH        files or directories to scan (default: .); "-" reads a YAML stream from stdin
  --compose-env-file FILE  env files compose interpolates with instead of each project's .env
              (docker compose --env-file; named so because Node.js 20 reads --env-file itself)`;
async function runScanCommand(argv, io) {
  const parsed = parseCommandLine("scan", SCAN_USAGE, io, () => parseScanArgs(argv));
  if ("exit" in parsed) return parsed.exit;
  const options = parsed.args;
  const { occurrences, diagnostics } = await collect(options, io);
  const report = toScanReport(occurrences, diagnostics, options.firstParty);
  if (options.json) io.stdout(`${JSON.stringify(report, null, 2)}
`);
  else io.stdout(renderScanReport(report));
  return EXIT_OK;
}
function parseScanArgs(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        "first-party": { type: "string", multiple: true },
        exclude: { type: "string", multiple: true },
        "compose-env-file": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" }
      }
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.values.help) return "help";
  const list = (value) => splitLists(value);
  const exclude = list(parsed.values.exclude);
  validateGlobs(exclude, "--exclude");
  const paths = parsed.positionals.length > 0 ? parsed.positionals : ["."];
  if (paths.includes("-") && paths.length > 1)
    throw new UsageError('"-" (stdin) cannot be combined with other paths');
  return {
    paths,
    json: parsed.values.json === true,
    firstParty: list(parsed.values["first-party"]),
    exclude,
    envFiles: parsed.values["compose-env-file"] ?? []
  };
}
async function collect({ paths, exclude, envFiles }, io) {
  if (paths[0] === "-") {
    const decoded = decodeText(io.readStdin ? await io.readStdin() : new Uint8Array());
    if ("problem" in decoded)
      return { occurrences: [], diagnostics: [{ file: "-", line: 0, ...toDiagnostic(decoded) }] };
    return extractYamlStream(decoded.content, "-");
  }
  const options = {
    finders: allFinders,
    exclude,
    envFiles,
    ...io.cwd === void 0 ? {} : { cwd: io.cwd }
  };
  return scanPaths(paths, options);
}
function toDiagnostic(decoded) {
  return { severity: decoded.severity, message: decoded.problem };
}
function renderScanReport(report) {
  const rows = report.references.map((ref) => [
    `${ref.file}:${ref.line}:${ref.column}`,
    ref.kind,
    ref.thirdParty ? "third-party" : "first-party",
    ref.image
  ]);
  let text = rows.length > 0 ? renderTable(["LOCATION", "KIND", "SOURCE", "IMAGE"], rows) : "";
  for (const diagnostic of report.diagnostics) {
    const where = diagnostic.line > 0 ? `${diagnostic.file}:${diagnostic.line}` : diagnostic.file;
    text += `${diagnostic.severity}: ${escapeControl(where)}: ${escapeControl(diagnostic.message)}
`;
  }
  const thirdParty = report.references.filter((ref) => ref.thirdParty).length;
  text += `${report.references.length} image reference(s), ${thirdParty} third-party, ${report.diagnostics.length} diagnostic(s)
`;
  return text;
}
export {
  SCAN_USAGE,
  renderScanReport,
  runScanCommand
};
