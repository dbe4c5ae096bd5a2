#!/usr/bin/env node
import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  EXIT_FAILURE,
  EXIT_USAGE,
  escapeControl,
  guardIO
} from "./cli-chunks/chunk-TH6AUOUN.js";
import {
  errorMessage
} from "./cli-chunks/chunk-P3YMENVP.js";
import "./cli-chunks/chunk-FJ4UO5DN.js";

// src/version.ts
var VERSION = true ? "1.0.0" : "0.0.0-dev";

// src/cli.ts
var USAGE = `usage: ar-mirror <command> [options]

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
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}
function nodeReadsThis(argv) {
  const arg = argv.find((a) => a.startsWith("--env-file"));
  if (arg === void 0) return void 0;
  return "ar-mirror: --env-file is spelled --compose-env-file: Node.js 20 reads any --env-file argument itself (and applies NODE_OPTIONS from it) before ar-mirror starts\n";
}
async function main(argv, io2) {
  const refused = nodeReadsThis(argv);
  if (refused) {
    io2.stderr(refused);
    return EXIT_USAGE;
  }
  const [command, ...rest] = argv;
  switch (command) {
    // Each command is loaded only when chosen: `scan` then never evaluates the registry and
    // GitHub clients (undici, google-auth-library), which cost more start-up time than a small scan.
    case "scan":
      return (await import("./cli-chunks/scan-WUL26XRQ.js")).runScanCommand(rest, io2);
    case "copy":
      return (await import("./cli-chunks/copy-VMNZUEIE.js")).runCopyCommand(rest, io2);
    case "migrate":
      return (await import("./cli-chunks/migrate-IYQPOEKR.js")).runMigrateCommand(rest, io2);
    case "pulls":
      return (await import("./cli-chunks/pulls-PKQ3PS7Y.js")).runPullsCommand(rest, io2);
    case "doctor":
      return (await import("./cli-chunks/doctor-UL5MZ4YY.js")).runDoctorCommand(rest, io2);
    case "runtime-config":
      return (await import("./cli-chunks/runtime-config-BRDQI6NA.js")).runRuntimeConfigCommand(rest, io2);
    case "verify":
      return (await import("./cli-chunks/verify-4L5TJYAL.js")).runVerifyCommand(rest, io2);
    case "--version":
    case "-V":
    case "version":
      io2.stdout(`ar-mirror ${VERSION}
`);
      return 0;
    case "refresh":
      return (await import("./cli-chunks/refresh-CPSHABFJ.js")).runRefreshCommand(rest, io2);
    case "--help":
    case "-h":
    case "help":
      io2.stdout(USAGE);
      return 0;
    default:
      io2.stderr(command ? `ar-mirror: unknown command "${escapeControl(command)}"

${USAGE}` : USAGE);
      return EXIT_USAGE;
  }
}
var io = guardIO({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
  env: process.env,
  readStdin
});
try {
  process.exitCode = await main(process.argv.slice(2), io);
} catch (err) {
  io.stderr(`ar-mirror: ${escapeControl(errorMessage(err))}
`);
  process.exitCode = EXIT_FAILURE;
}
