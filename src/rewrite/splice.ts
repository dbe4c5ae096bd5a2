/**
 * Text splicing at exact offsets. Every change a rewrite makes is a Splice; they are merged
 * (identical ones once, conflicting ones refused) and applied from the end of the file backwards,
 * so no offset moves before it is used and every byte outside the spans stays as it was.
 */

/** Replace `[start, end)` (UTF-16 offsets of the original text) with `text`; `start === end` inserts. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The splices to apply, in application order, or why they cannot all be applied. */
export type MergeResult = { ok: true; splices: Splice[] } | { ok: false; reason: string };

/**
 * De-duplicates identical splices (an ARG default used by several FROMs, an anchored scalar
 * reached through aliases) and refuses two different texts for one span, overlapping spans and
 * an insertion strictly inside a replaced span. Returns them sorted for backwards application
 * (by start descending; at one start the replacement before the insertion, so the insertion
 * ends up in front of it).
 */
export function mergeSplices(splices: readonly Splice[]): MergeResult {
  const unique = new Map<string, Splice>();
  for (const splice of splices) {
    const key = `${splice.start}:${splice.end}`;
    const seen = unique.get(key);
    if (seen && seen.text !== splice.text)
      return {
        ok: false,
        reason: `conflicting edits at offset ${splice.start}: ${JSON.stringify(seen.text)} and ${JSON.stringify(splice.text)}`,
      };
    unique.set(key, splice);
  }
  const ordered = [...unique.values()].sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < ordered.length; i++) {
    const later = ordered[i - 1]!;
    const earlier = ordered[i]!;
    // Sorted by start, a splice that overlaps any later one overlaps its neighbour. Ties sort the
    // replacement first, so an insertion at a replacement's start or end never counts as overlapping.
    const overlaps = earlier.end > later.start;
    if (overlaps)
      return { ok: false, reason: `overlapping edits at offsets ${earlier.start} and ${later.start}` };
  }
  return { ok: true, splices: ordered };
}

/** Applies merged splices (as returned by mergeSplices) to `content`. */
export function applySplices(content: string, splices: readonly Splice[]): string {
  let result = content;
  for (const splice of splices)
    result = result.slice(0, splice.start) + splice.text + result.slice(splice.end);
  return result;
}

/**
 * Where an offset of the original text lands after the splices: it moves by the length change of
 * every splice that ends at or before it. A replacement starting exactly at the offset does not
 * move it (the offset is where the new text starts); an insertion at the offset does.
 */
export function mapOffset(offset: number, splices: readonly Splice[]): number {
  let shift = 0;
  for (const splice of splices) {
    if (splice.end <= offset) shift += splice.text.length - (splice.end - splice.start);
  }
  return offset + shift;
}
