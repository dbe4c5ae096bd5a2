/**
 * Reads Docker's `config.json` and finds what it says about one registry: an inline
 * credential (`auths.HOST.auth` or `username`/`password`) or a credential helper to run
 * (`credHelpers.HOST`, else `credsStore`).
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, errorMessage } from '../../errors.js';
import { helperServerUrl, normaliseRegistryHost } from './hosts.js';
import { type Credential, IDENTITY_TOKEN_USERNAME } from './types.js';

/** The parts of Docker's config.json that hold credentials. */
export interface DockerConfig {
  /** Where it was read from, for messages. */
  path: string;
  auths: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

/**
 * What the config says about a registry: an inline credential (an `identitytoken` entry becomes
 * an identity-token credential, see Credential) or a helper to run.
 */
export type DockerConfigEntry =
  | { kind: 'inline'; credential: Credential }
  | { kind: 'helper'; helper: string; serverUrl: string };

/** The directory holding config.json: `$DOCKER_CONFIG`, else `~/.docker`. */
export function defaultDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringsOnly = (value: unknown): Record<string, string> =>
  isRecord(value)
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      )
    : {};

/** Reads `dir/config.json`; undefined when there is none. Invalid JSON is a ConfigError naming the file. */
export async function readDockerConfig(dir: string): Promise<DockerConfig | undefined> {
  const file = path.join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read Docker config ${file}: ${errorMessage(err)}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error, which may be a credential.
    throw new ConfigError(`Docker config ${file} is not valid JSON`);
  }
  if (!isRecord(parsed)) throw new ConfigError(`Docker config ${file} must hold a JSON object`);
  const auths = isRecord(parsed.auths) ? (parsed.auths as DockerConfig['auths']) : {};
  const credsStore =
    typeof parsed.credsStore === 'string' && parsed.credsStore ? parsed.credsStore : undefined;
  return { path: file, auths, credHelpers: stringsOnly(parsed.credHelpers), credsStore };
}

/** Finds the value whose key, as a host, is `host` (keys may be URLs such as `https://index.docker.io/v1/`). */
function findByHost<T>(entries: Record<string, T>, host: string): [string, T] | undefined {
  if (Object.hasOwn(entries, host)) return [host, entries[host]!];
  return Object.entries(entries).find(([key]) => normaliseRegistryHost(key) === host);
}

function decodeInline(
  config: DockerConfig,
  key: string,
  entry: DockerConfig['auths'][string],
): DockerConfigEntry | undefined {
  if (!isRecord(entry)) return undefined;
  // `docker login` against an OAuth2 realm stores the refresh token here, next to an `auth` that
  // holds the user name and no password: the token is what authenticates.
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return {
      kind: 'inline',
      credential: { username: IDENTITY_TOKEN_USERNAME, password: entry.identitytoken },
    };
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new ConfigError(
        `Docker config ${config.path}: auths["${key}"].auth is not base64 of USER:PASSWORD`,
      );
    return {
      kind: 'inline',
      credential: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
    };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') {
    return { kind: 'inline', credential: { username: entry.username, password: entry.password } };
  }
  return undefined;
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function helperEntry(config: DockerConfig, name: string, host: string): DockerConfigEntry {
  // The name becomes part of an executable name: refuse anything that could be a path.
  if (!HELPER_NAME.test(name))
    throw new ConfigError(`Docker config ${config.path}: invalid credential helper name "${name}"`);
  return { kind: 'helper', helper: name, serverUrl: helperServerUrl(host) };
}

/**
 * What `config` says about `host`. Order: `credHelpers[host]`, then an inline `auths` entry,
 * then the global `credsStore`. Docker itself asks `credsStore` before `auths`, but an inline
 * entry is what `docker login` writes when there is no store, and a store configured on a
 * developer machine must not hide it.
 */
export function lookupDockerConfig(config: DockerConfig, host: string): DockerConfigEntry | undefined {
  const wanted = normaliseRegistryHost(host);
  const helper = findByHost(config.credHelpers, wanted);
  if (helper) return helperEntry(config, helper[1], wanted);
  const inline = findByHost(config.auths, wanted);
  const entry = inline && decodeInline(config, inline[0], inline[1]);
  if (entry) return entry;
  return config.credsStore ? helperEntry(config, config.credsStore, wanted) : undefined;
}
