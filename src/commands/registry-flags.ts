/**
 * The registry options `copy` and `migrate` share, parsed once: plain-HTTP hosts (flag and
 * AR_MIRROR_PLAIN_HTTP), explicit credentials, blob concurrency and platforms; and the one
 * place both commands build their keychain and copier.
 */
import type { ParseArgsConfig } from 'node:util';
// The config modules themselves, not ../config.js, whose file reader would load yaml into every copy.
import { type NetworkEnvironment, readNetworkEnvironment } from '../config/environment.js';
import type { Settings } from '../config/types.js';
import { splitLists } from '../config/values.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { type Copier, createCopier, pacedJobs } from '../mirror/copier.js';
import type { Progress } from '../registry/copy.js';
import { parseCredentialFlag } from '../registry/credentials/flag.js';
import { normaliseRegistryHost } from '../registry/credentials/hosts.js';
import { createKeychain } from '../registry/credentials/keychain.js';
import type { Credential } from '../registry/credentials/types.js';
import { UsageError } from './io.js';

/** The parseArgs options every registry command accepts. */
export const REGISTRY_OPTIONS = {
  'plain-http': { type: 'string', multiple: true },
  'src-creds': { type: 'string', multiple: true },
  'dest-creds': { type: 'string' },
  jobs: { type: 'string' },
  platform: { type: 'string', multiple: true },
  timeout: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** `--src-creds` values: `HOST=USER:PASS` entries by host, and at most one plain `USER:PASS`. */
export interface SourceCredentials {
  /** Credentials given as `HOST=USER:PASS`, by normalised host. */
  byHost: Record<string, Credential>;
  /** A plain `USER:PASS`, only usable when there is exactly one source registry. Default: none. */
  plain: Credential | undefined;
}

/** Registry flags and the network environment, parsed; `--jobs`/`--platform` stay raw for resolveSettings. */
export interface RegistryFlags extends NetworkEnvironment {
  srcCreds: SourceCredentials;
  destCreds: Credential | undefined;
  /** The raw `--jobs` value, validated by config.ts parseJobs. */
  jobs: string | undefined;
  /** The raw `--platform` values, validated by config.ts parsePlatforms. */
  platforms: string[];
  /** The raw `--timeout` value, validated by config.ts parseTimeout. */
  timeout: string | undefined;
}

// `host[:port]=` before a USER:PASS; a plain USER:PASS whose password holds `=` does not match,
// because its text before the `=` has a colon followed by something other than a port.
const HOST_PREFIX = /^([a-z0-9.-]+(?::\d+)?)=(.*)$/is;

/** Turns parsed values into registry settings; bad values are usage errors naming the flag. */
export function readRegistryFlags(values: Record<string, unknown>, env: NodeJS.ProcessEnv): RegistryFlags {
  const network = readNetworkEnvironment(env);
  const dest = values['dest-creds'] as string | undefined;
  return {
    ...network,
    plainHttp: [...splitLists(values['plain-http'] as string[] | undefined), ...network.plainHttp],
    srcCreds: readSourceCredentials((values['src-creds'] as string[] | undefined) ?? []),
    destCreds: dest === undefined ? undefined : asUsage(() => parseCredentialFlag(dest, '--dest-creds')),
    jobs: values.jobs as string | undefined,
    platforms: (values.platform as string[] | undefined) ?? [],
    timeout: values.timeout as string | undefined,
  };
}

function readSourceCredentials(texts: readonly string[]): SourceCredentials {
  const result: SourceCredentials = { byHost: {}, plain: undefined };
  for (const text of texts) {
    const match = HOST_PREFIX.exec(text);
    if (match && match[2]!.includes(':')) {
      const host = normaliseRegistryHost(match[1]!);
      result.byHost[host] = asUsage(() => parseCredentialFlag(match[2]!, `--src-creds ${host}=`));
    } else {
      if (result.plain) throw new UsageError('--src-creds USER:PASS may be given once; use HOST=USER:PASS');
      result.plain = asUsage(() => parseCredentialFlag(text, '--src-creds'));
    }
  }
  return result;
}

/**
 * The explicit credentials for one run: `HOST=` source credentials for their hosts, a plain
 * source credential for the one source registry (a usage error naming the hosts when there are
 * several, so a private token never reaches Docker Hub or quay.io), and `--dest-creds` for the
 * destination host, which wins when it is also a source (it can pull as well as push).
 */
export function explicitCredentials(
  flags: Pick<RegistryFlags, 'srcCreds' | 'destCreds'>,
  sourceHosts: readonly string[],
  destinationHost: string,
): Record<string, Credential> {
  const explicit: Record<string, Credential> = { ...flags.srcCreds.byHost };
  const hosts = [...new Set(sourceHosts.map(normaliseRegistryHost))].sort();
  if (flags.srcCreds.plain) {
    // No source at all (an already-mirrored tree) is fine: the credential is simply not used.
    if (hosts.length > 1) {
      throw new UsageError(
        `--src-creds USER:PASS would go to every source registry (${hosts.join(', ') || 'none'}); give HOST=USER:PASS for each`,
      );
    }
    if (hosts.length === 1) explicit[hosts[0]!] ??= flags.srcCreds.plain;
  }
  if (flags.destCreds) explicit[normaliseRegistryHost(destinationHost)] = flags.destCreds;
  return explicit;
}

/** What a command's copier needs beyond the flags: the settings, credentials and where to log. */
export interface CommandCopierOptions {
  flags: RegistryFlags;
  settings: Pick<Settings, 'jobs' | 'platforms' | 'signatures' | 'createRepository' | 'timeoutMs'>;
  explicit: Record<string, Credential>;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Called whenever blobs or bytes advance. Default: none. */
  onProgress?: (progress: Progress) => void;
}

/** The keychain (explicit credentials, then Docker config, then Google ADC) and copier of a CLI command. */
export function createCommandCopier(options: CommandCopierOptions): Copier {
  const { flags, settings, logger } = options;
  return createCopier({
    keychain: createKeychain({ explicit: options.explicit, env: options.env, logger, google: 'adc' }),
    logger,
    plainHttp: flags.plainHttp,
    endpoints: flags.endpoints,
    ...(flags.artifactRegistryApi ? { artifactRegistryApi: flags.artifactRegistryApi } : {}),
    // `--jobs` fixes the blob transfers per registry host; without it the pace adapts.
    jobs: pacedJobs(settings.jobs, flags.jobs !== undefined),
    timeoutMs: settings.timeoutMs,
    platforms: settings.platforms,
    signatures: settings.signatures,
    createRepository: settings.createRepository,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}
