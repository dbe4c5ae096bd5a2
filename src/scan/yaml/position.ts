import type { Position } from '../types.js';

/** Turns offsets into 1-based line/column positions; built once per file. */
export interface LineIndex {
  /** Position of a UTF-16 offset; offsets past the end clamp to the end of the text. */
  positionAt(offset: number): Position;
}

/**
 * Indexes the line starts of `content` so each lookup is a binary search, not a rescan: a manifest
 * with hundreds of images would otherwise cost O(images × size). Lines end at `\n` (so `\r\n`
 * works); columns count UTF-16 code units, as the offsets the YAML parser reports do.
 */
export function createLineIndex(content: string): LineIndex {
  // Built on the first lookup: most files scanned report nothing and never need it.
  let starts: number[] | undefined;
  return {
    positionAt(offset: number): Position {
      if (!starts) {
        starts = [0];
        for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
      }
      const clamped = Math.max(0, Math.min(offset, content.length));
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid]! <= clamped) low = mid;
        else high = mid - 1;
      }
      return { line: low + 1, column: clamped - starts[low]! + 1 };
    },
  };
}
