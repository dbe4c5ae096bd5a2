/**
 * Which references a pull request starts to use: scan each changed file at the head and at the
 * base, and keep the head occurrences whose image the same file did not already reference.
 * Pure: the caller reads the files and hands their text in.
 */
import { formatReference } from '../reference/index.js';
import type { Diagnostic, ExtractResult, FinderContext, ImageOccurrence } from '../scan/types.js';

/** One changed file's text on both sides of the pull request. */
export interface FileVersions {
  /** Path at the head commit. */
  path: string;
  /** Text at the head; undefined when the file was deleted or could not be read. */
  head: string | undefined;
  /** Text at the base (at the previous path for renames); undefined for added files. */
  base: string | undefined;
  /** Directory listing facts the finders may need (Helm values beside Chart.yaml). */
  context: FinderContext;
}

/** The occurrences new in the pull request, and the problems met scanning the changed files. */
export interface NewReferences {
  /** Every occurrence found at the head of the changed files. */
  head: ImageOccurrence[];
  /** The occurrences whose image is new in its file (all of `head` when `scanAll`). */
  added: ImageOccurrence[];
  /** Diagnostics from the head side only: the base is not the PR author's to fix. */
  diagnostics: Diagnostic[];
}

/**
 * Compares head and base scans file by file. An image counts as present at the base when the
 * canonical reference is the same, so re-indenting or re-quoting a line does not make it new.
 */
export function findNewReferences(
  files: readonly FileVersions[],
  extract: (file: string, content: string, context: FinderContext) => ExtractResult,
  options: { scanAll?: boolean } = {},
): NewReferences {
  const result: NewReferences = { head: [], added: [], diagnostics: [] };
  for (const version of files) {
    if (version.head === undefined) continue;
    const head = extract(version.path, version.head, version.context);
    result.head.push(...head.occurrences);
    result.diagnostics.push(...head.diagnostics);
    if (options.scanAll || version.base === undefined) {
      result.added.push(...head.occurrences);
      continue;
    }
    const before = new Set(
      extract(version.path, version.base, version.context).occurrences.map((o) =>
        formatReference(o.reference),
      ),
    );
    result.added.push(...head.occurrences.filter((o) => !before.has(formatReference(o.reference))));
  }
  return result;
}
