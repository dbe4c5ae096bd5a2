/**
 * The only place that reads action inputs. Tokens are masked the moment they are read; the
 * settings themselves are validated by config.ts once the config file has been read too.
 */
import { type RawSettings, SETTING_KEYS } from '../config.js';
import type { Logger } from '../log.js';

/** Every action input, read once: raw setting values, the tokens (already masked) and the config path. */
export interface ActionInputs {
  /** Setting values given as inputs; empty strings mean "not given" (the config file or default applies). */
  settings: RawSettings;
  githubToken: string;
  /** An explicit Google access token; when empty, Application Default Credentials are used. */
  gcpAccessToken: string;
  /** Path of the repository's config file. Default: `.github/ar-mirror.yml`. */
  configFile: string;
}

/** Reads every input through `getInput` (core.getInput in the action, a map in tests). */
export function readActionInputs(getInput: (name: string) => string, logger: Logger): ActionInputs {
  const githubToken = getInput('github-token').trim();
  const gcpAccessToken = getInput('gcp-access-token').trim();
  const credentials = getInput('registry-credentials');
  for (const secret of [githubToken, gcpAccessToken]) if (secret) logger.secret(secret);
  // Mask each password and USER:PASSWORD in registry-credentials (HOST=USER:PASSWORD lines)
  // before anything can print it.
  for (const line of credentials.split(/\r?\n/)) {
    const equals = line.indexOf('=');
    const colon = line.indexOf(':', equals + 1);
    if (equals < 0 || colon < 0) continue;
    logger.secret(line.slice(colon + 1).trim());
    logger.secret(line.slice(equals + 1).trim());
  }
  const settings: RawSettings = {};
  // `jobs` is a CLI flag and config-file key without an input; getInput answers '' for it, meaning "not given".
  for (const name of SETTING_KEYS) settings[name] = getInput(name);
  return {
    settings,
    githubToken,
    gcpAccessToken,
    configFile: getInput('config-file').trim() || '.github/ar-mirror.yml',
  };
}
