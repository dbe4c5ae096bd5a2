import type { Position } from '../types.js';

/**
 * The physical lines of a text: where each starts and where its content ends (before `\r\n` or
 * `\n`). Built once per file so every later lookup is a binary search, never a rescan.
 */
export interface LineIndex {
  /** Offset of the first character of each line. Line 1 starts after a byte-order mark. */
  starts: number[];
  /** Offset just past the last content character of each line (line break excluded). */
  ends: number[];
}

/** Splits a text into physical lines; a leading U+FEFF byte-order mark is not part of line 1. */
export function indexLines(content: string): LineIndex {
  const starts: number[] = [];
  const ends: number[] = [];
  let start = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const newline = content.indexOf('\n', start);
    if (newline < 0) {
      starts.push(start);
      ends.push(content.length);
      return { starts, ends };
    }
    starts.push(start);
    // CRLF files: the `\r` belongs to the line break, not to the content.
    ends.push(newline > start && content.charCodeAt(newline - 1) === 13 ? newline - 1 : newline);
    start = newline + 1;
  }
}

/** The 1-based line and column (UTF-16 code units, counted from the line's start) of an offset. */
export function positionAt(index: LineIndex, offset: number): Position {
  const { starts } = index;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (starts[low] as number) + 1 };
}
