import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  mirrorImages
} from "./chunk-SKB74HZ4.js";
import {
  dropSymbolicLinks,
  rewriteFiles,
  rewriteProblem,
  unpinnedNote,
  writeChanges
} from "./chunk-KH54RTCN.js";
import {
  REGISTRY_OPTIONS,
  createCommandCopier,
  explicitCredentials,
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
  allFinders,
  extractFile,
  scanPaths
} from "./chunk-JZPMK2HD.js";
import "./chunk-7AXOBIP5.js";
import {
  resolveSettings
} from "./chunk-UBDPY4Y4.js";
import {
  destinationFor,
  formatReference,
  globMatcher,
  isThirdParty,
  matchesRegistry,
  parseDestination,
  repositoryName,
  splitRepository,
  validatePathTemplate
} from "./chunk-FHORZPU6.js";
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  escapeControl,
  parseCommandLine
} from "./chunk-TH6AUOUN.js";
import "./chunk-BLDWR4WJ.js";
import {
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/migrate.ts
import { parseArgs } from "node:util";

// src/plan/index.ts
function planCopies(occurrences, settings) {
  const prefix = parseDestination(settings.destination);
  if (settings.pathTemplate !== void 0) validatePathTemplate(settings.pathTemplate);
  const destinationPrefix = prefix.path === "" ? prefix.host : `${prefix.host}/${prefix.path}`;
  const firstParty = [...settings.firstParty ?? [], destinationPrefix];
  const isIgnored = globMatcher(settings.ignore ?? []);
  const allow = settings.allowRegistries ?? [];
  const skipped = [];
  const drafts = /* @__PURE__ */ new Map();
  for (const occurrence of occurrences) {
    const ref = occurrence.reference;
    const source = formatReference(ref);
    const skip = (reason, detail) => skipped.push({ occurrence, reason, detail });
    if (!isThirdParty(ref.registry, ref.repository, firstParty)) {
      skip("first-party", `${repositoryName(ref)} is first-party`);
    } else if (isIgnored(repositoryName(ref)) || isIgnored(source)) {
      skip("ignored", `${source} matches ignore-images`);
    } else if (allow.length > 0 && !matchesRegistry(allow, ref.registry, ref.repository)) {
      skip("not-allowed", `${ref.registry} is not in allow-registries`);
    } else {
      const draft = drafts.get(source) ?? newDraft(ref, source, settings);
      if (typeof draft === "string") skip("invalid-destination", draft);
      else {
        draft.occurrences.push(occurrence);
        drafts.set(source, draft);
      }
    }
  }
  const jobs = dropCollisions([...drafts.values()], skipped);
  const notRewritable = jobs.flatMap(
    (job) => job.occurrences.flatMap((occurrence) => {
      const detail = rewriteProblem(occurrence);
      return detail === void 0 ? [] : [{ occurrence, reason: "not-rewritable", detail }];
    })
  );
  return { jobs, skipped, notRewritable };
}
function newDraft(ref, source, settings) {
  let repository;
  try {
    repository = destinationFor(ref, settings);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const suffix = ref.tag !== void 0 ? `:${ref.tag}` : `@${ref.digest}`;
  return { source, destination: `${repository}${suffix}`, occurrences: [], repository };
}
function dropCollisions(drafts, skipped) {
  const sourcesByTarget = /* @__PURE__ */ new Map();
  for (const draft of drafts) {
    const name = repositoryName(draft.occurrences[0].reference);
    const names = sourcesByTarget.get(draft.repository) ?? /* @__PURE__ */ new Set();
    names.add(name);
    sourcesByTarget.set(draft.repository, names);
  }
  const jobs = [];
  for (const { repository, ...job } of drafts) {
    const names = sourcesByTarget.get(repository);
    if (names.size === 1) {
      jobs.push(job);
      continue;
    }
    const detail = `${[...names].sort().join(" and ")} would both be mirrored to ${repository}`;
    for (const occurrence of job.occurrences)
      skipped.push({ occurrence, reason: "destination-collision", detail });
  }
  return jobs;
}
function planEdits(jobs, results, options = {}) {
  const pinDigest = options.pinDigest ?? true;
  const byFile = /* @__PURE__ */ new Map();
  const skipped = [];
  for (const job of jobs) {
    const result = results.get(job.source);
    const problem = jobProblem(job, result);
    for (const occurrence of job.occurrences) {
      if (rewriteProblem(occurrence) !== void 0) continue;
      if (problem) {
        skipped.push({ occurrence, ...problem });
      } else {
        const target = occurrence.target;
        const note = unpinnedNote(occurrence, target.type === "name" ? target.variables : []);
        const pin = pinDigest && occurrence.target.type !== "name";
        const destination = newReference(job, occurrence.reference, result.digest, pin);
        const edits = byFile.get(occurrence.file) ?? [];
        edits.push(note === void 0 ? { occurrence, destination } : { occurrence, destination, note });
        byFile.set(occurrence.file, edits);
      }
    }
  }
  const files = [...byFile.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([file, edits]) => ({ file, edits }));
  return { files, skipped };
}
function jobProblem(job, result) {
  if (!result) return { reason: "not-copied", detail: `${job.source} was not copied` };
  const sourceDigest = job.occurrences[0]?.reference.digest;
  if (sourceDigest !== void 0 && sourceDigest !== result.digest)
    return { reason: "digest-mismatch", detail: `${job.source} was copied as ${result.digest}` };
  return void 0;
}
function newReference(job, source, digest, pinDigest) {
  const repository = job.destination.replace(/[@:][^/]*$/, "");
  const name = splitRepository(repository);
  return {
    ...name,
    tag: source.tag,
    digest: pinDigest || source.digest !== void 0 ? digest : void 0
  };
}

// src/commands/dry-run.ts
import path from "node:path/posix";

// src/rewrite/diff.ts
var MAX_EDIT_DISTANCE = 2e3;
var NO_EOL = "\0no-eol";
function unifiedDiff(file, before, after, options = {}) {
  if (before === after) return "";
  const ops = diffLines(splitLines(before), splitLines(after));
  return `--- a/${file}
+++ b/${file}
${hunks(ops, options.context ?? 3).join("")}`;
}
function splitLines(text) {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}
function diffLines(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines) => lines.map((line) => ({ kind: " ", line }));
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  return [...same(a.slice(0, start)), ...middle, ...same(a.slice(endA))];
}
function myers(a, b) {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v);
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || k !== d && v[offset + k - 1] < v[offset + k + 1];
      let x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset);
    }
    v = next;
  }
  return [...a.map((line) => ({ kind: "-", line })), ...b.map((line) => ({ kind: "+", line }))];
}
function backtrack(trace, a, b, offset) {
  const ops = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const down = k === -d || k !== d && v[offset + k - 1] < v[offset + k + 1];
    const previousK = down ? k + 1 : k - 1;
    const previousX = v[offset + previousK];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      ops.push({ kind: " ", line: a[x] });
    }
    if (down) ops.push({ kind: "+", line: b[--y] });
    else ops.push({ kind: "-", line: a[--x] });
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: " ", line: a[x] });
  }
  return ops.reverse();
}
function hunks(ops, context) {
  const changed = ops.flatMap((op, index) => op.kind === " " ? [] : [index]);
  const result = [];
  for (let i = 0; i < changed.length; i++) {
    const first = Math.max(0, changed[i] - context);
    let last = Math.min(ops.length - 1, changed[i] + context);
    while (i + 1 < changed.length && changed[i + 1] - context <= last + 1) {
      i++;
      last = Math.min(ops.length - 1, changed[i] + context);
    }
    result.push(hunk(ops, first, last));
  }
  return result;
}
function hunk(ops, first, last) {
  let oldLine = 1;
  let newLine = 1;
  for (const op of ops.slice(0, first)) {
    if (op.kind !== "+") oldLine++;
    if (op.kind !== "-") newLine++;
  }
  const slice = ops.slice(first, last + 1);
  const oldCount = slice.filter((op) => op.kind !== "+").length;
  const newCount = slice.filter((op) => op.kind !== "-").length;
  const range = (line, count) => `${count === 0 ? line - 1 : line},${count}`;
  const body = slice.map(
    ({ kind, line }) => line.endsWith(NO_EOL) ? `${kind}${line.slice(0, -NO_EOL.length)}
\\ No newline at end of file
` : `${kind}${line}
`
  );
  return `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@
${body.join("")}`;
}

