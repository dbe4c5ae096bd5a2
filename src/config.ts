/**
 * One validated, documented Settings object for the action and the CLI. Raw values come from
 * action inputs, CLI flags or `.github/ar-mirror.yml` (same keys); explicitly given values win
 * over the file, and defaults are applied here and nowhere else.
 */
import { parseDocument } from 'yaml';
import { ConfigError, errorMessage } from './errors.js';
import { globToRegExp } from './glob.js';
import { parseDestination as parseDestinationPrefix } from './plan/destination.js';
import { parseDuration } from './refresh/duration.js';

/** What the action does with new third-party images (see Settings.mode). */
export type Mode = 'commit' | 'suggest' | 'copy' | 'report';
/** When a run fails (see Settings.failOn). */
export type FailOn = 'error' | 'unmirrored' | 'never';

/** Every mode, in the order the docs list them. */
export const MODES: readonly Mode[] = ['commit', 'suggest', 'copy', 'report'];
/** Every fail-on value. */
export const FAIL_ON: readonly FailOn[] = ['error', 'unmirrored', 'never'];

/** The validated settings of one run, each with its default applied (resolveSettings). */
export interface Settings {
  /** Registry prefix images are mirrored under, e.g. `us-docker.pkg.dev/my-project/mirror`. Required. */
  destination: string;
  /** What the action does with new third-party images. Default: `commit`. */
  mode: Mode;
  /** Rewrite to `tag@sha256:…` (true) or the tag only (false). Default: true. */
  pinDigest: boolean;
  /** Path of a mirrored image under the destination. Default: `{registry}/{repository}`. */
  pathTemplate: string;
  /** Platforms to copy (`os/arch[/variant]`); empty copies every platform. Default: all. */
  platforms: string[];
  /** Also copy cosign signatures, attestations, SBOMs and OCI referrers. Default: true. */
  signatures: boolean;
  /** Only files matching these globs are scanned. Default: every file. */
  include: string[];
  /** Files matching these globs are never scanned. Default: none. */
  exclude: string[];
  /** When non-empty, only images from these registries are mirrored; others are reported. Default: empty (all). */
  allowRegistries: string[];
  /** Registries treated like Artifact Registry: never mirrored. Default: none beyond the built-in ones. */
  firstPartyRegistries: string[];
  /** Image globs (`docker.io/library/busybox*`) that are never mirrored. Default: none. */
  ignoreImages: string[];
  /** Credentials for private source registries, by host; from the input or a flag only, never the config file. Default: none. */
  registryCredentials: Record<string, { username: string; password: string }>;
  /** Create the Artifact Registry repository when it does not exist. Default: false. */
  createRepository: boolean;
  /** When the run fails: on errors only, also when an image stays unmirrored, or never. Default: `error`. */
  failOn: FailOn;
  /** Take every third-party reference in changed files, not only new ones. Default: false. */
  scanAll: boolean;
  /** Concurrent blob transfers per copy. Default: 4. */
  jobs: number;
  /** Refresh follows only images matching these globs (`registry/repository[:tag]`). Default: all. */
  refreshOnly: string[];
  /** Refresh never follows images matching these globs. Default: none. */
  refreshIgnore: string[];
  /** Refresh takes a new upstream digest only once it is this old (ms, by its `created` time). Default: 0. */
  refreshMinAge: number;
}

/** Raw values by kebab-case key, as strings (inputs and flags) or YAML values (config file). */
export type RawSettings = Record<string, unknown>;

/** Every setting key: action inputs, config-file keys (all but registry-credentials) and (mostly) CLI flags share these names. */
export const SETTING_KEYS = [
  'destination',
  'mode',
  'pin-digest',
  'path-template',
  'platforms',
  'signatures',
  'include',
  'exclude',
  'allow-registries',
  'first-party-registries',
  'ignore-images',
  'registry-credentials',
  'create-repository',
  'fail-on',
  'scan-all',
  'jobs',
  'refresh-only',
  'refresh-ignore',
  'refresh-min-age',
] as const;

/**
 * Merges explicit values over config-file values and validates the result. `source` names
 * where explicit values came from (`input` or `flag`) so errors point at the right place.
 */
