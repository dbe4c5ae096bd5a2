/**
 * The files a scheduled refresh scans, read through the API at one commit of the default branch
 * (no checkout): the commit's tree, the paths a scan reads (after include/exclude; a chart's
 * `templates/*.tpl` helpers too), each file's text. They are scanned as `ar-mirror scan` scans a
 * checkout: every file sees the others (`.env` interpolation, build args, Helm's `Chart.yaml`),
 * one place naming one image is reported once, and images the repository builds are notices.
 */
import path from 'node:path/posix';
import type { RepositoryClient } from '../github/repository-client.js';
import type { GitHubClient } from '../github/types.js';
import { allFinders, extractFile } from '../scan/index.js';
import { createProjectFiles, separateBuildOutputs, uniqueOccurrences } from '../scan/project.js';
import { finderFor } from '../scan/scan.js';
import type { Diagnostic, FinderContext, ImageOccurrence } from '../scan/types.js';
import { mapLimit } from '../util/map-limit.js';
import type { CollectedFile } from './collect.js';
import { checkText } from './file-reader.js';
import { scanFilter } from './tree-index.js';

/** Files read at most per refresh; each is one API request against the token's hourly budget. */
export const MAX_REFRESH_FILES = 2000;

/** Concurrent file reads. */
const READ_CONCURRENCY = 8;

/** The scanned files of a commit, and the problems met listing and reading them. */
export interface TreeScan {
  files: CollectedFile[];
  diagnostics: Diagnostic[];
  /** Why some files were not read (GitHub cut the tree, or there were more than MAX_REFRESH_FILES). */
  notes: string[];
}

/** Reads every scanned file of `commit` in `repo`. */
export async function readTreeFiles(
  clients: { github: GitHubClient; repository: RepositoryClient },
  repo: string,
  commit: string,
  filters: { include: string[]; exclude: string[] },
): Promise<TreeScan> {
  const tree = await clients.repository.listFiles(repo, commit);
  const wanted = tree.paths.filter(scanFilter(filters));
  const notes: string[] = [];
  if (tree.isTruncated)
    notes.push('GitHub cut the listing of this repository’s files; narrow it with include');
  if (wanted.length > MAX_REFRESH_FILES)
    notes.push(
      `only the first ${MAX_REFRESH_FILES} of ${wanted.length} files were scanned; narrow them with include`,
    );
  const diagnostics: Diagnostic[] = [];
  const read = await mapLimit(wanted.slice(0, MAX_REFRESH_FILES), READ_CONCURRENCY, async (file) => {
    const text = await clients.github.readFile(repo, file, commit);
    const checked = text === undefined ? undefined : checkText(file, text, diagnostics);
    return checked === undefined ? undefined : { path: file, ...checked };
  });
  const texts = read.filter((f) => f !== undefined);
  const contextOf = projectContexts(texts, tree.paths);
  const files = texts.map(
    (f): CollectedFile => ({
      path: f.path,
      head: f.content,
      bom: f.bom,
      base: undefined,
      context: contextOf(f.path),
    }),
  );
  return { files, diagnostics, notes };
}

/**
 * One project for the whole commit, as a scan of its checkout has; the files a rewrite re-reads
 * on the refresh branch keep it.
 */
function projectContexts(
  texts: readonly { path: string; content: string }[],
  paths: readonly string[],
): (file: string) => FinderContext {
  const existing = new Set(paths);
  const project = createProjectFiles(texts.map((f) => ({ file: f.path, content: f.content })));
  return (file) => {
    const directory = path.dirname(file);
    return {
      hasSibling: (name) => existing.has(directory === '.' ? name : `${directory}/${name}`),
      project,
    };
  };
}

/**
 * Extracts every file as `ar-mirror scan` does: context-only files (a chart's `_helpers.tpl`) are
 * not extracted, repeats are dropped, and references to images the repository builds become notices.
 */
export function scanTreeFiles(files: readonly CollectedFile[]): {
  occurrences: ImageOccurrence[];
  diagnostics: Diagnostic[];
} {
  const extracted = files
    .filter((f) => finderFor(allFinders, f.path) !== undefined)
    .map((f) => extractFile(f.path, f.head ?? '', f.context));
  const occurrences = uniqueOccurrences(extracted.flatMap((result) => result.occurrences));
  const separated = separateBuildOutputs(
    occurrences,
    extracted.flatMap((result) => result.buildOutputs ?? []),
  );
  return {
    occurrences: separated.occurrences,
    diagnostics: [...extracted.flatMap((result) => result.diagnostics), ...separated.notices],
  };
}
