/**
 * `ar-mirror runtime-config --to DEST --format containerd|cri-o|bare-metal`: node-level mirror
 * configuration for the registries the mirror serves, with how nodes authenticate. With
 * `--tree PATH` (or `--check`, which reads a YAML stream such as `kubectl get pods -A -o yaml` on
 * stdin) it checks that the mirror holds those images, lists those it lacks (they would come
 * from upstream) and emits no mirror for a registry of which it holds none. Exit 0; 1 when images
 * are missing or a check failed; 2 on usage errors.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { splitLists } from '../config.js';
import { errorMessage } from '../errors.js';
import { createStreamLogger, type Logger } from '../log.js';
import { type MirrorTarget, mirrorReference, parseMirrorTarget } from '../platform/mirror-target.js';
import {
  type RegistryMirror,
  type RuntimeFormat,
  registryMirrors,
  renderRuntimeConfig,
} from '../platform/runtime-config.js';
import { formatReference, isThirdParty } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { createKeychain } from '../registry/credentials/keychain.js';
import { registryScheme } from '../registry/transport/index.js';
import { printable } from '../text/escape.js';
import { mapLimit } from '../util/map-limit.js';
import { collectReferences } from './collect-references.js';
import { keychainGoogle } from './google-flags.js';
import { type CommandIO, EXIT_FAILURE, EXIT_OK, parseCommandLine, UsageError } from './io.js';
import { REGISTRY_OPTIONS, type RegistryFlags, readRegistryFlags } from './registry-flags.js';
import { createRegistryReader } from './registry-reader.js';

/** The runtime-config command's usage text. */
export const RUNTIME_CONFIG_USAGE = `usage: ar-mirror runtime-config --to DESTINATION --format containerd|cri-o|bare-metal [options]
  --registries LIST   registries to mirror (default: those of --tree/--check images, else docker.io)
  --out DIR           write the files under DIR (containerd: DIR/<registry>/hosts.toml, usable as
                      config_path or ctr --hosts-dir; cri-o: DIR/ar-mirror.conf; bare-metal:
                      DIR/registry-mirrors.yaml); default: print them
  --tree PATH         check that the mirror holds the third-party images PATH references (repeatable)
  --check             the same for a YAML stream on stdin (kubectl get pods -A -o yaml)
  --path-template T   the mirror's layout (default {registry}/{repository})
  --plain-http HOST   --dest-creds USER:PASS   how to reach the mirror
  --verbose, -v       one line per registry request on stderr`;

const FORMATS: readonly RuntimeFormat[] = ['containerd', 'cri-o', 'bare-metal'];

interface RuntimeArgs {
  target: MirrorTarget;
  format: RuntimeFormat;
  registries: string[];
  out: string | undefined;
  trees: string[];
  check: boolean;
  verbose: boolean;
  registry: RegistryFlags;
}

/** Runs runtime-config and returns its exit code. */
export async function runRuntimeConfigCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('runtime-config', RUNTIME_CONFIG_USAGE, io, () =>
    parseRuntimeArgs(argv, io.env),
  );
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  let held: { registries: string[]; missing: string[]; failed: boolean } | undefined;
  try {
    if (args.trees.length > 0 || args.check) held = await checkMirror(args, io, logger);
    const registries =
      held && args.registries.length === 0
        ? held.registries
        : args.registries.length > 0
          ? args.registries
          : ['docker.io'];
    const mirrors = registryMirrors(args.target, registries).filter(
      (m) => !held || held.registries.includes(m.registry) || warnEmpty(m, logger),
    );
    await emit(args, renderRuntimeConfig({ format: args.format, mirrors, plainHttp: isPlain(args) }), io);
  } catch (err) {
    io.stderr(`ar-mirror runtime-config: ${printable(errorMessage(err), 1000)}\n`);
    return EXIT_FAILURE;
  }
  return held && (held.missing.length > 0 || held.failed) ? EXIT_FAILURE : EXIT_OK;
}

