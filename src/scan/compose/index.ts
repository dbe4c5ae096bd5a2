import path from 'node:path/posix';
import { uniqueOccurrences } from '../project.js';
import type { ExtractResult, Finder, FinderContext } from '../types.js';
import { DOTENV, readComposeEnv } from './env.js';
import { extractCompose } from './extract.js';

export { type Dotenv, type DotenvEntry, parseDotenv } from './dotenv.js';
export { type ComposeEnv, composeEnvFor, readComposeEnv } from './env.js';
export { type ComposeOptions, extractCompose } from './extract.js';
export { type EnvLookup, type EnvValue, type Interpolation, interpolateCompose } from './interpolate.js';

const COMPOSE_NAME = /(?:^|\/)(?:docker-)?compose[^/]*\.ya?ml$/;

/** True for the names compose looks for and their variants (`docker-compose.prod.yml`, `compose.override.yaml`). */
export function isComposePath(file: string): boolean {
  return COMPOSE_NAME.test(file);
}

/** docker compose files: `compose*.yml`/`.yaml` and `docker-compose*.yml`/`.yaml`, in any directory. */
export const composeFinder: Finder = {
  name: 'compose',
  matches: isComposePath,
  extract: (content, file, context) => extractCompose(content, file, context),
};

/**
 * A compose project's `.env`. Its images are the ones the compose files beside it take from it,
 * so it is read through them: each compose file of the directory is extracted with this text as
 * its environment, and what lands in this file is kept. Its own syntax errors are reported here,
 * by line only: a `.env` holds secrets, and no value of it is ever quoted.
 */
export const dotenvFinder: Finder = {
  name: 'dotenv',
  matches: (file) => path.basename(file) === DOTENV,
  extract: (content, file, context) => extractDotenv(content, file, context),
};

function extractDotenv(content: string, file: string, context: FinderContext): ExtractResult {
  const env = readComposeEnv([{ file, content }]);
  const result: ExtractResult = { occurrences: [], diagnostics: [] };
  if (env.error) {
    const { line, message } = env.error;
    result.diagnostics.push({
      file,
      line,
      severity: 'warning',
      message: `compose cannot read this file: ${message}`,
    });
    return result;
  }
  const project = context.project;
  if (!project) return result;
  for (const composeFile of project.list(path.dirname(file))) {
    if (!isComposePath(composeFile)) continue;
    const text = project.read(composeFile);
    if (text === undefined) continue;
    const extracted = extractCompose(text, composeFile, context, { env });
    result.occurrences.push(...extracted.occurrences.filter((o) => o.file === file));
  }
  result.occurrences = uniqueOccurrences(result.occurrences);
  return result;
}
