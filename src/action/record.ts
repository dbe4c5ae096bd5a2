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
 * one in place (mergeRow keeps what earlier runs did for the same image), new sources are added
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
  for (const row of current) rows.set(row.source, mergeRow(rows.get(row.source), row));
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

/** Words of a status that record something done to the pull request: they stay once true. */
const DONE_WORDS: ReadonlySet<string> = new Set([
  'copied',
  'back-filled',
  'committed',
  'pinned',
  'suggested',
]);

/** The order of the written words in a status, as feedback.ts writes them. */
const WRITTEN_ORDER = ['committed', 'pinned', 'suggested', 'left as is'];

/**
 * This run's row for an image, keeping what earlier runs did for the same image (same destination
 * and digest): copied by this pull request (not "already mirrored" because an earlier run copied
 * it), the bytes copied, committed or suggested lines, and the commit link. A different digest or
 * an outcome without one (failed, skipped, report mode) is this run's view alone, with the
 * earlier commit link.
 */
function mergeRow(earlier: SummaryRow | undefined, row: SummaryRow): SummaryRow {
  const commit = row.commit ?? earlier?.commit;
  const linked = commit === undefined ? row : { ...row, commit };
  if (
    earlier?.digest === undefined ||
    earlier.digest !== row.digest ||
    earlier.destination !== row.destination
  )
    return linked;
  const now = row.status.split(', ');
  const before = earlier.status.split(', ').filter((word) => DONE_WORDS.has(word));
  const copied = before.find((word) => word === 'copied' || word === 'back-filled');
  const first = copied !== undefined && now[0] === 'already mirrored' ? copied : now[0]!;
  const written = [...new Set([...before.filter((word) => word !== copied), ...now.slice(1)])];
  written.sort((a, b) => WRITTEN_ORDER.indexOf(a) - WRITTEN_ORDER.indexOf(b));
  const words = [first, ...written];
  const size = Math.max(earlier.size ?? 0, row.size ?? 0);
  return { ...linked, status: words.join(', '), ...(row.size === undefined ? {} : { size }) };
}

/** `registry/repository:tag`, or `registry/repository@digest` for digest-only references. */
function referenceKey(ref: ImageReference): string {
  const name = `${ref.registry.toLowerCase()}/${ref.repository}`;
  return ref.tag === undefined ? `${name}@${ref.digest}` : `${name}:${ref.tag}`;
}