export function resolveSettings(explicit: RawSettings, file: RawSettings = {}, source = 'input'): Settings {
  const pick = (key: (typeof SETTING_KEYS)[number]) => {
    const value = explicit[key];
    if (value !== undefined && value !== '') return { value, where: `${source} "${key}"` };
    return { value: file[key], where: `config file key "${key}"` };
  };
  const destination = pick('destination');
  if (destination.value === undefined || destination.value === '') {
    throw new ConfigError(`${source} "destination" is required, e.g. us-docker.pkg.dev/PROJECT/REPOSITORY`);
  }
  // Only ever explicit (an input fed from a secret, or a flag): never from the committed file.
  const registryCredentials = {
    value: explicit['registry-credentials'],
    where: `${source} "registry-credentials"`,
  };
  return {
    destination: checkDestination(asString(destination.value, destination.where), destination.where),
    mode: oneOf(pick('mode'), MODES, 'commit'),
    pinDigest: asBoolean(pick('pin-digest'), true),
    pathTemplate: asString(
      pick('path-template').value ?? '{registry}/{repository}',
      pick('path-template').where,
    ),
    platforms: parsePlatforms(pick('platforms').value, pick('platforms').where),
    signatures: asBoolean(pick('signatures'), true),
    include: asGlobs(pick('include')),
    exclude: asGlobs(pick('exclude')),
    allowRegistries: asList(pick('allow-registries')),
    firstPartyRegistries: asList(pick('first-party-registries')),
    ignoreImages: asGlobs(pick('ignore-images')),
    registryCredentials: parseCredentialLines(registryCredentials.value, registryCredentials.where),
    createRepository: asBoolean(pick('create-repository'), false),
    failOn: oneOf(pick('fail-on'), FAIL_ON, 'error'),
    scanAll: asBoolean(pick('scan-all'), false),
    jobs: parseJobs(pick('jobs').value, pick('jobs').where),
    refreshOnly: asGlobs(pick('refresh-only')),
    refreshIgnore: asGlobs(pick('refresh-ignore')),
    refreshMinAge: parseDuration(pick('refresh-min-age').value, pick('refresh-min-age').where),
  };
}

/** The keys the config file may hold: every setting but the credentials, which are secrets. */
const FILE_KEYS: readonly string[] = SETTING_KEYS.filter((key) => key !== 'registry-credentials');

/**
 * Parses `.github/ar-mirror.yml`; unknown keys are errors so that typos do not pass silently,
 * and so is `registry-credentials`, which belongs in a secret, not in a committed file.
 */
export function parseConfigFile(text: string, fileName: string): RawSettings {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigError(`${fileName}: not valid YAML: ${document.errors[0]!.message}`);
  }
  const value: unknown = document.toJS({ maxAliasCount: 10 });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(
      `${fileName}: expected a mapping of settings, e.g. "destination: us-docker.pkg.dev/p/r"`,
    );
  }
  for (const key of Object.keys(value)) {
    if (key === 'registry-credentials') {
      throw new ConfigError(
        `${fileName}: key "registry-credentials" would put passwords in the repository; store them in a secret and pass it to the registry-credentials input`,
      );
    }
    if (!FILE_KEYS.includes(key)) {
      throw new ConfigError(`${fileName}: unknown key "${key}"; known keys: ${FILE_KEYS.join(', ')}`);
    }
  }
  return value as RawSettings;
}

/** The destination as a registry prefix (`host[:port][/path]`), validated by the plan's own rules; errors name where it came from. */
function checkDestination(text: string, where: string): string {
  try {
    const { host, path } = parseDestinationPrefix(text);
    return path === '' ? host : `${host}/${path}`;
  } catch (err) {
    throw new ConfigError(`${where}: ${errorMessage(err)}`);
  }
}

/** True for `os/arch[/variant]`, e.g. `linux/arm64` or `linux/arm/v7`. */
export function isPlatform(text: string): boolean {
  return /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(text);
}

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

/**
 * Validates a platform list (`os/arch[/variant]` items, as text lists or arrays; repeated flags
 * give arrays of text lists); errors name `where`. Default: empty (every platform).
 */
