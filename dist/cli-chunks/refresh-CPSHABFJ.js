import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  dropSymbolicLinks,
  rewriteFiles,
  rewriteProblem,
  writeChanges
} from "./chunk-KH54RTCN.js";
import {
  REGISTRY_OPTIONS,
  createCommandCopier,
  explicitCredentials,
  mapLimit,
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
  formatDuration,
  resolveSettings
} from "./chunk-UBDPY4Y4.js";
import {
  DEFAULT_PATH_TEMPLATE,
  destinationFor,
  formatReference,
  globMatcher,
  isThirdParty,
  parseDestination,
  parseReference,
  repositoryName,
  tryParseReference
} from "./chunk-FHORZPU6.js";
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  parseCommandLine
} from "./chunk-TH6AUOUN.js";
import "./chunk-BLDWR4WJ.js";
import {
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/refresh.ts
import { parseArgs } from "node:util";

// src/plan/source-for.ts
var MAX_STEPS = 2e4;
function sourceFor(mirror, settings) {
  const prefix = parseDestination(settings.destination);
  const template = settings.pathTemplate ?? DEFAULT_PATH_TEMPLATE;
  const where = prefix.path === "" ? prefix.host : `${prefix.host}/${prefix.path}`;
  const under = prefix.path === "" ? "" : `${prefix.path}/`;
  if (mirror.registry.toLowerCase() !== prefix.host || !mirror.repository.startsWith(under))
    return { ok: false, reason: `it is not under the destination ${where}` };
  const rendered = mirror.repository.slice(under.length);
  const sources = /* @__PURE__ */ new Map();
  for (const assignment of assignments(template, rendered)) {
    const source2 = candidate(assignment, mirror);
    if (source2 === void 0 || !mapsTo(source2, settings, mirror)) continue;
    sources.set(`${source2.registry}/${source2.repository}`, source2);
  }
  if (sources.size === 0)
    return {
      ok: false,
      reason: `path-template "${template}" maps no source image to ${mirror.registry}/${mirror.repository}`
    };
  if (sources.size > 1)
    return {
      ok: false,
      reason: `path-template "${template}" maps ${[...sources.keys()].sort().join(" and ")} both to ${mirror.registry}/${mirror.repository}`
    };
  const source = [...sources.values()][0];
  if (!isThirdParty(source.registry, source.repository, [where]))
    return {
      ok: false,
      reason: `it maps back to ${source.registry}/${source.repository}, which is not a third-party image`
    };
  return { ok: true, source };
}
function assignments(template, path) {
  const segments = template.split("/").filter((segment) => segment !== "");
  const variants = [segments];
  if (segments.includes("{namespace}")) variants.push(segments.filter((s) => s !== "{namespace}"));
  const found = [];
  const budget = { steps: 0 };
  for (const [index, variant] of variants.entries()) {
    const fixed = index === 1 ? { namespace: "" } : {};
    match(tokenize(variant.join("/")), 0, path, 0, fixed, found, budget);
  }
  return found;
}
function tokenize(template) {
  return template.split(/(\{[a-z]+\})/).filter((part) => part !== "").map((part) => /^\{[a-z]+\}$/.test(part) ? { variable: part.slice(1, -1) } : { literal: part });
}
function match(tokens, index, path, pos, values, found, budget) {
  if (++budget.steps > MAX_STEPS) return;
  if (index === tokens.length) {
    if (pos === path.length) found.push({ ...values });
    return;
  }
  const token = tokens[index];
  if ("literal" in token) {
    if (path.startsWith(token.literal, pos))
      match(tokens, index + 1, path, pos + token.literal.length, values, found, budget);
    return;
  }
  for (let end = pos + 1; end <= path.length; end++) {
    const value = path.slice(pos, end);
    if (!fits(token.variable, value)) continue;
    const known = values[token.variable];
    if (known !== void 0 && known !== value) continue;
    match(tokens, index + 1, path, end, { ...values, [token.variable]: value }, found, budget);
  }
}
function fits(variable, value) {
  if (variable === "registry" || variable === "name") return !value.includes("/");
  return !value.startsWith("/") && !value.endsWith("/") && !value.includes("//");
}
function candidate(values, mirror) {
  if (values.registry === void 0) return void 0;
  const repository = values.repository ?? values.path ?? // `{name}` alone loses the namespace (`bitnami/redis` and `library/redis` share it): no guess.
  (values.name === void 0 || values.namespace === void 0 ? void 0 : [values.namespace, values.name].filter(Boolean).join("/"));
  if (repository === void 0) return void 0;
  const suffix = `${mirror.tag === void 0 ? "" : `:${mirror.tag}`}${mirror.digest === void 0 ? "" : `@${mirror.digest}`}`;
  const host = registryHost(values.registry);
  const parsed = tryParseReference(`${host}/${repository}${suffix}`);
  if (!parsed.ok || parsed.reference.registry !== host) return void 0;
  return parsed.reference;
}
function registryHost(component) {
  const port = /^(.+)-(\d{1,5})$/.exec(component);
  if (port && Number(port[2]) > 0 && Number(port[2]) < 65536) return `${port[1]}:${port[2]}`;
  return component;
}
function mapsTo(source, settings, mirror) {
  try {
    return destinationFor(source, settings) === `${mirror.registry.toLowerCase()}/${mirror.repository}`;
  } catch {
    return false;
  }
}

// src/refresh/plan.ts
function mirrorKey(mirror, tag) {
  return `${mirror.toLowerCase()}:${tag}`;
}
function planRefresh(occurrences, settings) {
  const prefix = parseDestination(settings.destination);
  const under = prefix.path === "" ? `${prefix.host}/` : `${prefix.host}/${prefix.path}/`;
  const isOnly = (settings.only ?? []).length > 0 ? globMatcher(settings.only ?? []) : () => true;
  const isIgnored = globMatcher(settings.ignore ?? []);
  const followed = /* @__PURE__ */ new Map();
  const reported = [];
  for (const occurrence of occurrences) {
    const ref = occurrence.reference;
    if (!`${repositoryName(ref).toLowerCase()}/`.startsWith(under)) continue;
    const report = (reason, detail) => reported.push({ occurrence, reason, detail });
    const mapped = sourceFor(ref, settings);
    if (!mapped.ok) {
      report("unmappable", mapped.reason);
      continue;
    }
    const source = { ...mapped.source, digest: void 0 };
    const name = repositoryName(source);
    const tagged = `${name}:${source.tag ?? ""}`;
    if (!(isOnly(name) || isOnly(tagged)) || isIgnored(name) || isIgnored(tagged)) continue;
    const problem = reportReason(occurrence);
    if (problem) {
      report(problem.reason, problem.detail);
      continue;
    }
    const mirror = repositoryName(ref);
    const key = mirrorKey(mirror, ref.tag);
    const image = followed.get(key) ?? { source, mirror, tag: ref.tag, pinned: [], occurrences: [] };
    if (!image.pinned.includes(ref.digest)) image.pinned.push(ref.digest);
    image.occurrences.push(occurrence);
    followed.set(key, image);
  }
  return { followed: [...followed.values()], reported };
}
function reportReason(occurrence) {
  const { tag, digest } = occurrence.reference;
  if (tag === void 0)
    return { reason: "digest-only", detail: "pinned by digest alone: there is no tag to follow" };
  if (occurrence.target.type === "name")
    return { reason: "variable-tag", detail: "the tag comes from a variable, so there is no pin to move" };
  if (digest === void 0)
    return {
      reason: "not-pinned",
      detail: "not digest-pinned: it pulls whatever the mirror tag names, and refresh moves no tag without a pin to review"
    };
  const problem = rewriteProblem(occurrence);
  return problem === void 0 ? void 0 : { reason: "not-rewritable", detail: problem };
}
function planRepins(occurrences, digests) {
  return occurrences.flatMap((occurrence) => {
    const ref = occurrence.reference;
    if (ref.tag === void 0 || ref.digest === void 0 || occurrence.target.type === "name") return [];
    const digest = digests.get(mirrorKey(repositoryName(ref), ref.tag));
    if (digest === void 0 || digest === ref.digest || rewriteProblem(occurrence) !== void 0) return [];
    return [{ occurrence, destination: { ...ref, digest } }];
  });
}
function groupEdits(edits) {
  const files = [...new Set(edits.map((e) => e.occurrence.file))].sort();
  return {
    files: files.map((file) => ({ file, edits: edits.filter((e) => e.occurrence.file === file) })),
    skipped: []
  };
}

// src/refresh/run.ts
var CONCURRENCY = 2;
function refreshImages(images, copier, options) {
  return mapLimit(images, CONCURRENCY, (image) => refreshOne(image, copier, options));
}
async function refreshOne(image, copier, options) {
  const base = { ...image, status: "current", created: {}, platforms: [] };
  const name = `${repositoryName(image.source)}:${image.tag}`;
  let upstream;
  try {
    upstream = await copier.lookup.resolve(image.source);
  } catch (err) {
    return { ...base, status: "failed", detail: `looking up ${name}: ${errorMessage(err)}` };
  }
  if (upstream === void 0)
    return { ...base, status: "failed", detail: `${name} no longer exists upstream` };
  if (!options.platformSubset && image.pinned.every((digest) => digest === upstream)) return base;
  const pinnedSource = parseReference(`${name}@${upstream}`);
  const minAge = options.minAgeMs ?? 0;
  if (minAge > 0) {
    const facts = await copier.lookup.describe(pinnedSource);
    const young = tooYoung(facts, minAge, (options.now ?? Date.now)());
    if (young !== void 0)
      return {
        ...base,
        status: "too-new",
        newDigest: upstream,
        created: dates(upstream, facts),
        detail: young
      };
  }
  if (options.dryRun) return { ...base, status: "would-move", newDigest: upstream };
  let copied;
  try {
    copied = await copier.copy(formatReference(pinnedSource), `${image.mirror}:${image.tag}`);
  } catch (err) {
    return { ...base, status: "failed", newDigest: upstream, detail: errorMessage(err) };
  }
  const newDigest = copied.digest;
  if (image.pinned.every((digest) => digest === newDigest)) return base;
  options.logger.info(`${image.mirror}:${image.tag} moved to ${newDigest}`);
  const created = {};
  for (const digest of [...image.pinned, newDigest]) {
    const facts = await copier.lookup.describe(parseReference(`${image.mirror}@${digest}`));
    Object.assign(created, dates(digest, facts));
  }
  return { ...base, status: "moved", newDigest, created, platforms: copied.platforms };
}
function tooYoung(facts, minAgeMs, now) {
  if (facts.created === void 0)
    return `the new image records no creation time, so its age (minimum ${formatDuration(minAgeMs)}) cannot be checked`;
  if (now - facts.created.getTime() >= minAgeMs) return void 0;
  return `built ${facts.created.toISOString()}, younger than the minimum age ${formatDuration(minAgeMs)}`;
}
function dates(digest, facts) {
  return facts.created === void 0 ? {} : { [digest]: facts.created.toISOString() };
}

// src/commands/refresh.ts
var REFRESH_USAGE = `usage: ar-mirror refresh [PATH...] --to DESTINATION [options]
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
async function runRefreshCommand(argv, io) {
  const parsed = parseCommandLine("refresh", REFRESH_USAGE, io, () => parseRefreshArgs(argv, io.env));
  if ("exit" in parsed) return parsed.exit;
  const { args } = parsed;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const scan = dropSymbolicLinks(
    scanPaths(args.paths, {
      finders: allFinders,
      exclude: args.settings.exclude,
      ...io.cwd === void 0 ? {} : { cwd: io.cwd }
    })
  );
  for (const d of scan.diagnostics)
    logger.warning(`${d.line > 0 ? `${d.file}:${d.line}` : d.file}: ${d.message}`);
  const plan = planRefresh(scan.occurrences, {
    destination: args.settings.destination,
    pathTemplate: args.settings.pathTemplate,
    only: args.settings.refreshOnly,
    ignore: args.settings.refreshIgnore
  });
  let images;
  try {
    images = await lookUpAndCopy(args, plan.followed, io, logger);
  } catch (err) {
    io.stderr(`ar-mirror refresh: ${errorMessage(err)}
`);
    return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
  const rewrite = args.dryRun ? { changes: [], failures: [] } : writePins(images, scan.files, scan.occurrences);
  for (const failure of rewrite.failures) logger.warning(`left unchanged: ${failure.reason}`);
  const result = { images, reported: plan.reported, ...rewrite };
  io.stdout(
    args.json ? `${JSON.stringify(resultJson(result), null, 2)}
` : renderResult(result, args.dryRun)
  );
  const failed = images.filter((image) => image.status === "failed").length + rewrite.failures.length;
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}
async function lookUpAndCopy(args, followed, io, logger) {
  let explicit;
  try {
    const sources = followed.map((image) => image.source.registry);
    explicit = explicitCredentials(args.registry, sources, args.settings.destination.split("/")[0]);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const copier = createCommandCopier({
    flags: args.registry,
    settings: args.settings,
    explicit,
    env: io.env,
    logger
  });
  try {
    if (followed.length > 0 && !args.dryRun) await copier.preflight(args.settings.destination);
    return await refreshImages(followed, copier, {
      minAgeMs: args.settings.refreshMinAge,
      dryRun: args.dryRun,
      platformSubset: args.settings.platforms.length > 0,
      logger
    });
  } finally {
    await copier.close();
  }
}
function writePins(images, files, occurrences) {
  const digests = new Map(
    images.filter((i) => i.status === "moved").map((i) => [`${i.mirror.toLowerCase()}:${i.tag}`, i.newDigest])
  );
  const edits = planRepins(occurrences, digests);
  const byFile = new Map(files.map((file) => [file.file, file]));
  const plan = groupEdits(edits);
  const texts = new Map(files.map((f) => [f.file, { content: f.content, context: f }]));
  const rewrite = rewriteFiles(plan, texts, extractFile);
  const written = writeChanges(rewrite, byFile);
  return {
    changes: written.changes.map(({ file, edits: edits2 }) => ({ file, edits: edits2 })),
    failures: written.failures
  };
}
function parseRefreshArgs(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
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
      exclude: v.exclude,
      jobs: v.jobs,
      platforms: (v.platform ?? []).join("\n"),
      "refresh-only": v.only,
      "refresh-ignore": v.ignore,
      "refresh-min-age": v["min-age"],
      signatures: "false"
    },
    {},
    "option"
  );
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ["."],
    dryRun: v["dry-run"] === true,
    json: v.json === true,
    verbose: v.verbose === true,
    settings,
    registry: readRegistryFlags(v, env)
  };
}
var OPTIONS = {
  ...REGISTRY_OPTIONS,
  to: { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
  "path-template": { type: "string" },
  only: { type: "string", multiple: true },
  ignore: { type: "string", multiple: true },
  "min-age": { type: "string" },
  exclude: { type: "string", multiple: true }
};
function resultJson(result) {
  return {
    images: result.images.map((image) => ({
      source: `${image.source.registry}/${image.source.repository}:${image.tag}`,
      mirror: `${image.mirror}:${image.tag}`,
      status: image.status,
      pinned: image.pinned,
      ...image.newDigest === void 0 ? {} : { newDigest: image.newDigest },
      created: image.created,
      platforms: image.platforms,
      references: image.occurrences.map((o) => `${o.file}:${o.start.line}:${o.start.column}`),
      ...image.detail === void 0 ? {} : { detail: image.detail }
    })),
    reported: result.reported.map((r) => ({
      reference: `${r.occurrence.file}:${r.occurrence.start.line}:${r.occurrence.start.column}`,
      reason: r.reason,
      detail: r.detail
    })),
    files: result.changes,
    failures: result.failures
  };
}
function printable(text) {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}
function renderResult(result, dryRun) {
  const short = (digest) => digest === void 0 ? "-" : digest.slice(0, 19);
  const rows = result.images.map((image) => [
    `${image.mirror}:${image.tag}`,
    image.pinned.map(short).join(","),
    short(image.newDigest),
    image.detail === void 0 ? image.status : `${image.status}: ${printable(image.detail)}`
  ]);
  let text = rows.length > 0 ? renderTable(["MIRROR", "PINNED", "UPSTREAM", "STATUS"], rows) : "no followed mirror references\n";
  for (const f of result.changes) text += `rewrote ${printable(f.file)} (${f.edits} reference(s))
`;
  for (const f of result.failures) text += `left unchanged: ${printable(f.reason)}
`;
  for (const r of result.reported)
    text += `not followed ${printable(`${r.occurrence.file}:${r.occurrence.start.line}: ${r.occurrence.raw}: ${r.detail}`)}
`;
  if (dryRun) text += "dry run: nothing copied or written\n";
  return text;
}
export {
  REFRESH_USAGE,
  runRefreshCommand
};