// src/commands/dry-run.ts
var UNKNOWN_DIGEST = `sha256:${"0".repeat(64)}`;
function previewRewrites(plan, files) {
  const results = new Map(
    plan.jobs.map((job) => [job.source, { digest: job.occurrences[0]?.reference.digest ?? UNKNOWN_DIGEST }])
  );
  const edits = planEdits(plan.jobs, results, { pinDigest: false });
  const texts = new Map(files.map((f) => [f.file, { content: f.content, context: f }]));
  const outcome = rewriteFiles(edits, texts, extractFile);
  const diffs = outcome.changes.map(({ file, content }) => {
    const before = texts.get(file)?.content ?? "";
    const context = path.basename(file) === ".env" ? 0 : 3;
    return { file, diff: unifiedDiff(file, before, content, { context }) };
  });
  const notRewritten = plan.notRewritable.map((skipped) => ({
    reference: where(skipped.occurrence),
    image: sourceOf(plan, skipped.occurrence),
    reason: skipped.detail
  }));
  for (const failure of outcome.failures) {
    const failed = edits.files.find((f) => f.file === failure.file)?.edits ?? [];
    for (const edit of failed) {
      notRewritten.push({
        reference: where(edit.occurrence),
        image: sourceOf(plan, edit.occurrence),
        reason: failure.reason
      });
    }
  }
  return { files: diffs, notRewritten };
}
function where(occurrence) {
  return `${occurrence.file}:${occurrence.start.line}:${occurrence.start.column}`;
}
function sourceOf(plan, occurrence) {
  return plan.jobs.find((job) => job.occurrences.includes(occurrence))?.source ?? "";
}
var CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function renderPreview(preview) {
  let text = "";
  if (preview.notRewritten.length > 0) {
    text += "copied but not rewritten:\n";
    for (const item of preview.notRewritten)
      text += `  ${safe(item.reference)} ${item.image}: ${safe(item.reason)}
`;
  }
  for (const { diff } of preview.files) {
    text += diff.split("\n").map((line) => safe(line.replace(/\r$/, ""))).join("\n");
  }
  return text;
}
function safe(text) {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// src/commands/migrate.ts
var MIGRATE_USAGE = `usage: ar-mirror migrate [PATH...] --to DESTINATION [--dry-run] [options]
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
async function runMigrateCommand(argv, io) {
  const parsed = parseCommandLine("migrate", MIGRATE_USAGE, io, () => parseMigrateArgs(argv, io.env));
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const scan = dropSymbolicLinks(
    scanPaths(args.paths, {
      finders: allFinders,
      exclude: args.settings.exclude,
      envFiles: args.envFiles,
      ...io.cwd === void 0 ? {} : { cwd: io.cwd }
    })
  );
  for (const d of scan.diagnostics)
    logger.info(`${d.severity}: ${d.line > 0 ? `${d.file}:${d.line}` : d.file}: ${d.message}`);
  let plan;
  try {
    plan = planCopies(scan.occurrences, {
      destination: args.settings.destination,
      pathTemplate: args.settings.pathTemplate,
      firstParty: args.settings.firstPartyRegistries,
      ignore: args.settings.ignoreImages
    });
  } catch (err) {
    io.stderr(`ar-mirror migrate: ${escapeControl(errorMessage(err))}
`);
    return EXIT_USAGE;
  }
  if (args.dryRun) {
    const preview = previewRewrites(plan, scan.files);
    io.stdout(
      args.json ? `${JSON.stringify(planJson(plan, preview), null, 2)}
` : renderPlan(plan, preview, args.settings.pinDigest)
    );
    return EXIT_OK;
  }
  return execute(args, plan, scan.files, io, logger);
}
async function execute(args, plan, files, io, logger) {
  let explicit;
  try {
    const sourceHosts = plan.jobs.map((job) => job.occurrences[0].reference.registry);
    explicit = explicitCredentials(args.registry, sourceHosts, args.settings.destination.split("/")[0]);
  } catch (err) {
    io.stderr(`ar-mirror migrate: ${escapeControl(errorMessage(err))}
`);
    return EXIT_USAGE;
  }
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args.settings,
    explicit,
    env: io.env,
    logger
  });
  let outcomes;
  try {
    if (plan.jobs.length > 0) await copier.preflight(args.settings.destination);
    outcomes = await mirrorImages(plan.jobs, copier.copy, { logger });
  } catch (err) {
    io.stderr(`ar-mirror migrate: ${escapeControl(errorMessage(err))}
`);
    return EXIT_FAILURE;
  } finally {
    await copier.close();
  }
  const results = /* @__PURE__ */ new Map();
  for (const outcome of outcomes)
    if (outcome.status === "mirrored") results.set(outcome.job.source, outcome.result);
  const edits = planEdits(plan.jobs, results, { pinDigest: args.settings.pinDigest });
  const byFile = new Map(files.map((f) => [f.file, f]));
  const texts = new Map(files.map((f) => [f.file, { content: f.content, context: f }]));
  const rewrite = writeChanges(rewriteFiles(edits, texts, extractFile), byFile);
  for (const failure of rewrite.failures) logger.warning(`left unchanged: ${failure.reason}`);
  const failed = outcomes.filter((o) => o.status === "failed").length + rewrite.failures.length;
  const summary = {
    outcomes,
    files: rewrite.changes.map(({ file, edits: edits2 }) => ({ file, edits: edits2 })),
    failures: rewrite.failures
  };
  io.stdout(args.json ? `${JSON.stringify(resultJson(summary), null, 2)}
` : renderResult(summary));
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}
function parseMigrateArgs(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: MIGRATE_OPTIONS });
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const v = parsed.values;
  if (v.help) return "help";
  if (!v.to) throw new UsageError("--to DESTINATION is required");
  const settings = resolveSettings(
    {
      destination: v.to,
      "path-template": v["path-template"],
      "pin-digest": v["no-pin-digest"] ? "false" : "",
      signatures: v.signatures ? "true" : "false",
      "first-party-registries": v["first-party"],
      "ignore-images": v["ignore-image"],
      exclude: v.exclude,
      "create-repository": v["create-repository"] ? "true" : "false",
      jobs: v.jobs,
      timeout: v.timeout,
      platforms: (v.platform ?? []).join("\n")
    },
    {},
    "option"
  );
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ["."],
    envFiles: v["compose-env-file"] ?? [],
    dryRun: v["dry-run"] === true,
    json: v.json === true,
    verbose: v.verbose === true,
    settings,
    registry: readRegistryFlags(v, env)
  };
}
var MIGRATE_OPTIONS = {
  ...REGISTRY_OPTIONS,
  to: { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
  "path-template": { type: "string" },
  "no-pin-digest": { type: "boolean" },
  signatures: { type: "boolean" },
  "first-party": { type: "string", multiple: true },
  "ignore-image": { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "compose-env-file": { type: "string", multiple: true },
  "create-repository": { type: "boolean" }
};
function planJson(plan, preview) {
  return {
    copies: plan.jobs.map((job) => ({
      source: job.source,
      destination: job.destination,
      references: job.occurrences.map(where)
    })),
    skipped: plan.skipped.map((s) => ({
      reference: where(s.occurrence),
      reason: s.reason,
      detail: s.detail
    })),
    notRewritten: preview.notRewritten,
    files: preview.files
  };
}
function renderPlan(plan, preview, pinDigest = true) {
  const rows = plan.jobs.map((job) => [job.source, job.destination, job.occurrences.map(where).join(" ")]);
  let text = rows.length > 0 ? renderTable(["SOURCE", "DESTINATION", "REFERENCES"], rows) : "nothing to mirror\n";
  for (const s of plan.skipped.filter((s2) => s2.reason !== "first-party"))
    text += `${escapeControl(`skip ${where(s.occurrence)}: ${s.reason}: ${s.detail}`)}
`;
  text += renderPreview(preview);
  const files = preview.files.length;
  const references = plan.jobs.reduce((n, j) => n + j.occurrences.length, 0) - preview.notRewritten.length;
  const pinned = pinDigest && files > 0 ? "; the diffs show tags, and each reference also gets @<digest> of its copy" : "";
  text += `${plan.jobs.length} image(s) to copy, ${references} reference(s) to rewrite in ${files} file(s), ${preview.notRewritten.length} copied but not rewritten (dry run: nothing copied or written${pinned})
`;
  return text;
}
function resultJson(summary) {
  return {
    images: summary.outcomes.map(
      (o) => o.status === "mirrored" ? {
        source: o.job.source,
        destination: o.job.destination,
        status: o.status,
        digest: o.result.digest,
        platforms: o.result.platforms,
        bytes: o.result.bytes
      } : { source: o.job.source, destination: o.job.destination, status: o.status, error: o.error }
    ),
    files: summary.files,
    failures: summary.failures
  };
}
function renderResult(summary) {
  const rows = summary.outcomes.map((o) => [
    o.job.source,
    o.job.destination,
    o.status === "mirrored" ? o.result.digest : `failed: ${o.error}`
  ]);
  let text = rows.length > 0 ? renderTable(["SOURCE", "DESTINATION", "DIGEST"], rows) : "nothing to mirror\n";
  for (const f of summary.files) text += `rewrote ${escapeControl(f.file)} (${f.edits} reference(s))
`;
  for (const f of summary.failures) text += `left unchanged: ${escapeControl(f.reason)}
`;
  return text;
}
export {
  MIGRATE_USAGE,
  renderPlan,
  runMigrateCommand
};
