import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  copyOutcome,
  mirrorImages
} from "./chunk-SKB74HZ4.js";
import {
  REGISTRY_OPTIONS,
  createCommandCopier,
  destinationReference,
  explicitCredentials,
  isArtifactRegistryHost,
  readRegistryFlags
} from "./chunk-PD2CQFDG.js";
import "./chunk-U4PV7WAK.js";
import {
  createStreamLogger
} from "./chunk-VAYOJ3Y5.js";
import {
  renderTable
} from "./chunk-YSGL2JGS.js";
import {
  readRegularFile
} from "./chunk-7AXOBIP5.js";
import {
  destinationFor,
  formatReference,
  parseJobs,
  parsePlatforms,
  parseReference,
  parseTimeout,
  repositoryName
} from "./chunk-FHORZPU6.js";
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  escapeControl,
  parseCommandLine,
  printable
} from "./chunk-TH6AUOUN.js";
import "./chunk-BLDWR4WJ.js";
import {
  ConfigError,
  InvalidReferenceError,
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/copy.ts
import { parseArgs as parseArgs2 } from "node:util";

// src/github/summary.ts
function formatBytes(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
var MAX_SUMMARY_BYTES = 1024 * 1024 - 4096;

// src/commands/copy-bulk.ts
import { parseArgs } from "node:util";

// src/plan/shard.ts
import { createHash } from "node:crypto";
var MAX_SHARDS = 1e4;
function parseShard(text, where = "--shard") {
  const match = /^\s*(\d{1,5})\s*\/\s*(\d{1,5})\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_SHARDS || index >= count) {
    throw new ConfigError(
      `${where} "${text}" must be I/N with 0 <= I < N <= ${MAX_SHARDS} (I counts from 0, as CLOUD_RUN_TASK_INDEX)`
    );
  }
  return { index, count };
}
function shardOf(repository, count) {
  const digest = createHash("sha256").update(repository, "utf8").digest();
  return digest.readUIntBE(0, 6) % count;
}

// src/plan/bulk.ts
function planBulkCopies(entries, options = {}) {
  const unique = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    const job = planEntry(entry, options);
    const key = `${job.source} ${job.destination}`;
    if (!unique.has(key)) unique.set(key, job);
  }
  const all = [...unique.values()];
  const { shard } = options;
  const jobs = shard ? all.filter((job) => shardOf(job.repository, shard.count) === shard.index) : all;
  return { jobs, total: all.length };
}
function planEntry(entry, options) {
  try {
    const src = parseReference(entry.source);
    let destination = entry.destination;
    if (destination === void 0) {
      if (options.to === void 0)
        throw new ConfigError("no DESTINATION on this line; give one or pass --to");
      destination = destinationFor(src, {
        destination: options.to,
        ...options.pathTemplate ? { pathTemplate: options.pathTemplate } : {}
      });
    }
    return {
      source: formatReference(src),
      destination: formatReference(destinationReference(destination, src)),
      repository: repositoryName(src),
      where: entry.where
    };
  } catch (err) {
    throw new ConfigError(`${entry.where}: ${errorMessage(err)}`);
  }
}

