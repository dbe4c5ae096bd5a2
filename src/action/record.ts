/**
 * The pull request's record across runs: the sticky comment keeps every image mirrored for the
 * pull request, so a re-run after a later push adds its rows to the earlier ones instead of
 * replacing them, keeps each row's commit link, and marks the rows whose reference the pull
 * request no longer has. Pure.
 */
import type { PullRequestRecord } from '../github/comment-state.js';
import type { SummaryRow } from '../github/summary.js';
import { tryParseReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import type { ImageOccurrence } from '../scan/types.js';

/**
 * Merges this run's rows into the earlier record: a row for the same source replaces the earlier
 * one in place (keeping the earlier commit link when this run made none), new sources are added
 * at the end, and every row is marked removed or not by whether any changed file at the head
 * still references its source or its destination (same repository and tag).
 */
export function mergeRecord(
  previous: PullRequestRecord,
  current: readonly SummaryRow[],
  refusedWorkflowFiles: readonly string[],
  head: readonly ImageOccurrence[],
): PullRequestRecord {
  const rows = new Map(previous.rows.map((row) => [row.source, row]));
  for (const row of current) {
    const earlier = rows.get(row.source);
    const commit = row.commit ?? earlier?.commit;
    rows.set(row.source, commit === undefined ? row : { ...row, commit });
  }
  const referenced = new Set(head.map((occurrence) => referenceKey(occurrence.reference)));
  const isReferenced = (text: string) => {
    const parsed = text === '' ? undefined : tryParseReference(text);
    return parsed?.ok === true && referenced.has(referenceKey(parsed.reference));
  };
  const merged = [...rows.values()].map((row): SummaryRow => {
    const { removed: _removed, ...rest } = row;
    return isReferenced(row.source) || isReferenced(row.destination) ? rest : { ...rest, removed: true };
  });
  return {
    rows: merged,
    refusedWorkflowFiles: [...new Set([...previous.refusedWorkflowFiles, ...refusedWorkflowFiles])],
  };
}

/** `registry/repository:tag`, or `registry/repository@digest` for digest-only references. */
function referenceKey(ref: ImageReference): string {
  const name = `${ref.registry.toLowerCase()}/${ref.repository}`;
  return ref.tag === undefined ? `${name}@${ref.digest}` : `${name}:${ref.tag}`;
}
