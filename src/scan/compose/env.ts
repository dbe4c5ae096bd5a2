/**
 * The interpolation environment of a compose project, by compose's own rules
 * (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/):
 *
 * - The project directory is the compose file's directory, and compose reads `.env` there.
 * - compose's `--env-file` replaces that `.env`; several env files are read in order and a later one
 *   overrides an earlier one (a value in a later file may use the earlier files' variables).
 * - Variables set in the shell take precedence over every env file. A repository scan has no
 *   shell, so only the env files count: a variable they do not set is unknown, never empty.
 * - An env file compose cannot parse makes compose refuse the project, so then no variable
 *   resolves (not even through a default) and the messages say why.
 */
import path from 'node:path/posix';
import type { ProjectFiles } from '../types.js';
import { createLineIndex, type LineIndex } from '../yaml/position.js';
import { type DotenvEntry, parseDotenv } from './dotenv.js';
import type { EnvLookup, EnvValue } from './interpolate.js';

/** One env file as read for a project. */
export interface EnvFile {
  /** Its path in the scan. */
  file: string;
  content: string;
  lines: LineIndex;
}

/** Where a variable is set: the env file and the assignment. */
export interface EnvSource {
  env: EnvFile;
  entry: DotenvEntry;
}

/** The environment compose interpolates a project's files with. */
export interface ComposeEnv {
  /** The env files that were read, in order (empty when there is none). */
  files: EnvFile[];
  lookup: EnvLookup;
  /** The env file and assignment that set a variable (the last one), or undefined. */
  source(name: string): EnvSource | undefined;
  /** Set when compose would refuse an env file: no variable resolves. */
  error?: { file: string; line: number; message: string };
}

/** The sentence a message uses for an env file compose refuses. */
export function envErrorText(error: NonNullable<ComposeEnv['error']>): string {
  return `compose cannot read ${error.file} (line ${error.line}: ${error.message})`;
}

/** The environment of nothing: no env file, nothing set. */
export const EMPTY_ENV: ComposeEnv = { files: [], lookup: () => undefined, source: () => undefined };

/** The name compose reads in the project directory when no `--compose-env-file` is given. */
export const DOTENV = '.env';

/**
 * The environment for the compose file `file`: its directory's `.env`, or the scan's env files
 * instead (`project.envFiles`, from `--compose-env-file`), read through `project`. Files the scan did
 * not read are skipped, as compose skips a missing `.env`.
 */
export function composeEnvFor(file: string, project: ProjectFiles | undefined): ComposeEnv {
  if (!project) return EMPTY_ENV;
  const slash = file.lastIndexOf('/');
  const paths = project.envFiles?.length
    ? project.envFiles
    : [slash < 0 ? DOTENV : `${file.slice(0, slash)}/${DOTENV}`];
  const texts: { file: string; content: string }[] = [];
  for (const envPath of paths) {
    const content = project.read(envPath);
    if (content !== undefined) texts.push({ file: path.normalize(envPath), content });
  }
  return readComposeEnv(texts);
}

/** Reads env files in order, later ones overriding earlier ones, as compose-go's GetEnvFromFile does. */
export function readComposeEnv(texts: readonly { file: string; content: string }[]): ComposeEnv {
  if (texts.length === 0) return EMPTY_ENV;
  const merged = new Map<string, EnvSource>();
  const files: EnvFile[] = [];
  for (const text of texts) {
    const env: EnvFile = { ...text, lines: createLineIndex(text.content) };
    files.push(env);
    // A value in this file sees the earlier files' variables first, then its own earlier lines.
    const earlier: EnvLookup = (name) => merged.get(name)?.entry.value;
    const dotenv = parseDotenv(text.content, earlier);
    if (dotenv.error) {
      const error = { file: text.file, ...dotenv.error };
      const refused: EnvValue = { problem: envErrorText(error) };
      return { files, lookup: () => refused, source: () => undefined, error };
    }
    for (const [name, entry] of dotenv.entries) merged.set(name, { env, entry });
  }
  return {
    files,
    lookup: (name) => merged.get(name)?.entry.value,
    source: (name) => merged.get(name),
  };
}
