/** The settings of a run: the inputs over the config file as it is at a trusted commit. */
import { parseConfigFile, resolveSettings, type Settings } from '../config.js';
import { ConfigError, errorMessage } from '../errors.js';
import type { GitHubClient } from '../github/types.js';
import { parseArtifactRegistryDestination } from '../registry/artifact-registry.js';
import type { ActionInputs } from './inputs.js';

/**
 * Reads the config file at `ref` (a pull request's base, or the default branch's head for a
 * refresh: never a pull request's own changes) and resolves the inputs over it. The destination
 * must be an Artifact Registry repository; errors name the input or key it came from.
 */
export async function readSettingsAt(
  github: GitHubClient,
  repo: string,
  inputs: ActionInputs,
  ref: string,
): Promise<Settings> {
  const { configFile } = inputs;
  const text = await github.readFile(repo, configFile, ref);
  const file = text === undefined ? {} : parseConfigFile(text, configFile);
  const settings = resolveSettings(inputs.settings, file);
  try {
    parseArtifactRegistryDestination(settings.destination);
  } catch (err) {
    const given = inputs.settings.destination;
    const where =
      typeof given === 'string' && given.trim() !== ''
        ? 'input "destination"'
        : `${configFile}: key "destination"`;
    throw new ConfigError(`${where}: ${errorMessage(err)}`, { cause: err });
  }
  return settings;
}
