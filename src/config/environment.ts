/** Operator settings read from the environment (AR_MIRROR_*), for unusual networks and the end-to-end tests. */
import { ConfigError } from '../errors.js';
import { splitList } from './values.js';

/**
 * Parses AR_MIRROR_REGISTRY_ENDPOINTS: `REGISTRY=URL` pairs separated by commas, routing a
 * registry name to another API endpoint (a pull-through proxy, a private endpoint, a local test
 * registry). References and credentials keep the registry name.
 */
export function parseEndpointsVariable(text: string | undefined): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const equals = trimmed.indexOf('=');
    const url = trimmed.slice(equals + 1);
    if (equals <= 0 || !/^https?:\/\/[^/]+\/?$/.test(url)) {
      throw new ConfigError(
        `AR_MIRROR_REGISTRY_ENDPOINTS: "${trimmed}" must be REGISTRY=http(s)://HOST[:PORT]`,
      );
    }
    endpoints[trimmed.slice(0, equals)] = url.replace(/\/$/, '');
  }
  return endpoints;
}

/** Parses AR_MIRROR_PLAIN_HTTP: hosts (`host[:port]`) spoken to over plain HTTP, comma-separated. */
export function parsePlainHttpVariable(text: string | undefined): string[] {
  return splitList(text ?? '');
}

/** Operator settings for unusual networks (and the end-to-end tests), read from the environment. */
export interface NetworkEnvironment {
  /** Hosts spoken to over plain HTTP, from AR_MIRROR_PLAIN_HTTP. Default: none. */
  plainHttp: string[];
  /** Registry name → endpoint URL, from AR_MIRROR_REGISTRY_ENDPOINTS. Default: none. */
  endpoints: Record<string, string>;
  /** Artifact Registry REST base, from AR_MIRROR_ARTIFACT_REGISTRY_API. Default: Google's API. */
  artifactRegistryApi: string | undefined;
}

/** Reads AR_MIRROR_PLAIN_HTTP, AR_MIRROR_REGISTRY_ENDPOINTS and AR_MIRROR_ARTIFACT_REGISTRY_API. */
export function readNetworkEnvironment(env: NodeJS.ProcessEnv): NetworkEnvironment {
  return {
    plainHttp: parsePlainHttpVariable(env.AR_MIRROR_PLAIN_HTTP),
    endpoints: parseEndpointsVariable(env.AR_MIRROR_REGISTRY_ENDPOINTS),
    artifactRegistryApi: env.AR_MIRROR_ARTIFACT_REGISTRY_API || undefined,
  };
}
