/**
 * One commit's files as a scan of a checkout would see them, built from the recursive tree
 * listing: which paths exist, and which of them `ar-mirror scan` would read (a finder matches or
 * reads them, include/exclude allow them, they are not under `.git` or `node_modules`; a file
 * over the size limit is turned away when read, file-reader.ts). Pure.
 */
import path from 'node:path/posix';
import type { RepositoryTree, TreeBlob } from '../github/types.js';
import { globMatcher } from '../glob.js';
import { SKIPPED_DIRECTORIES } from '../scan/discover.js';
import { allFinders } from '../scan/index.js';

/** The files of one commit. */
export interface TreeIndex {
  /** The commit listed. */
  commit: string;
  /** Every regular file, by path. */
  files: ReadonlyMap<string, TreeBlob>;
  /** The paths a scan of the checkout would read, sorted. */
  scanned: readonly string[];
  /** True when GitHub cut the listing, so files may exist that `files` does not hold. */
  isTruncated: boolean;
}

/**
 * Which paths a scan reads, after include/exclude: what `ar-mirror scan` hands its finders (never
 * under `.git` or `node_modules`, which it does not walk into).
 */
export function scanFilter(filters: { include: readonly string[]; exclude: readonly string[] }) {
  const isIncluded = filters.include.length > 0 ? globMatcher(filters.include) : () => true;
  const isExcluded = globMatcher(filters.exclude);
  return (file: string): boolean =>
    isIncluded(file) &&
    !isExcluded(file) &&
    !path
      .dirname(file)
      .split('/')
      .some((segment) => SKIPPED_DIRECTORIES.has(segment)) &&
    allFinders.some((finder) => finder.matches(file) || finder.reads?.(file));
}

/** Indexes a listing; `wanted` is scanFilter's answer for the run's include/exclude. */
export function indexTree(
  tree: RepositoryTree,
  commit: string,
  wanted: (file: string) => boolean,
): TreeIndex {
  const files = new Map<string, TreeBlob>();
  const scanned: string[] = [];
  for (const blob of tree.blobs) {
    files.set(blob.path, blob);
    if (wanted(blob.path)) scanned.push(blob.path);
  }
  scanned.sort();
  return { commit, files, scanned, isTruncated: tree.isTruncated };
}

/** The directories from `file`'s own up to the root (`.`), nearest first. */
export function ancestorDirectories(file: string): string[] {
  const directories: string[] = [];
  let directory = path.dirname(file);
  for (;;) {
    directories.push(directory);
    if (directory === '.' || directory === '/' || directory === '') return directories;
    directory = path.dirname(directory);
  }
}
