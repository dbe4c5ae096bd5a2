/**
 * One validated, documented Settings object for the action and the CLI. Raw values come from
 * action inputs, CLI flags or `.github/ar-mirror.yml` (same keys); explicitly given values win
 * over the file, and defaults are applied here and nowhere else.
 *
 * Each setting is declared once, in the table of src/config/table.ts (key, type, description,
 * default); this file validates with that table and src/config/schema.ts generates the config
 * file's JSON Schema from it. The header of table.ts says how to add a setting. The parsers
 * live in config/values.ts, the config file reader in config/file.ts, the AR_MIRROR_*
 * environment in config/environment.ts; everything is re-exported here, so importers keep
 * importing from config.js.
 */

import { SETTING_LIST, type SettingDefinition } from './config/table.js';
import type { RawSettings, Settings } from './config/types.js';
import {
  asBoolean,
  asGlobs,
  asList,
  asString,
  checkDestination,
  isUnset,
  oneOf,
  parseCredentialLines,
  parsePlatforms,
  parseTimeout,
  parseWholeNumber,
} from './config/values.js';
import { ConfigError } from './errors.js';
import { parseDuration } from './refresh/duration.js';

export {
  type NetworkEnvironment,
  parseEndpointsVariable,
  parsePlainHttpVariable,
  readNetworkEnvironment,
} from './config/environment.js';
export { FILE_KEYS, parseConfigFile } from './config/file.js';
export { generateConfigSchema, renderConfigSchema } from './config/schema.js';
export { SETTINGS, type SettingDefinition, type SettingType } from './config/table.js';
export { FAIL_ON, type FailOn, MODES, type Mode, type RawSettings, type Settings } from './config/types.js';
export {
  DEFAULT_JOBS,
  DEFAULT_TIMEOUT_MS,
  isPlatform,
  parseCredentialLines,
  parseJobs,
  parsePlatforms,
  parseTimeout,
  splitList,
  splitLists,
} from './config/values.js';

/** Every setting key: action inputs, config-file keys (all but registry-credentials) and (mostly) CLI flags share these names. */
export const SETTING_KEYS: readonly string[] = SETTING_LIST.map((setting) => setting.key);

/** A raw value and where it came from (`input "mode"`, `config file key "mode"`, `option "mode"`). */
interface Picked {
  value: unknown;
  where: string;
}

/**
 * Merges explicit values over config-file values and validates the result. `source` names
 * where explicit values came from (`input` or `option`) so errors point at the right place.
 */
export function resolveSettings(explicit: RawSettings, file: RawSettings = {}, source = 'input'): Settings {
  const pick = (setting: SettingDefinition): Picked => {
    const value = explicit[setting.key];
    // Secrets (registry-credentials) are only ever explicit: never taken from the committed file.
    if (!isUnset(value) || setting.inFile === false) return { value, where: `${source} "${setting.key}"` };
    return { value: file[setting.key], where: `config file key "${setting.key}"` };
  };
  const resolved: Record<string, unknown> = {};
  for (const setting of SETTING_LIST) {
    const picked = pick(setting);
    if (setting.default === undefined && isUnset(picked.value)) {
      const example = setting.examples?.[0];
      throw new ConfigError(`${source} "${setting.key}" is required${example ? `, e.g. ${example}` : ''}`);
    }
    resolved[setting.field] = parseSetting(setting, picked);
  }
  // Complete: SETTING_LIST has exactly one row per Settings field (SETTINGS' mapped type checks it).
  return resolved as unknown as Settings;
}

/** Parses one raw value by its setting's type; an unset value gives the setting's default. */
function parseSetting(setting: SettingDefinition, { value, where }: Picked): unknown {
  const type = setting.type;
  switch (type.kind) {
    case 'destination':
      return checkDestination(asString(value, where), where);
    case 'string':
      return isUnset(value) ? setting.default : asString(value, where);
    case 'boolean':
      return asBoolean(value, where, setting.default === true);
    case 'enum':
      return oneOf(value, where, type.values, String(setting.default));
    case 'whole-number':
      return parseWholeNumber(value, where, type.range, Number(setting.default));
    case 'timeout':
      return parseTimeout(value, where);
    case 'list':
      if (type.items === 'platform') return parsePlatforms(value, where);
      return type.items === 'glob' ? asGlobs(value, where) : asList(value, where);
    case 'credentials':
      return parseCredentialLines(value, where);
    case 'duration':
      return parseDuration(value, where);
  }
}
