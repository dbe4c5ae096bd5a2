/**
 * The Google options the platform commands share: `--gcp-access-token` (else
 * AR_MIRROR_GCP_ACCESS_TOKEN, else Application Default Credentials) and the API base URLs,
 * turned into one authorised GoogleApi per run.
 */
import type { ParseArgsConfig } from 'node:util';
import { resolveGoogleTokenSource } from '../cloud/auth.js';
import { type GoogleEndpoints, readGoogleEndpoints } from '../cloud/endpoints.js';
import { createGoogleApi, type GoogleApi } from '../cloud/http.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { GoogleTokenSource } from '../registry/credentials/google.js';
import { UsageError } from './io.js';

/** The parseArgs options of every command that calls Google APIs. */
export const GOOGLE_OPTIONS = {
  'gcp-access-token': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** The usage lines of those options. */
export const GOOGLE_USAGE = `  --gcp-access-token TOKEN   Google access token (also $AR_MIRROR_GCP_ACCESS_TOKEN; default: Application Default Credentials)
  --verbose, -v              one line per API and registry request on stderr`;

/** Reads the API base URLs now, so a bad override is a usage error (exit 2). */
export function readEndpointsForUsage(env: NodeJS.ProcessEnv): GoogleEndpoints {
  try {
    return readGoogleEndpoints(env);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}

/** The run's GoogleApi: its token source is resolved (and ADC loaded) only here, on first need. */
export async function createCommandGoogleApi(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<GoogleApi> {
  const token = await resolveGoogleTokenSource({ flag, env, logger });
  return createGoogleApi({ token, logger });
}

/**
 * What the registry keychain uses for Google registries: the static token when one is given
 * (`--gcp-access-token` or AR_MIRROR_GCP_ACCESS_TOKEN), so one token serves the APIs and the
 * registry; else Application Default Credentials.
 */
export function keychainGoogle(flag: string | undefined, env: NodeJS.ProcessEnv): GoogleTokenSource | 'adc' {
  const token = (flag ?? env.AR_MIRROR_GCP_ACCESS_TOKEN ?? '').trim();
  return token === '' ? 'adc' : { getAccessToken: async () => token };
}