function warnEmpty(m: RegistryMirror, logger: Logger): false {
  logger.warning(
    `no mirror emitted for ${m.registry}: ${m.mirrorPath} holds none of the checked ${m.registry} images`,
  );
  return false;
}

function isPlain(args: RuntimeArgs): boolean {
  return registryScheme(args.target.host, args.registry.plainHttp) === 'http';
}

async function emit(args: RuntimeArgs, files: { path: string; content: string }[], io: CommandIO) {
  if (args.out === undefined) {
    for (const file of files) io.stdout(`# ==> ${file.path} <==\n${file.content}\n`);
    return;
  }
  const root = path.resolve(io.cwd ?? process.cwd(), args.out);
  for (const file of files) {
    const target = path.join(root, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
    io.stdout(`wrote ${target}\n`);
  }
}

/**
 * HEADs the mirror reference of every third-party image found; returns the registries of which
 * the mirror holds at least one image, and lists (on stderr) the images it lacks.
 */
async function checkMirror(args: RuntimeArgs, io: CommandIO, logger: Logger) {
  const found = await collectReferences(args.check ? ['-'] : args.trees, io);
  const wanted = new Set(args.registries);
  const images = new Map<string, ImageReference>();
  for (const { reference } of found.occurrences)
    if (
      isThirdParty(reference.registry, reference.repository, [args.target.host]) &&
      (wanted.size === 0 || wanted.has(reference.registry))
    )
      images.set(formatReference(reference), reference);
  const explicit = args.registry.destCreds ? { [args.target.host]: args.registry.destCreds } : {};
  const reader = createRegistryReader({
    keychain: createKeychain({ explicit, env: io.env, logger, google: keychainGoogle(undefined, io.env) }),
    logger,
    plainHttp: args.registry.plainHttp,
    endpoints: args.registry.endpoints,
  });
  const result = { registries: [] as string[], missing: [] as string[], failed: false };
  try {
    await mapLimit([...images.values()], 4, async (ref) => {
      const mirror = mirrorReference(ref, args.target);
      try {
        if (await reader.head(mirror)) result.registries.push(ref.registry);
        else result.missing.push(`${formatReference(ref)} (not at ${formatReference(mirror)})`);
      } catch (err) {
        result.failed = true;
        logger.warning(
          `could not check ${printable(formatReference(mirror))}: ${printable(errorMessage(err))}`,
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
      `the mirror lacks ${result.missing.length} image(s); nodes would pull them from upstream:\n${result.missing.map((m) => `  ${printable(m)}\n`).join('')}`,
    );
  return result;
}

function parseRuntimeArgs(argv: string[], env: NodeJS.ProcessEnv): RuntimeArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      'plain-http': REGISTRY_OPTIONS['plain-http'],
      'dest-creds': REGISTRY_OPTIONS['dest-creds'],
      to: { type: 'string' },
      format: { type: 'string' },
      registries: { type: 'string', multiple: true },
      out: { type: 'string' },
      tree: { type: 'string', multiple: true },
      check: { type: 'boolean', default: false },
      'path-template': { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (!values.to) throw new UsageError('--to DESTINATION is required');
  if (!FORMATS.includes(values.format as RuntimeFormat))
    throw new UsageError(`--format: expected ${FORMATS.join(', ')}`);
  if (values.check && values.tree) throw new UsageError('--check reads stdin; give it or --tree, not both');
  let target: MirrorTarget;
  try {
    target = parseMirrorTarget(values.to, values['path-template']);
    registryMirrors(
      target,
      splitLists(values.registries).length > 0 ? splitLists(values.registries) : ['docker.io'],
    );
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  return {
    target,
    format: values.format as RuntimeFormat,
    registries: splitLists(values.registries),
    out: values.out,
    trees: values.tree ?? [],
    check: values.check === true,
    verbose: values.verbose === true,
    registry: readRegistryFlags(values, env),
  };
}