// src/commands/copy-list.ts
var MAX_LIST_ENTRIES = 1e5;
var MAX_FIELD_LENGTH = 2048;
var ARRAY_KEYS = ["references", "images", "pulls", "copies"];
function parseCopyList(text, fileName) {
  const body = text.replace(/^\uFEFF/, "");
  const entries = /^\s*[[{]/.test(body) ? parseJsonList(body, fileName) : parseTextList(body, fileName);
  if (entries.length > MAX_LIST_ENTRIES) {
    throw new UsageError(
      `${fileName}: ${entries.length} images; at most ${MAX_LIST_ENTRIES} per list (split it)`
    );
  }
  return entries;
}
function parseTextList(text, fileName) {
  const entries = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length && entries.length <= MAX_LIST_ENTRIES; index++) {
    const where = `${fileName}:${index + 1}`;
    const content = lines[index].replace(/(^|\s)#.*$/, "").trim();
    if (content === "") continue;
    const fields = content.split(/\s+/);
    if (fields.length > 2) {
      throw new UsageError(`${where}: expected SOURCE [DESTINATION], got ${fields.length} fields`);
    }
    entries.push({ source: field(fields[0], where), destination: optional(fields[1], where), where });
  }
  return entries;
}
function parseJsonList(text, fileName) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${fileName}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const items = arrayOf(value);
  if (items === void 0) {
    throw new UsageError(
      `${fileName}: expected a JSON array of images, or an object with a "${ARRAY_KEYS.join('", "')}" array`
    );
  }
  const entries = [];
  for (let index = 0; index < items.length && entries.length <= MAX_LIST_ENTRIES; index++) {
    const entry = jsonEntry(items[index], `${fileName}[${index + 1}]`);
    if (entry) entries.push(entry);
  }
  return entries;
}
function arrayOf(value) {
  if (Array.isArray(value)) return value;
  if (typeof value !== "object" || value === null) return void 0;
  for (const key of ARRAY_KEYS) {
    const candidate = value[key];
    if (Array.isArray(candidate)) return candidate;
  }
  return void 0;
}
function jsonEntry(item, where) {
  if (typeof item === "string") return { source: field(item, where), destination: void 0, where };
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new UsageError(`${where}: expected an image string or an object with "source" or "image"`);
  }
  const record = item;
  if (record.thirdParty === false) return void 0;
  const name = ["source", "image", "canonical"].find(
    (key) => record[key] !== void 0 && record[key] !== null
  );
  if (name === void 0) throw new UsageError(`${where}: no "source", "image" or "canonical" field`);
  return {
    source: field(record[name], `${where}.${name}`),
    destination: optional(record.destination, where),
    where
  };
}
function field(value, where) {
  if (typeof value !== "string" || value.trim() === "")
    throw new UsageError(`${where}: expected an image reference`);
  if (value.length > MAX_FIELD_LENGTH)
    throw new UsageError(`${where}: longer than ${MAX_FIELD_LENGTH} characters`);
  return value.trim();
}
function optional(value, where) {
  return value === void 0 || value === null ? void 0 : field(value, `${where} destination`);
}

// src/commands/copy-bulk.ts
var BULK_USAGE = `usage: ar-mirror copy --from-file LIST [--to HOST/PATH] [--shard I/N] [options]
  --from-file LIST      one "SOURCE [DESTINATION]" per line (# comments), or the JSON of scan --json,
                        migrate --dry-run --json or pulls --json; "-" reads standard input
  --to HOST/PATH        destination prefix for images without DESTINATION, mapped as migrate maps them
  --path-template T     path under --to (default {registry}/{repository})
  --shard I/N           copy only shard I of N (I from 0); all images of a repository share a shard
  --images N            images copied at once (default 2); --jobs N blobs at once per registry
  and --platform, --signatures, --timeout, --plain-http, --src-creds HOST=USER:PASS, --dest-creds, --create-repository, --json, --verbose`;
