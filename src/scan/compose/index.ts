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
 * A compose project's `.env` (and, with `--compose-env-file`, the env files given). Its images are the
 * ones the compose files take from it, so it is read through them: each compose file that reads
 * it is extracted with this text as its environment, and what lands in this file is kept. Other
 * env-looking files (`.env.example`) are read but yield nothing. Its own syntax errors are
 * reported here, by line only: a `.env` holds secrets, and no value of it is ever quoted.
 */
export const dotenvFinder: Finder = {
  name: 'dotenv',
  matches: (file) => /^(?:\.env(?:\..+)?|.+\.env)$/.test(path.basename(file)),
  extract: (content, file, context) => extractDotenv(content, file, context),
};

/**
 * The env files this file is read with: `.env` alone by default; with `--compose-env-file`, the given
 * files in order (this one's text as given, the others as scanned). Undefined when compose would
 * not read this file at all (`.env.example`, or `.env` when `--compose-env-file` replaces it).
 */
function envTexts(
  content: string,
  file: string,
  context: FinderContext,
): { file: string; content: string }[] | undefined {
  const given = context.project?.envFiles;
  if (!given?.length) return path.basename(file) === DOTENV ? [{ file, content }] : undefined;
  if (!given.includes(file)) return undefined;
  return given.map((other) => ({
    file: other,
    content: other === file ? content : (context.project?.read(other) ?? ''),
  }));
}

/** The compose files that read this env file: those beside it, or every one with `--compose-env-file`. */
function composeFilesFor(file: string, context: FinderContext): readonly string[] {
  const project = context.project;
  if (!project) return [];
  const candidates = project.envFiles?.length ? project.listUnder('.') : project.list(path.dirname(file));
  return candidates.filter(isComposePath);
}

function extractDotenv(content: string, file: string, context: FinderContext): ExtractResult {
  const result: ExtractResult = { occurrences: [], diagnostics: [] };
  const texts = envTexts(content, file, context);
  if (!texts) return result;
  const env = readComposeEnv(texts);
  if (env.error) {
    const { line, message } = env.error;
    const diagnostic = `compose cannot read this file: ${message}`;
    if (env.error.file === file)
      result.diagnostics.push({ file, line, severity: 'warning', message: diagnostic });
    return result;
  }
  for (const composeFile of composeFilesFor(file, context)) {
    const text = context.project?.read(composeFile);
    if (text === undefined) continue;
    const extracted = extractCompose(text, composeFile, context, { env });
    result.occurrences.push(...extracted.occurrences.filter((o) => o.file === file));
  }
  result.occurrences = uniqueOccurrences(result.occurrences);
  return result;
}
