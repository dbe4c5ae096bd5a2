/**
 * The registry options `copy` and `migrate` share, parsed once: plain-HTTP hosts (flag and
 * AR_MIRROR_PLAIN_HTTP), explicit credentials, blob concurrency and platforms.
 */
import type { ParseArgsConfig } from 'node:util';
import { isPlatform, readNetworkEnvironment, splitLists } from '../config.js';
import { parseCredentialFlag } from '../registry/credentials/flag.js';
import type { Credential } from '../registry/credentials/types.js';
import { UsageError } from './io.js';

export const REGISTRY_OPTIONS = {
  'plain-http': { type: 'string', multiple: true },
  'src-creds': { type: 'string' },
  'dest-creds': { type: 'string' },
  jobs: { type: 'string' },
  platform: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

export interface RegistryFlags {
  plainHttp: string[];
  /** Registry name → endpoint URL, from AR_MIRROR_REGISTRY_ENDPOINTS. */
  endpoints: Record<string, string>;
  /** Artifact Registry REST base, from AR_MIRROR_ARTIFACT_REGISTRY_API. Default: Google's API. */
  artifactRegistryApi: string | undefined;
  srcCreds: Credential | undefined;
  destCreds: Credential | undefined;
  jobs: number;
  platforms: string[];
}

/** Turns parsed values into registry settings; bad values are usage errors naming the flag. */
export function readRegistryFlags(values: Record<string, unknown>, env: NodeJS.ProcessEnv): RegistryFlags {
  const list = (value: unknown) => splitLists(value as string[] | undefined);
  const jobsText = values.jobs as string | undefined;
  const jobs = jobsText === undefined ? 4 : Number(jobsText);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
    throw new UsageError(`--jobs must be a whole number from 1 to 64, got "${jobsText}"`);
  const platforms = list(values.platform);
  for (const platform of platforms) {
    if (!isPlatform(platform)) {
      throw new UsageError(
        `--platform "${platform}" must be OS/ARCH or OS/ARCH/VARIANT, for example linux/arm64`,
      );
    }
  }
  const creds = (flag: string) => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return undefined;
    try {
      return parseCredentialFlag(text, `--${flag}`);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  };
  const network = readNetworkEnvironment(env);
  return {
    ...network,
    plainHttp: [...list(values['plain-http']), ...network.plainHttp],
    srcCreds: creds('src-creds'),
    destCreds: creds('dest-creds'),
    jobs,
    platforms,
  };
}