var MAX_LIST_BYTES = 64 * 1024 * 1024;
async function runBulkCopyCommand(argv, io) {
  const input = io.readStdin;
  const stdin = argv.includes("-") && input ? new TextDecoder().decode(await input()) : void 0;
  const parsed = parseCommandLine("copy", BULK_USAGE, io, () => parseBulkArgs(argv, io, stdin));
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  if (args.plan.jobs.length === 0) {
    io.stdout(args.json ? `${JSON.stringify(resultJson(args, []), null, 2)}
` : summaryLine(args, []));
    return EXIT_OK;
  }
  let outcomes;
  try {
    outcomes = await copyAll(args, io);
  } catch (err) {
    io.stderr(`ar-mirror copy: ${errorMessage(err)}
`);
    return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
  io.stdout(
    args.json ? `${JSON.stringify(resultJson(args, outcomes), null, 2)}
` : renderResult(args, outcomes)
  );
  return outcomes.some((o) => o.status === "failed") ? EXIT_FAILURE : EXIT_OK;
}
async function copyAll(args, io) {
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const jobs = args.plan.jobs;
  const destinationHosts = [...new Set(jobs.map((job) => job.destination.split("/")[0]))];
  if (args.registry.destCreds && destinationHosts.length > 1) {
    throw new UsageError(
      `--dest-creds would go to every destination registry (${destinationHosts.join(", ")})`
    );
  }
  const sourceHosts = jobs.map((job) => job.source.split("/")[0]);
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args,
    explicit: explicitCredentials(args.registry, sourceHosts, destinationHosts[0]),
    env: io.env,
    logger
  });
  try {
    for (const prefix of preflightPrefixes(jobs)) await copier.preflight(prefix);
    logger.info(`copying ${jobs.length} image(s)${args.shard ? ` of shard ${shardText(args.shard)}` : ""}`);
    return await mirrorImages(jobs, copier.copy, { logger, concurrency: args.images });
  } finally {
    await copier.close();
  }
}
function preflightPrefixes(jobs) {
  const prefixes = jobs.map((job) => job.destination.split("/")).filter((parts) => isArtifactRegistryHost(parts[0]) && parts.length > 3).map((parts) => parts.slice(0, 3).join("/"));
  return [...new Set(prefixes)];
}
function parseBulkArgs(argv, io, stdin) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: BULK_OPTIONS });
  if (values.help) return "help";
  if (positionals.length > 0) throw new UsageError("--from-file takes no SOURCE or DESTINATION arguments");
  const file = values["from-file"];
  const shard = values.shard === void 0 ? void 0 : parseShard(values.shard);
  const plan = planBulkCopies(parseCopyList(file === "-" ? stdin ?? "" : readList(file, io), file), {
    ...values.to === void 0 ? {} : { to: values.to },
    ...values["path-template"] === void 0 ? {} : { pathTemplate: values["path-template"] },
    ...shard ? { shard } : {}
  });
  const registry = readRegistryFlags(values, io.env);
  return {
    plan,
    shard,
    registry,
    jobs: parseJobs(registry.jobs, "--jobs"),
    timeoutMs: parseTimeout(registry.timeout, "--timeout"),
    images: parseImages(values.images),
    platforms: parsePlatforms(registry.platforms, "--platform"),
    signatures: values.signatures === true,
    createRepository: values["create-repository"] === true,
    json: values.json === true,
    verbose: values.verbose === true
  };
}
var BULK_OPTIONS = {
  ...REGISTRY_OPTIONS,
  "from-file": { type: "string" },
  to: { type: "string" },
  "path-template": { type: "string" },
  shard: { type: "string" },
  images: { type: "string" },
  signatures: { type: "boolean" },
  "create-repository": { type: "boolean" },
  json: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" }
};
function parseImages(value) {
  if (value === void 0) return 2;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 32) {
    throw new ConfigError(`--images must be a whole number from 1 to 32, got "${value}"`);
  }
  return number;
}
function readList(file, io) {
  const path = io.cwd === void 0 || file.startsWith("/") ? file : `${io.cwd}/${file}`;
  const read = readRegularFile(path, MAX_LIST_BYTES);
  if ("problem" in read) throw new UsageError(`--from-file ${printable(file)}: ${read.problem}`);
  return read.bytes.toString("utf8");
}
var shardText = (shard) => `${shard.index}/${shard.count}`;
var statusOf = (o) => o.status === "failed" ? "failed" : copyOutcome(o.result.blobs);
function summaryLine(args, outcomes) {
  const count = (status) => outcomes.filter((o) => statusOf(o) === status).length;
  const scope = args.shard ? `shard ${shardText(args.shard)}: ${args.plan.jobs.length} of ${args.plan.total} image(s)` : `${args.plan.total} image(s)`;
  if (args.plan.jobs.length === 0) return `${scope}: nothing to copy
`;
  return `${scope}: ${count("pushed")} pushed, ${count("mounted")} mounted, ${count("existing")} existing, ${count("failed")} failed
`;
}
function renderResult(args, outcomes) {
  const rows = outcomes.map((o) => [
    o.job.source,
    o.job.destination,
    statusOf(o),
    o.status === "mirrored" ? o.result.digest : ""
  ]);
  let text = renderTable(["SOURCE", "DESTINATION", "RESULT", "DIGEST"], rows);
  for (const o of outcomes)
    if (o.status === "failed") text += `failed ${o.job.source} (${o.job.where}): ${printable(o.error)}
`;
  return text + summaryLine(args, outcomes);
}
function resultJson(args, outcomes) {
  return {
    shard: args.shard ?? null,
    total: args.plan.total,
    images: outcomes.map((o) => ({
      source: o.job.source,
      destination: o.job.destination,
      status: statusOf(o),
      ...o.status === "mirrored" ? { digest: o.result.digest, platforms: o.result.platforms, bytes: o.result.bytes } : { error: o.error }
    })),
    failed: outcomes.filter((o) => o.status === "failed").length
  };
}

