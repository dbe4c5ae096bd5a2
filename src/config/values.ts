/**
 * The value parsers behind the settings table: each takes a raw value (a string from an input or
 * flag, a YAML value from the config file) and `where` it came from, and returns the validated
 * value or throws a ConfigError naming `where`. Moved unchanged out of config.ts.
 */
import { ConfigError, errorMessage } from '../errors.js';
import { validateGlobs } from '../glob.js';
import { parseDestination as parseDestinationPrefix } from '../plan/destination.js';
import { isPlatformText } from '../registry/platform.js';

/** True when a raw value counts as "not given" (the next source or the default applies). */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === '';
}

/** The destination as a registry prefix (`host[:port][/path]`), validated by the plan's own rules; errors name where it came from. */
export function checkDestination(text: string, where: string): string {
  try {
    const { host, path } = parseDestinationPrefix(text);
    return path === '' ? host : `${host}/${path}`;
  } catch (err) {
    throw new ConfigError(`${where}: ${errorMessage(err)}`);
  }
}

/** The regular expression of a platform, `os/arch[/variant]`: the grammar manifests are held to too. */
export { PLATFORM_PATTERN } from '../registry/platform.js';

/** True for `os/arch[/variant]`, e.g. `linux/arm64` or `linux/arm/v7` (src/registry/platform.ts). */
export function isPlatform(text: string): boolean {
  return isPlatformText(text);
}

/**
 * Validates a platform list (`os/arch[/variant]` items, as text lists or arrays; repeated flags
 * give arrays of text lists); errors name `where`. Default: empty (every platform).
 */
export function parsePlatforms(value: unknown, where: string): string[] {
  const items = Array.isArray(value)
    ? value.flatMap((item) => splitList(asString(item, where)))
    : asList(value, where);
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

/** A string (a number is taken as its text); anything else is a ConfigError naming `where`. */
export function asString(value: unknown, where: string): string {
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

/** A list given as text (see splitList) or as a YAML sequence. Default: empty. */
export function asList(value: unknown, where: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map((item) => asString(item, where).trim()).filter(Boolean);
  return splitList(asString(value, where));
}

/** A list of globs, each compiled once here so a bad one fails early, naming the setting. */
export function asGlobs(value: unknown, where: string): string[] {
  const globs = asList(value, where);
  validateGlobs(globs, where);
  return globs;
}

/** `true`/`false` (any case, as inputs and flags give them) or a YAML boolean. */
export function asBoolean(value: unknown, where: string, fallback: boolean): boolean {
  if (isUnset(value)) return fallback;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ConfigError(`${where}: expected true or false, got "${String(value)}"`);
}

/** One of `allowed` (trimmed), or `fallback` when unset. */
export function oneOf<T extends string>(
  value: unknown,
  where: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (isUnset(value)) return fallback;
  const text = String(value).trim();
  if (!(allowed as readonly string[]).includes(text)) {
    throw new ConfigError(`${where}: expected one of ${allowed.join(', ')}, got "${text}"`);
  }
  return text as T;
}

/** Bounds of a whole-number setting. */
export interface WholeNumberRange {
  minimum: number;
  maximum: number;
}

/** A whole number within `range`, or `fallback` when unset; errors name `where`. */
export function parseWholeNumber(
  value: unknown,
  where: string,
  range: WholeNumberRange,
  fallback: number,
): number {
  if (isUnset(value)) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < range.minimum || number > range.maximum) {
    // Worded to read after an input, a config key and a flag alike (`--jobs must be …`).
    throw new ConfigError(
      `${where} must be a whole number from ${range.minimum} to ${range.maximum}, got "${String(value)}"`,
    );
  }
  return number;
}

/** Concurrent blob transfers per copy when none is given. */
export const DEFAULT_JOBS = 4;
/** The range of `jobs`. */
export const JOBS_RANGE: WholeNumberRange = { minimum: 1, maximum: 64 };

/** Validates `jobs` (a whole number from 1 to 64); errors name `where`. Default: DEFAULT_JOBS (4). */
export function parseJobs(value: unknown, where: string): number {
  return parseWholeNumber(value, where, JOBS_RANGE, DEFAULT_JOBS);
}

/** How long one image's copy may take when no timeout is given: 30 minutes. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/** The grammar of `timeout`: a whole number, then `s`, `m` or `h` (seconds without one); also the schema's pattern. */
export const TIMEOUT_PATTERN = '^[0-9]{1,6}[smh]?$';

const TIMEOUT_UNITS: Readonly<Record<string, number>> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Validates `timeout` (`90s`, `30m`, `2h`; seconds without a unit), from 1 s to 24 h, into
 * milliseconds; errors name `where`. Default: DEFAULT_TIMEOUT_MS (30 min).
 */
export function parseTimeout(value: unknown, where: string): number {
  if (isUnset(value)) return DEFAULT_TIMEOUT_MS;
  const text = String(value).trim();
  const ms = new RegExp(TIMEOUT_PATTERN).test(text)
    ? Number(text.replace(/[smh]$/, '')) * TIMEOUT_UNITS[text.replace(/^[0-9]+/, '')]!
    : Number.NaN;
  if (!(ms >= 1000 && ms <= 24 * 3_600_000)) {
    throw new ConfigError(
      `${where} must be a duration from 1s to 24h such as 90s, 30m or 2h, got "${String(value)}"`,
    );
  }
  return ms;
}
