/**
 * Which head-side lines of a file a review comment may target. GitHub accepts review comments
 * only on lines inside the PR diff's hunks (added or context lines on the RIGHT side), and a
 * multi-line comment must stay inside one hunk.
 */

/** Head-side line numbers (1-based) inside the diff, each mapped to the index of its hunk. */
export type CommentableLines = ReadonlyMap<number, number>;

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Reads a unified-diff `patch` (as in the pull-request files API) into its commentable lines. */
export function commentableLines(patch: string | undefined): CommentableLines {
  const lines = new Map<number, number>();
  if (patch === undefined) return lines;
  let hunk = -1;
  let next = 0;
  for (const text of patch.split('\n')) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      hunk += 1;
      next = Number(header[1]);
      continue;
    }
    if (hunk < 0) continue;
    const marker = text[0];
    // '-' lines exist only on the base side; '\' is "\ No newline at end of file".
    if (marker === '+' || marker === ' ') {
      lines.set(next, hunk);
      next += 1;
    }
  }
  return lines;
}

/** True when every line from `startLine` to `line` is commentable and all lie in one hunk. */
export function isRangeCommentable(lines: CommentableLines, startLine: number, line: number): boolean {
  if (startLine > line) return false;
  const hunk = lines.get(startLine);
  if (hunk === undefined) return false;
  for (let current = startLine + 1; current <= line; current += 1) {
    if (lines.get(current) !== hunk) return false;
  }
  return true;
}
