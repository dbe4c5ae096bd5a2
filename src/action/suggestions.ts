/**
 * Turns a file's rewrite into review suggestions: the changed lines as hunks of the head file,
 * each replaced by its new lines. Rewrites only touch a few lines (a reference, sometimes an
 * inserted Kustomize key), so a greedy line diff with a small look-ahead finds the hunks.
 */
import type { Suggestion } from '../github/types.js';

/** How far ahead to look for the next common line; a rewrite never moves lines further. */
const LOOK_AHEAD = 64;

/** One hunk: head lines `start`..`end` (1-based, inclusive; end < start for a pure insertion) become `lines`. */
export interface LineHunk {
  start: number;
  end: number;
  lines: string[];
}

/** Finds the hunks that turn `before` into `after`, comparing lines without their line endings. */
export function lineHunks(before: string, after: string): LineHunk[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const hunks: LineHunk[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const [di, dj] = nextCommon(a, b, i, j);
    hunks.push({ start: i + 1, end: i + di, lines: b.slice(j, j + dj) });
    i += di;
    j += dj;
  }
  return hunks;
}

/** The smallest (di, dj) such that a[i+di] === b[j+dj], or the rest of both files. */
function nextCommon(a: string[], b: string[], i: number, j: number): [number, number] {
  for (let total = 1; total <= 2 * LOOK_AHEAD; total++) {
    for (let di = 0; di <= total; di++) {
      const dj = total - di;
      if (i + di < a.length && j + dj < b.length && a[i + di] === b[j + dj]) return [di, dj];
    }
  }
  return [a.length - i, b.length - j];
}

function splitLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/**
 * Suggestions for one rewritten file. A pure insertion (a new Kustomize key) is attached to the
 * line above it, which the suggestion repeats, because a suggestion must replace some line.
 */
export function suggestionsFor(file: string, before: string, after: string, message: string): Suggestion[] {
  const previous = splitLines(before);
  return lineHunks(before, after).map((hunk) => {
    if (hunk.end >= hunk.start) {
      return {
        path: file,
        line: hunk.end,
        ...(hunk.end > hunk.start ? { startLine: hunk.start } : {}),
        replacement: hunk.lines.join('\n'),
        message,
      };
    }
    const anchor = Math.max(1, hunk.start - 1);
    return {
      path: file,
      line: anchor,
      replacement: [previous[anchor - 1] ?? '', ...hunk.lines].join('\n'),
      message,
    };
  });
}
