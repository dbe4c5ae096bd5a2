/**
 * Where each Google API lives. Every base can be overridden by an environment variable so a
 * test harness (or a private endpoint) can stand in for Google.
 */
import { ConfigError } from '../errors.js';

/** Base URLs of the Google REST APIs ar-mirror calls, without a trailing slash. */
export interface GoogleEndpoints {
  /** AR_MIRROR_LOGGING_API. Default: https://logging.googleapis.com/v2 */
  logging: string;
  /** AR_MIRROR_BIGQUERY_API. Default: https://bigquery.googleapis.com/bigquery/v2 */
  bigquery: string;
  /** AR_MIRROR_CONTAINER_API. Default: https://container.googleapis.com/v1 */
  container: string;
  /** AR_MIRROR_RESOURCE_MANAGER_API. Default: https://cloudresourcemanager.googleapis.com/v1 */
  resourceManager: string;
  /** AR_MIRROR_IAM_API. Default: https://iam.googleapis.com/v1 */
  iam: string;
  /** AR_MIRROR_ARTIFACT_REGISTRY_API. Default: https://artifactregistry.googleapis.com/v1 */
  artifactRegistry: string;
  /** AR_MIRROR_RUN_API. Default: https://run.googleapis.com/v2 */
  run: string;
}

const DEFAULTS: Record<keyof GoogleEndpoints, [variable: string, url: string]> = {
  logging: ['AR_MIRROR_LOGGING_API', 'https://logging.googleapis.com/v2'],
  bigquery: ['AR_MIRROR_BIGQUERY_API', 'https://bigquery.googleapis.com/bigquery/v2'],
  container: ['AR_MIRROR_CONTAINER_API', 'https://container.googleapis.com/v1'],
  resourceManager: ['AR_MIRROR_RESOURCE_MANAGER_API', 'https://cloudresourcemanager.googleapis.com/v1'],
  iam: ['AR_MIRROR_IAM_API', 'https://iam.googleapis.com/v1'],
  artifactRegistry: ['AR_MIRROR_ARTIFACT_REGISTRY_API', 'https://artifactregistry.googleapis.com/v1'],
  run: ['AR_MIRROR_RUN_API', 'https://run.googleapis.com/v2'],
};

/** Reads the overrides; a value that is not an http(s) URL is a ConfigError naming the variable. */
export function readGoogleEndpoints(env: NodeJS.ProcessEnv): GoogleEndpoints {
  const read = (key: keyof GoogleEndpoints) => baseUrl(env, ...DEFAULTS[key]);
  return {
    logging: read('logging'),
    bigquery: read('bigquery'),
    container: read('container'),
    resourceManager: read('resourceManager'),
    iam: read('iam'),
    artifactRegistry: read('artifactRegistry'),
    run: read('run'),
  };
}

function baseUrl(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const value = env[variable] || fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${variable} "${value.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(`${variable} must be an http(s) URL, got "${value.slice(0, 200)}"`);
  return value.replace(/\/+$/, '');
}