export function parsePlatforms(value: unknown, where: string): string[] {
  const items = Array.isArray(value)
    ? value.flatMap((item) => splitList(asString(item, where)))
    : asList({ value, where });
  return items.map((platform) => checkPlatform(platform, where));
}

function checkPlatform(text: string, where: string): string {
  if (!isPlatform(text)) {
    throw new ConfigError(`${where} "${text}" must be OS/ARCH or OS/ARCH/VARIANT, for example linux/arm64`);
  }
  return text;
}

/**
 * Credentials for private sources: one `HOST=USERNAME:PASSWORD` per line (the action input,
 * from a secret). Error messages never include the password.
 */
export function parseCredentialLines(
  value: unknown,
  where: string,
): Record<string, { username: string; password: string }> {
  const entries: [string, string][] = [];
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') {
    value.split(/\r?\n/).forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const equals = trimmed.indexOf('=');
      if (equals <= 0) throw new ConfigError(`${where}: line ${index + 1} must be HOST=USERNAME:PASSWORD`);
      entries.push([trimmed.slice(0, equals).trim(), trimmed.slice(equals + 1).trim()]);
    });
  } else {
    throw new ConfigError(`${where}: expected HOST=USERNAME:PASSWORD lines`);
  }
  const credentials: Record<string, { username: string; password: string }> = {};
  for (const [host, pair] of entries) {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new ConfigError(`${where}: credentials for ${host} must be USERNAME:PASSWORD`);
    credentials[host] = { username: pair.slice(0, colon), password: pair.slice(colon + 1) };
  }
  return credentials;
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ConfigError(`${where}: expected a string`);
}

/**
 * Splits a list given as text (an input, a flag, an environment variable): items are separated
 * by newlines or commas, as most actions accept, but a comma inside `{}` belongs to a brace glob
 * (`k8s/{prod,staging}/*.yaml`). Items are trimmed; empty items and `#` comments are dropped.
 */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const char = text[i];
    if (char === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    else if (char === undefined || char === '\n' || (char === ',' && depth === 0)) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
      // A newline ends the item even inside an unclosed brace, so one typo spoils one line only.
      if (char === '\n') depth = 0;
    }
  }
  return items.filter((item) => item !== '' && !item.startsWith('#'));
}

/** Splits each of several flag values (repeatable flags may also hold comma lists) with splitList. */
export function splitLists(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap(splitList);
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

function asList(picked: { value: unknown; where: string }): string[] {
  const { value, where } = picked;
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map((item) => asString(item, where).trim()).filter(Boolean);
  return splitList(asString(value, where));
}

/** A list of globs, each compiled once here so a bad one fails early, naming the setting. */
function asGlobs(picked: { value: unknown; where: string }): string[] {
  const globs = asList(picked);
  for (const glob of globs) globToRegExp(glob, picked.where);
  return globs;
}

function asBoolean(picked: { value: unknown; where: string }, fallback: boolean): boolean {
  const { value, where } = picked;
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ConfigError(`${where}: expected true or false, got "${String(value)}"`);
}

/** Concurrent blob transfers per copy when none is given. */
export const DEFAULT_JOBS = 4;

/** Validates `jobs` (a whole number from 1 to 64); errors name `where`. Default: DEFAULT_JOBS (4). */
export function parseJobs(value: unknown, where: string): number {
  if (value === undefined || value === '') return DEFAULT_JOBS;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) {
    // Worded to read after an input, a config key and a flag alike (`--jobs must be …`).
    throw new ConfigError(`${where} must be a whole number from 1 to 64, got "${String(value)}"`);
  }
  return number;
}

function oneOf<T extends string>(
  picked: { value: unknown; where: string },
  allowed: readonly T[],
  fallback: T,
): T {
  const { value, where } = picked;
  if (value === undefined || value === '') return fallback;
  const text = String(value).trim();
  if (!(allowed as readonly string[]).includes(text)) {
    throw new ConfigError(`${where}: expected one of ${allowed.join(', ')}, got "${text}"`);
  }
  return text as T;
}
