import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  asList,
  asObject,
  asText
} from "./chunk-KYDW4NMQ.js";
import {
  collectReferences
} from "./chunk-SIGDHMFN.js";
import {
  createRegistryReader
} from "./chunk-7X7EPKR4.js";
import {
  isInMirror,
  parseMirrorTarget,
  sourceOf
} from "./chunk-SZTASEBZ.js";
import {
  keychainGoogle
} from "./chunk-5BPX3DTZ.js";
import {
  REGISTRY_OPTIONS,
  createKeychain,
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
import "./chunk-JZPMK2HD.js";
import "./chunk-7AXOBIP5.js";
import "./chunk-UBDPY4Y4.js";
import {
  formatReference,
  parsePlatforms
} from "./chunk-FHORZPU6.js";
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  parseCommandLine,
  printable
} from "./chunk-TH6AUOUN.js";
import "./chunk-BLDWR4WJ.js";
import {
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/verify.ts
import { parseArgs } from "node:util";

// src/platform/verify-report.ts
function isFailure(status) {
  return status !== "ok";
}
function indexPlatforms(manifest) {
  const object = asObject(manifest);
  if (!object || !Array.isArray(object.manifests)) return void 0;
  return asList(object.manifests, 1e3).map((entry) => asObject(asObject(entry)?.platform)).filter((p) => p !== void 0).map(
    (p) => [asText(p.os, 50), asText(p.architecture, 50), asText(p.variant, 50)].filter(Boolean).join("/")
  ).filter((text) => text.includes("/") && !text.startsWith("unknown/"));
}
function indexChildren(manifest) {
  return asList(asObject(manifest)?.manifests, 1e3).map((entry) => asText(asObject(entry)?.digest, 200)).filter((digest) => digest !== void 0);
}
function isPlatformSubset(mirrorIndex, upstreamIndex) {
  const mirror = indexChildren(mirrorIndex);
  const upstream = new Set(indexChildren(upstreamIndex));
  return mirror.length > 0 && mirror.every((digest) => upstream.has(digest));
}
function configPlatform(config) {
  const object = asObject(config);
  const os = asText(object?.os, 50);
  const architecture = asText(object?.architecture, 50);
  if (!os || !architecture) return void 0;
  const variant = asText(object?.variant, 50);
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}
function hasPlatform(carried, wanted) {
  return carried.some((p) => p === wanted || wanted.split("/").length === 2 && p.startsWith(`${wanted}/`));
}

// src/commands/verify-checks.ts
async function verifyReference(reader, ref, options) {
  const result = {
    image: formatReference(ref),
    locations: options.locations.slice(0, 10),
    status: "ok",
    digest: null,
    problems: [],
    upstream: { source: null, state: "unchecked", digest: null, detail: "" },
    platforms: []
  };
  try {
    const found = await resolveMirror(reader, ref, result);
    if (!found) return result;
    const manifest = JSON.parse((await reader.manifest(ref, found)).bytes.toString("utf8"));
    await checkPlatforms(reader, ref, manifest, options.platforms, result);
    await compareUpstream(reader, ref, manifest, options, result);
  } catch (err) {
    result.status = "error";
    result.problems.push(printable(errorMessage(err), 500));
  }
  return result;
}
async function resolveMirror(reader, ref, result) {
  const byTag = ref.tag === void 0 ? void 0 : await reader.head({ ...ref, digest: void 0 });
  const byDigest = ref.digest === void 0 ? void 0 : await reader.head(ref);
  if (ref.tag !== void 0 && !byTag) {
    result.status = "missing";
    result.problems.push(
      `tag ${ref.tag} does not exist in the mirror${byDigest ? " (the pinned digest does)" : ""}`
    );
  }
  if (ref.digest !== void 0 && !byDigest) {
    result.status = "missing";
    result.problems.push(`digest ${ref.digest} does not exist in the mirror`);
  }
  if (byTag && ref.digest !== void 0 && byTag.digest !== ref.digest) {
    result.status = "digest-mismatch";
    result.problems.push(`tag ${ref.tag} names ${byTag.digest}, the reference pins ${ref.digest}`);
  }
  result.digest = ref.digest ?? byTag?.digest ?? null;
  return result.status === "missing" ? void 0 : byDigest?.digest ?? byTag?.digest;
}
async function platformsOf(reader, ref, manifest) {
  const listed = indexPlatforms(manifest);
  if (listed) return listed;
  const config = manifest?.config?.digest;
  if (typeof config !== "string") return [];
  const platform = configPlatform(await reader.jsonBlob(ref, config));
  return platform ? [platform] : [];
}
async function checkPlatforms(reader, ref, manifest, wanted, result) {
  if (wanted.length === 0) return;
  result.platforms = await platformsOf(reader, ref, manifest);
  const lacking = wanted.filter((platform) => !hasPlatform(result.platforms, platform));
  if (lacking.length === 0) return;
  if (result.status === "ok") result.status = "platform-missing";
  result.problems.push(
    `lacks platform(s) ${lacking.join(", ")} (carries ${result.platforms.join(", ") || "none"})`
  );
}
async function compareUpstream(reader, ref, manifest, options, result) {
  const source = sourceOf(ref, options.target);
  const upstream = result.upstream;
  if (!source) {
    upstream.detail = `cannot map ${result.image} back to a source with path template ${options.target.pathTemplate}`;
    return;
  }
  upstream.source = formatReference({ ...source, digest: void 0 });
  if (source.tag === void 0) {
    upstream.detail = "pinned by digest only: no upstream tag to compare";
    return;
  }
  try {
    const current = await reader.head({ ...source, digest: void 0 });
    if (!current) {
      upstream.detail = `the upstream tag ${source.tag} no longer exists`;
      return;
    }
    upstream.digest = current.digest;
    if (current.digest === result.digest) {
      upstream.state = "current";
      return;
    }
    const upstreamManifest = JSON.parse(
      (await reader.manifest(source, current.digest)).bytes.toString("utf8")
    );
    if (isPlatformSubset(manifest, upstreamManifest)) {
      upstream.state = "platform-subset";
      upstream.detail = "a platform subset of the upstream index";
      return;
    }
    upstream.state = "moved";
    upstream.detail = `the upstream moved: ${upstream.source} now names ${current.digest}${await movedWhen(reader, source, current.digest, upstreamManifest, options.platforms)}`;
  } catch (err) {
    upstream.detail = `could not read the upstream: ${printable(errorMessage(err), 300)}`;
  }
}
async function movedWhen(reader, source, digest, manifest, platforms) {
  const parts = [];
  const stamp = reader.lastModified(source, digest) ?? reader.lastModified(source, source.tag ?? "");
  try {
    let image = manifest;
    const children = manifest?.manifests;
    if (Array.isArray(children)) {
      const wanted = platforms[0] ?? "linux/amd64";
      const child = children.find(
        (c) => `${c.platform?.os}/${c.platform?.architecture}` === wanted.split("/").slice(0, 2).join("/")
      ) ?? children[0];
      if (typeof child?.digest !== "string") return "";
      image = JSON.parse((await reader.manifest(source, child.digest)).bytes.toString("utf8"));
    }
    const config = image?.config?.digest;
    if (typeof config === "string") {
      const created = await reader.jsonBlob(source, config);
      if (typeof created?.created === "string" && created.created.length <= 40)
        parts.push(`built ${printable(created.created, 40)}`);
    }
  } catch {
  }
  if (stamp) parts.push(`last modified ${printable(stamp, 100)}`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

// src/commands/verify.ts
var VERIFY_USAGE = `usage: ar-mirror verify [PATH...|-] [--to DESTINATION] [--platform OS/ARCH]... [options]
  PATH, -                     files or directories (default .), or "-" for a YAML stream on stdin
                              (kubectl get pods -A -o yaml | ar-mirror verify -)
  --to DESTINATION            the mirror (default: every LOCATION-docker.pkg.dev/PROJECT/REPOSITORY reference)
  --path-template TEMPLATE    the mirror's layout (default {registry}/{repository})
  --platform OS/ARCH          a platform the cluster runs; each image must carry it (repeatable)
  --json                      one JSON object
  --plain-http HOST  --src-creds [HOST=]USER:PASS  --dest-creds USER:PASS
  --verbose, -v               one line per registry request on stderr`;
async function runVerifyCommand(argv, io) {
  const parsed = parseCommandLine("verify", VERIFY_USAGE, io, () => parseVerifyArgs(argv, io.env));
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const found = await collectReferences(args.paths, io);
  for (const d of found.diagnostics)
    if (d.severity !== "notice")
      logger.warning(`${printable(d.file)}${d.line > 0 ? `:${d.line}` : ""}: ${printable(d.message)}`);
  const refs = /* @__PURE__ */ new Map();
  for (const occurrence of found.occurrences) {
    const target = args.target ?? artifactRegistryTarget(occurrence.reference, args.pathTemplate);
    if (!target || !isInMirror(occurrence.reference, target)) continue;
    const key = formatReference(occurrence.reference);
    const entry = refs.get(key) ?? { ref: occurrence.reference, target, locations: [] };
    entry.locations.push(`${occurrence.file}:${occurrence.start.line}`);
    refs.set(key, entry);
  }
  let explicit;
  try {
    const sources = [...refs.values()].map((e) => sourceOf(e.ref, e.target)?.registry).filter((r) => r !== void 0);
    const mirrorHost = [...refs.values()][0]?.target.host ?? args.target?.host ?? "";
    explicit = explicitCredentials(args.registry, sources, mirrorHost);
  } catch (err) {
    io.stderr(`ar-mirror verify: ${errorMessage(err)}
`);
    return EXIT_USAGE;
  }
  const reader = createRegistryReader({
    keychain: createKeychain({ explicit, env: io.env, logger, google: keychainGoogle(void 0, io.env) }),
    logger,
    plainHttp: args.registry.plainHttp,
    endpoints: args.registry.endpoints
  });
  let results;
  try {
    results = await mapLimit(
      [...refs.values()],
      4,
      (e) => verifyReference(reader, e.ref, { target: e.target, platforms: args.platforms, locations: e.locations })
    );
  } finally {
    await reader.close();
  }
  io.stdout(args.json ? `${JSON.stringify({ references: results }, null, 2)}
` : renderResults(results));
  return results.some((r) => isFailure(r.status)) ? EXIT_FAILURE : EXIT_OK;
}
function artifactRegistryTarget(ref, pathTemplate) {
  const [project, repository] = ref.repository.split("/");
  if (!/^[a-z0-9-]+-docker\.pkg\.dev$/.test(ref.registry) || !project || !repository) return void 0;
  try {
    return parseMirrorTarget(`${ref.registry}/${project}/${repository}`, pathTemplate);
  } catch {
    return void 0;
  }
}
function parseVerifyArgs(argv, env) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "plain-http": REGISTRY_OPTIONS["plain-http"],
      "src-creds": REGISTRY_OPTIONS["src-creds"],
      "dest-creds": REGISTRY_OPTIONS["dest-creds"],
      platform: REGISTRY_OPTIONS.platform,
      to: { type: "string" },
      "path-template": { type: "string" },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", short: "v", default: false },
      help: { type: "boolean", short: "h", default: false }
    }
  });
  if (values.help) return "help";
  const paths = positionals.length > 0 ? positionals : ["."];
  if (paths.includes("-") && paths.length > 1)
    throw new UsageError('"-" (stdin) cannot be combined with other paths');
  let target;
  let platforms;
  try {
    target = values.to === void 0 ? void 0 : parseMirrorTarget(values.to, values["path-template"]);
    if (values["path-template"] !== void 0)
      parseMirrorTarget("example.com/probe", values["path-template"]);
    platforms = parsePlatforms(values.platform ?? [], "--platform");
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  return {
    paths,
    target,
    pathTemplate: values["path-template"],
    platforms,
    json: values.json === true,
    verbose: values.verbose === true,
    registry: readRegistryFlags(values, env)
  };
}
var STATUS = {
  ok: "ok",
  missing: "MISSING",
  "digest-mismatch": "DIGEST MISMATCH",
  "platform-missing": "PLATFORM MISSING",
  error: "ERROR"
};
function renderResults(results) {
  if (results.length === 0) return "no references into the mirror found\n";
  const upstream = (r) => r.upstream.state === "unchecked" ? "not compared" : r.upstream.state === "moved" ? "MOVED" : r.upstream.state;
  const rows = results.map((r) => [
    printable(r.image, 160),
    STATUS[r.status],
    upstream(r),
    printable(r.locations[0] ?? "", 100)
  ]);
  let text = renderTable(["IMAGE", "STATUS", "UPSTREAM", "WHERE"], rows);
  for (const r of results) {
    for (const problem of r.problems) text += `${printable(r.image, 160)}: ${printable(problem, 500)}
`;
    if (r.upstream.detail && r.upstream.state !== "current")
      text += `${printable(r.image, 160)}: ${printable(r.upstream.detail, 500)}
`;
  }
  const failed = results.filter((r) => isFailure(r.status)).length;
  const moved = results.filter((r) => r.upstream.state === "moved").length;
  text += `${results.length} reference(s) into the mirror, ${failed} failed, ${moved} whose upstream moved
`;
  return text;
}
export {
  VERIFY_USAGE,
  renderResults,
  runVerifyCommand
};
