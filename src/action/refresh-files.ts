/**
 * The files a scheduled refresh scans, read through the API at one commit of the default branch
 * (no checkout): the commit's tree, the paths a finder reads (after include/exclude), each file's
 * text. A Helm values file counts as one when its directory holds a Chart.yaml, which the tree
 * already tells.
 */
import path from 'node:path/posix';
import type { RepositoryClient } from '../github/repository-client.js';
import type { GitHubClient } from '../github/types.js';
import { globMatcher } from '../glob.js';
import { isScannedPath } from '../scan/index.js';
import type { Diagnostic } from '../scan/types.js';
import { mapLimit } from '../util/map-limit.js';
import { type CollectedFile, checkText } from './collect.js';

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
  const isIncluded = filters.include.length > 0 ? globMatcher(filters.include) : () => true;
  const isExcluded = globMatcher(filters.exclude);
  const charts = new Set(
    tree.paths.filter((p) => path.basename(p) === 'Chart.yaml').map((p) => path.dirname(p)),
  );
  const wanted = tree.paths.filter((p) => isScannedPath(p) && isIncluded(p) && !isExcluded(p));
  const notes: string[] = [];
  if (tree.isTruncated)
    notes.push('GitHub cut the listing of this repository’s files; narrow it with include');
  if (wanted.length > MAX_REFRESH_FILES)
    notes.push(
      `only the first ${MAX_REFRESH_FILES} of ${wanted.length} files were scanned; narrow them with include`,
    );
  const diagnostics: Diagnostic[] = [];
  const files = await mapLimit(wanted.slice(0, MAX_REFRESH_FILES), READ_CONCURRENCY, async (file) => {
    const text = await clients.github.readFile(repo, file, commit);
    const checked = text === undefined ? undefined : checkText(file, text, diagnostics);
    if (checked === undefined) return undefined;
    const hasChart = charts.has(path.dirname(file));
    const collected: CollectedFile = {
      path: file,
      head: checked.content,
      bom: checked.bom,
      base: undefined,
      context: { hasSibling: (name) => name === 'Chart.yaml' && hasChart },
    };
    return collected;
  });
  return { files: files.filter((f): f is CollectedFile => f !== undefined), diagnostics, notes };
}
