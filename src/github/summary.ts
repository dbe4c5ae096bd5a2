/**
 * Markdown for the sticky PR comment and the job summary: one table of mirrored images
 * (source → destination, digest, platforms, size, status) and the follow-up commit. Pure.
 */

/** Hidden marker that identifies ar-mirror's sticky comment (together with its author). */
export const COMMENT_MARKER = '<!-- ar-mirror -->';

/** One image in the report. */
export interface SummaryRow {
  source: string;
  /** Where the image was (or would be) mirrored; empty when it is not mirrored at all. */
  destination: string;
  /** Manifest digest in the destination, when known. */
  digest?: string;
  /** `os/arch[/variant]` entries; empty for a single-platform image. */
  platforms: string[];
  /** Bytes uploaded, when something was copied. */
  size?: number;
  /** Short outcome: `copied`, `existing`, `failed`, `skipped`, `planned`, ... */
  status: string;
  /** Why, for failures and skips. */
  detail?: string;
}

/** The whole report. */
export interface SummaryReport {
  rows: SummaryRow[];
  /** The follow-up commit, when one was made. */
  commit?: { oid: string; url: string };
  /** Lines shown under the table (mode, fallbacks, why nothing was committed). */
  notes?: string[];
}

/** Time spent per phase, for the job summary. */
export interface PhaseTiming {
  phase: string;
  ms: number;
}

/** Escapes text for a table cell: pipes would split the cell, newlines would end the row. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

/**
 * Formats text as an inline code span that survives backticks inside it (the fence is one longer
 * than the longest backtick run) and pipes (GFM tables need `\|` even inside code spans).
 */
export function codeCell(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const body = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const padded = body.startsWith('`') || body.endsWith('`') ? ` ${body} ` : body;
  return `${fence}${padded}${fence}`;
}

/** 1536 → "1.5 KiB"; 0 → "0 B". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // Whole bytes: a rate (bytes over seconds) is a fraction, and `262.3955885692557 B` says nothing more.
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `sha256:0123456789ab` (algorithm and 12 hex digits): enough to compare by eye. */
function shortDigest(digest: string): string {
  const [algorithm, hex = ''] = digest.split(':');
  return `${algorithm}:${hex.slice(0, 12)}`;
}

/** The table of images; an italic line when there are none. */
export function renderTable(rows: SummaryRow[]): string {
  if (rows.length === 0) return '_No new third-party image references._';
  const header = '| Source | Destination | Digest | Platforms | Size | Status |\n|---|---|---|---|---|---|';
  const lines = rows.map((row) =>
    [
      codeCell(row.source),
      row.destination === '' ? '—' : codeCell(row.destination),
      row.digest === undefined ? '—' : codeCell(shortDigest(row.digest)),
      row.platforms.length === 0 ? '—' : escapeCell(row.platforms.join(', ')),
      row.size === undefined ? '—' : formatBytes(row.size),
      escapeCell(row.detail === undefined ? row.status : `${row.status}: ${row.detail}`),
    ].join(' | '),
  );
  return [header, ...lines.map((line) => `| ${line} |`)].join('\n');
}

function commitLine(report: SummaryReport): string[] {
  if (report.commit === undefined) return [];
  return [`Follow-up commit: [\`${report.commit.oid.slice(0, 7)}\`](${report.commit.url})`];
}

/**
 * The sticky comment's body. The hidden marker is not part of it: `upsertStickyComment` puts the
 * marker first, so it is written in exactly one place.
 */
export function renderComment(report: SummaryReport): string {
  return [
    '### ar-mirror',
    '',
    renderTable(report.rows),
    '',
    ...commitLine(report),
    ...(report.notes ?? []).map((note) => `- ${escapeCell(note)}`),
  ]
    .join('\n')
    .trimEnd();
}

/** The job summary: the comment's content plus a timing table. */
export function renderJobSummary(report: SummaryReport, timings: PhaseTiming[]): string {
  const timingTable =
    timings.length === 0
      ? []
      : [
          '',
          '| Phase | Time |',
          '|---|---|',
          ...timings.map((t) => `| ${escapeCell(t.phase)} | ${(t.ms / 1000).toFixed(1)} s |`),
        ];
  return `${renderComment(report)}\n${timingTable.join('\n')}`.trimEnd();
}