// src/commands/copy.ts
var COPY_USAGE = `usage: ar-mirror copy SOURCE DESTINATION [options]
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
async function runCopyCommand(argv, io) {
  if (argv.some((arg) => arg === "--from-file" || arg.startsWith("--from-file="))) {
    return runBulkCopyCommand(argv, io);
  }
  const parsed = parseCommandLine("copy", COPY_USAGE, io, () => parseCopyArgs(argv, io.env));
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const progress = createProgressDisplay(io, logger);
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args,
    explicit: args.explicit,
    env: io.env,
    logger,
    onProgress: progress.update
  });
  try {
    await copier.preflight(args.destination);
    const result = await copier.copy(args.source, args.destination);
    progress.finish();
    io.stdout(args.json ? `${JSON.stringify(jsonResult(result))}
` : describeResult(result));
    return EXIT_OK;
  } catch (err) {
    progress.finish();
    io.stderr(`ar-mirror copy: ${escapeControl(errorMessage(err))}
`);
    return err instanceof InvalidReferenceError || err instanceof ConfigError ? EXIT_USAGE : EXIT_FAILURE;
  } finally {
    await copier.close();
  }
}
function parseCopyArgs(argv, env) {
  const { values, positionals } = parseArgs2({
    args: argv,
    allowPositionals: true,
    options: {
      ...REGISTRY_OPTIONS,
      signatures: { type: "boolean", default: false },
      "create-repository": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", short: "v", default: false },
      help: { type: "boolean", short: "h", default: false }
    }
  });
  if (values.help) return "help";
  if (positionals.length !== 2)
    throw new UsageError(`expected SOURCE and DESTINATION, got ${positionals.length} arguments`);
  const [source, destination] = positionals;
  const from = parseReference(source).registry;
  const to = parseReference(destination).registry;
  const registry = readRegistryFlags(values, env);
  return {
    source,
    destination,
    registry,
    explicit: explicitCredentials(registry, [from], to),
    jobs: parseJobs(registry.jobs, "--jobs"),
    timeoutMs: parseTimeout(registry.timeout, "--timeout"),
    platforms: parsePlatforms(registry.platforms, "--platform"),
    signatures: values.signatures === true,
    createRepository: values["create-repository"] === true,
    json: values.json === true,
    verbose: values.verbose === true
  };
}
function jsonResult(r) {
  return {
    source: r.source,
    destination: r.destination,
    digest: r.digest,
    mediaType: r.mediaType,
    platforms: r.platforms,
    blobs: r.blobs,
    bytes: r.bytes
  };
}
function describeResult(r) {
  const lines = [
    `copied ${r.source} \u2192 ${r.destination}`,
    `digest    ${r.digest}${r.platformSubset ? ` (new index; source ${r.verified.sourceDigest})` : ""}`,
    `platforms ${r.platforms.length > 0 ? r.platforms.join(", ") : "(single manifest)"}`,
    `blobs     ${r.blobs.copied} copied, ${r.blobs.skipped} already present, ${r.blobs.mounted} mounted (${formatBytes(r.bytes)})`
  ];
  if (r.signatures.length > 0) lines.push(`signatures ${r.signatures.join(", ")}`);
  if (r.foreignLayers.length > 0) lines.push(`skipped   ${r.foreignLayers.length} foreign layer(s)`);
  return `${lines.map(escapeControl).join("\n")}
`;
}
function formatProgress(p, seconds) {
  const blobs = `${p.blobs.done}/${Math.max(p.blobs.total, p.blobs.done)}`;
  const bytes = `${formatBytes(p.bytes.done)} of ${formatBytes(Math.max(p.bytes.total, p.bytes.done))}`;
  return `${p.phase}: blobs ${blobs}, ${bytes}, ${formatBytes(p.bytes.done / seconds)}/s`;
}
function createProgressDisplay(io, logger) {
  const started = performance.now();
  let lastDraw = 0;
  let lastPhase = "";
  let drawn = false;
  const line = (p) => formatProgress(p, Math.max((performance.now() - started) / 1e3, 1e-3));
  return {
    update(p) {
      if (io.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && p.phase === lastPhase) return;
        lastDraw = now;
        lastPhase = p.phase;
        drawn = true;
        io.stderr(`\r\x1B[K${line(p)}`);
      } else if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        logger.info(line(p));
      }
    },
    finish() {
      if (drawn) io.stderr("\r\x1B[K");
    }
  };
}
export {
  COPY_USAGE,
  formatProgress,
  jsonResult,
  runCopyCommand
};
