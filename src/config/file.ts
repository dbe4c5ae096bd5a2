/**
 * Reads `.github/ar-mirror.yml`: YAML in, raw settings out, each value checked against the same
 * schema that is published for editors (schema.ts), so a value an editor flags is refused here.
 * resolveSettings then validates what the schema cannot express (config.ts).
 */
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { checkValue, typeSchema } from './schema.js';
import { SETTING_LIST, type SettingType, settingByKey } from './table.js';
import type { RawSettings } from './types.js';

/** The keys the config file may hold: every setting but the credentials, which are secrets. */
export const FILE_KEYS: readonly string[] = SETTING_LIST.filter((s) => s.inFile !== false).map((s) => s.key);

/**
 * Parses `.github/ar-mirror.yml`; unknown keys are errors so that typos do not pass silently,
 * and so is `registry-credentials`, which belongs in a secret, not in a committed file. A value
 * of the wrong type (`jobs: "8"`, `pin-digest: "yes"`) is an error naming the key.
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
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'registry-credentials') {
      throw new ConfigError(
        `${fileName}: key "registry-credentials" would put passwords in the repository; store them in a secret and pass it to the registry-credentials input`,
      );
    }
    const setting = FILE_KEYS.includes(key) ? settingByKey(key) : undefined;
    if (!setting) {
      throw new ConfigError(`${fileName}: unknown key "${key}"; known keys: ${FILE_KEYS.join(', ')}`);
    }
    if (!checkValue(typeSchema(setting.type), entry)) {
      throw new ConfigError(
        `${fileName}: key "${key}": expected ${expectation(setting.type)}, got ${shown(entry)}`,
      );
    }
  }
  return value as RawSettings;
}

/** What a setting's type asks for, in words. */
function expectation(type: SettingType): string {
  switch (type.kind) {
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${type.values.join(', ')}`;
    case 'whole-number':
      return `a whole number from ${type.range.minimum} to ${type.range.maximum}`;
    case 'list':
      return type.items === 'platform'
        ? 'a list of OS/ARCH or OS/ARCH/VARIANT, for example [linux/amd64, linux/arm64]'
        : 'a list of strings (or one string, one item per line or comma)';
    case 'destination':
      return 'a non-empty string';
    case 'duration':
      return '0 or a whole number of m, h, d or w, for example 3d';
    case 'timeout':
      return 'a duration from 1s to 24h such as 90s, 30m or 2h (or a number of seconds)';
    default:
      return 'a string';
  }
}

/** The offending value, as JSON and cut short: it is the user's own file, but may be long. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
