import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  collectReferences
} from "./chunk-SIGDHMFN.js";
import {
  createRegistryReader
} from "./chunk-7X7EPKR4.js";
import {
  mirrorReference,
  parseMirrorTarget
} from "./chunk-SZTASEBZ.js";
import {
  keychainGoogle
} from "./chunk-5BPX3DTZ.js";
import {
  REGISTRY_OPTIONS,
  createKeychain,
  mapLimit,
  readRegistryFlags,
  registryScheme
} from "./chunk-PD2CQFDG.js";
import "./chunk-U4PV7WAK.js";
import {
  createStreamLogger
} from "./chunk-VAYOJ3Y5.js";
import "./chunk-JZPMK2HD.js";
import "./chunk-7AXOBIP5.js";
import "./chunk-UBDPY4Y4.js";
import {
  DOCKER_HUB,
  formatReference,
  isThirdParty,
  splitLists
} from "./chunk-FHORZPU6.js";
import {
  EXIT_FAILURE,
  EXIT_OK,
  UsageError,
  parseCommandLine,
  printable
} from "./chunk-TH6AUOUN.js";
import "./chunk-BLDWR4WJ.js";
import {
  ConfigError,
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/runtime-config.ts
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

// src/platform/runtime-config.ts
var REGISTRY = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
function registryMirrors(target, registries) {
  return registries.map((registry) => {
    if (!REGISTRY.test(registry))
      throw new ConfigError(`--registries: "${registry.slice(0, 100)}" is not a registry host`);
    const prefixes = ["library/probe", "a/b/probe"].map((repository) => {
      const mirror = mirrorReference({ registry, repository, tag: "latest", digest: void 0 }, target);
      return mirror.repository.endsWith(`/${repository}`) ? mirror.repository.slice(0, -repository.length - 1) : void 0;
    });
    if (prefixes[0] === void 0 || prefixes[0] !== prefixes[1])
      throw new ConfigError(
        `path-template "${target.pathTemplate}" does not keep a registry's repositories under one prefix; a runtime mirror needs {registry}/{repository}`
      );
    return { registry, mirrorPath: `${target.host}/${prefixes[0]}` };
  });
}
function upstreamServer(registry) {
  return registry === DOCKER_HUB ? "https://registry-1.docker.io" : `https://${registry}`;
}
var comment = (lines) => lines.map((line) => `# ${line}`.trimEnd()).join("\n");
function renderRuntimeConfig(options) {
  const scheme = options.plainHttp ? "http" : "https";
  if (options.format === "containerd") return options.mirrors.map((m) => containerdHosts(m, scheme));
  if (options.format === "cri-o")
    return [{ path: "ar-mirror.conf", content: registriesConf(options.mirrors, options.plainHttp ?? false) }];
  return [{ path: "registry-mirrors.yaml", content: bareMetal(options.mirrors, scheme) }];
}
var mirrorHost = (m) => m.mirrorPath.split("/")[0];
function containerdHosts(m, scheme) {
  const [host, ...path2] = m.mirrorPath.split("/");
  const endpoint = `${scheme}://${host}/v2/${path2.join("/")}`;
  const content = `${comment([
    `containerd ${">"}= 1.5 registry host configuration for ${m.registry}, written by ar-mirror.`,
    `Install as <config_path>/${m.registry}/hosts.toml (config_path is usually /etc/containerd/certs.d;`,
    `ctr images pull --hosts-dir DIR reads the same files). Pulls of ${m.registry}/... try the mirror`,
    "first and fall back to the upstream server when the mirror lacks the image.",
    "",
    "Authentication: containerd sends the mirror the credentials it holds for the mirror host, not",
    `those of ${m.registry}. Artifact Registry accepts Basic oauth2accesstoken:<access token> (a`,
    "token from the metadata server, valid about an hour, so refresh it) or a service account key",
    "as _json_key:<key JSON> (long-lived; avoid). One way is a header kept fresh by a node job:",
    `  [host."${endpoint}".header]`,
    '    authorization = "Basic <base64 of oauth2accesstoken:TOKEN>"'
  ])}
server = "${upstreamServer(m.registry)}"

[host."${endpoint}"]
  capabilities = ["pull", "resolve"]
  override_path = true
`;
  return { path: `${m.registry}/hosts.toml`, content };
}
function registriesConf(mirrors, plainHttp) {
  const hosts = [...new Set(mirrors.map(mirrorHost))];
  const header = comment([
    "containers-registries.conf(5) v2 mirrors for CRI-O, podman, buildah and skopeo, written by ar-mirror.",
    "Install as /etc/containers/registries.conf.d/ar-mirror.conf (or pass --registries-conf).",
    "Pulls try the mirror first and fall back to the registry itself.",
    "",
    `Authentication: credentials are looked up for the mirror host (${hosts.join(", ")}) in the`,
    "auth file (/run/containers/0/auth.json, $REGISTRY_AUTH_FILE, or CRI-O global_auth_file):",
    `  printf %s "$TOKEN" | podman login -u oauth2accesstoken --password-stdin ${hosts[0] ?? "HOST"}`,
    "with a short-lived access token (refresh it), or a credHelpers entry for docker-credential-gcr."
  ]);
  const blocks = mirrors.map(
    (m) => `[[registry]]
prefix = "${m.registry}"
location = "${m.registry}"

[[registry.mirror]]
location = "${m.mirrorPath}"${plainHttp ? "\ninsecure = true" : ""}
`
  );
  return `${header}

${blocks.join("\n")}`;
}
function bareMetal(mirrors, scheme) {
  const header = comment([
    "registryMirrors for a bare-metal cluster configuration file, written by ar-mirror: one",
    "entry per mirrored registry, since each registry lives under its own path of the mirror.",
    "containerd on the nodes then tries the mirror first for the listed hosts.",
    "",
    "Authentication: nodes outside Google Cloud have no metadata server. pullCredentialConfigPath",
    'names a Docker config.json on the admin workstation whose "auths" entry for the mirror host',
    "holds _json_key:<service account key JSON> (a key with roles/artifactregistry.reader on the",
    "repository). Artifact Registry uses a public CA, so caCertPath is not needed."
  ]);
  const entries = mirrors.map((m) => {
    const [host, ...path2] = m.mirrorPath.split("/");
    return `  - endpoint: ${scheme}://${host}/v2/${path2.join("/")}
    pullCredentialConfigPath: /path/to/ar-mirror-docker-config.json
    hosts:
      - ${m.registry}`;
  });
  return `${header}
registryMirrors:
${entries.join("\n")}
`;
}

// src/commands/runtime-config.ts
var RUNTIME_CONFIG_USAGE = `usage: ar-mirror runtime-config --to DESTINATION --format containerd|cri-o|bare-metal [options]
  --registries LIST   registries to mirror (default: those of --tree/--check images, else docker.io)
  --out DIR           write the files under DIR (containerd: DIR/<registry>/hosts.toml, usable as
                      config_path or ctr --hosts-dir; cri-o: DIR/ar-mirror.conf; bare-metal:
                      DIR/registry-mirrors.yaml); default: print them
  --tree PATH         check that the mirror holds the third-party images PATH references (repeatable)
  --check             the same for a YAML stream on stdin (kubectl get pods -A -o yaml)
  --path-template T   the mirror's layout (default {registry}/{repository})
  --plain-http HOST   --dest-creds USER:PASS   how to reach the mirror
  --verbose, -v       one line per registry request on stderr`;
var FORMATS = ["containerd", "cri-o", "bare-metal"];
async function runRuntimeConfigCommand(argv, io) {
  const parsed = parseCommandLine(
    "runtime-config",
    RUNTIME_CONFIG_USAGE,
    io,
    () => parseRuntimeArgs(argv, io.env)
  );
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  let held;
  try {
    if (args.trees.length > 0 || args.check) held = await checkMirror(args, io, logger);
    const registries = held && args.registries.length === 0 ? held.registries : args.registries.length > 0 ? args.registries : ["docker.io"];
    const mirrors = registryMirrors(args.target, registries).filter(
      (m) => !held || held.registries.includes(m.registry) || warnEmpty(m, logger)
    );
    await emit(args, renderRuntimeConfig({ format: args.format, mirrors, plainHttp: isPlain(args) }), io);
  } catch (err) {
    io.stderr(`ar-mirror runtime-config: ${printable(errorMessage(err), 1e3)}
`);
    return EXIT_FAILURE;
  }
  return held && (held.missing.length > 0 || held.failed) ? EXIT_FAILURE : EXIT_OK;
}
function warnEmpty(m, logger) {
  logger.warning(
    `no mirror emitted for ${m.registry}: ${m.mirrorPath} holds none of the checked ${m.registry} images`
  );
  return false;
}
function isPlain(args) {
  return registryScheme(args.target.host, args.registry.plainHttp) === "http";
}
async function emit(args, files, io) {
  if (args.out === void 0) {
    for (const file of files) io.stdout(`# ==> ${file.path} <==
${file.content}
`);
    return;
  }
  const root = path.resolve(io.cwd ?? process.cwd(), args.out);
  for (const file of files) {
    const target = path.join(root, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
    io.stdout(`wrote ${target}
`);
  }
}
async function checkMirror(args, io, logger) {
  const found = await collectReferences(args.check ? ["-"] : args.trees, io);
  const wanted = new Set(args.registries);
  const images = /* @__PURE__ */ new Map();
  for (const { reference } of found.occurrences)
    if (isThirdParty(reference.registry, reference.repository, [args.target.host]) && (wanted.size === 0 || wanted.has(reference.registry)))
      images.set(formatReference(reference), reference);
  const explicit = args.registry.destCreds ? { [args.target.host]: args.registry.destCreds } : {};
  const reader = createRegistryReader({
    keychain: createKeychain({ explicit, env: io.env, logger, google: keychainGoogle(void 0, io.env) }),
    logger,
    plainHttp: args.registry.plainHttp,
    endpoints: args.registry.endpoints
  });
  const result = { registries: [], missing: [], failed: false };
  try {
    await mapLimit([...images.values()], 4, async (ref) => {
      const mirror = mirrorReference(ref, args.target);
      try {
        if (await reader.head(mirror)) result.registries.push(ref.registry);
        else result.missing.push(`${formatReference(ref)} (not at ${formatReference(mirror)})`);
      } catch (err) {
        result.failed = true;
        logger.warning(
          `could not check ${printable(formatReference(mirror))}: ${printable(errorMessage(err))}`
        );
      }
    });
  } finally {
    await reader.close();
  }
  result.registries = [...new Set(result.registries)].sort();
  result.missing.sort();
  if (result.missing.length > 0)
    io.stderr(
      `the mirror lacks ${result.missing.length} image(s); nodes would pull them from upstream:
${result.missing.map((m) => `  ${printable(m)}
`).join("")}`
    );
  return result;
}
function parseRuntimeArgs(argv, env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      "plain-http": REGISTRY_OPTIONS["plain-http"],
      "dest-creds": REGISTRY_OPTIONS["dest-creds"],
      to: { type: "string" },
      format: { type: "string" },
      registries: { type: "string", multiple: true },
      out: { type: "string" },
      tree: { type: "string", multiple: true },
      check: { type: "boolean", default: false },
      "path-template": { type: "string" },
      verbose: { type: "boolean", short: "v", default: false },
      help: { type: "boolean", short: "h", default: false }
    }
  });
  if (values.help) return "help";
  if (!values.to) throw new UsageError("--to DESTINATION is required");
  if (!FORMATS.includes(values.format))
    throw new UsageError(`--format: expected ${FORMATS.join(", ")}`);
  if (values.check && values.tree) throw new UsageError("--check reads stdin; give it or --tree, not both");
  let target;
  try {
    target = parseMirrorTarget(values.to, values["path-template"]);
    registryMirrors(
      target,
      splitLists(values.registries).length > 0 ? splitLists(values.registries) : ["docker.io"]
    );
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  return {
    target,
    format: values.format,
    registries: splitLists(values.registries),
    out: values.out,
    trees: values.tree ?? [],
    check: values.check === true,
    verbose: values.verbose === true,
    registry: readRegistryFlags(values, env)
  };
}
export {
  RUNTIME_CONFIG_USAGE,
  runRuntimeConfigCommand
};
