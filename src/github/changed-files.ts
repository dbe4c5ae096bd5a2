/** The changed files of a pull request, read page by page from the REST API. */
import type { GitHubContext } from './context.js';
import { apiError, splitRepo } from './context.js';
import type { ChangedFile, ChangedFileStatus, ChangedFiles } from './types.js';

/**
 * GitHub lists at most 3000 files per pull request
 * (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files).
 */
export const MAX_LISTED_FILES = 3000;

/** Largest page GitHub serves; 30 pages of it reach the 3000-file cap. */
const PAGE_SIZE = 100;
const MAX_PAGES = MAX_LISTED_FILES / PAGE_SIZE;

/** One file entry as the API gives it, with the unified-diff `patch` when GitHub includes one. */
export interface PullFileEntry extends ChangedFile {
  /** Absent for binary files and diffs GitHub considers too large. */
  patch: string | undefined;
}

/** Lists every file entry of a pull request (bounded by GitHub's cap), following `Link` pages. */
export async function listPullFileEntries(
  context: GitHubContext,
  repo: string,
  number: number,
): Promise<PullFileEntry[]> {
  const entries: PullFileEntry[] = [];
  try {
    const pages = context.octokit.paginate.iterator(context.octokit.rest.pulls.listFiles, {
      ...splitRepo(repo),
      pull_number: number,
      per_page: PAGE_SIZE,
    });
    let pageCount = 0;
    for await (const page of pages) {
      for (const file of page.data) {
        entries.push({
          path: file.filename,
          status: file.status as ChangedFileStatus,
          ...(file.previous_filename === undefined ? {} : { previousPath: file.previous_filename }),
          patch: file.patch,
        });
      }
      pageCount += 1;
      if (pageCount >= MAX_PAGES) break;
    }
  } catch (err: unknown) {
    throw apiError(`listing the changed files of ${repo}#${number}`, err);
  }
  return entries;
}

/** Lists the changed files of a pull request; warns when GitHub's 3000-file cap was reached. */
export async function listChangedFiles(
  context: GitHubContext,
  repo: string,
  number: number,
): Promise<ChangedFiles> {
  const entries = await listPullFileEntries(context, repo, number);
  const isTruncated = entries.length >= MAX_LISTED_FILES;
  if (isTruncated) {
    context.logger.warning(
      `${repo}#${number} changes more than ${MAX_LISTED_FILES} files; GitHub lists only the first ${MAX_LISTED_FILES}, so the rest are not scanned`,
    );
  }
  const files = entries.map(({ patch: _patch, ...file }) => file);
  return { files, isTruncated };
}
