/**
 * Markdown for the sticky PR comment and the job summary: one table of mirrored images
 * (source → destination, digest, platforms, size, status, commit) and the notes. Every outside
 * string goes through markdown.ts, so nothing in the table can mention, link or inject. Pure.
 */
import type { Annotation } from './annotations.js';
import { codeLink, codeSpan, inertText } from './markdown.js';

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
  /** The commit that rewrote this image's references, when one did (kept across runs). */
  commit?: { oid: string; url: string };
  /** True when no changed file of the pull request references the image any more. */
  removed?: boolean;
}

/** The whole report. */
export interface SummaryReport {
  rows: SummaryRow[];
  /** The follow-up commit, when one was made. */
  commit?: { oid: string; url: string };
  /**
   * Every follow-up commit of the pull request so far (the comment's record); when set, shown
   * instead of `commit`, so a run that commits nothing leaves the comment as it was.
   */
  commits?: { oid: string; url: string }[];
  /** Lines shown under the table (mode, fallbacks, why nothing was committed). */
  notes?: string[];
}

/** Time spent per phase, for the job summary. */
export interface PhaseTiming {
  phase: string;
  ms: number;
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
  const header =
    '| Source | Destination | Digest | Platforms | Size | Status | Commit |\n|---|---|---|---|---|---|---|';
  const cell = { table: true };
  const lines = rows.map((row) =>
    [
      codeSpan(row.source, cell),
      row.destination === '' ? '—' : codeSpan(row.destination, cell),
      row.digest === undefined ? '—' : codeSpan(shortDigest(row.digest), cell),
      row.platforms.length === 0 ? '—' : inertText(row.platforms.join(', '), cell),
      row.size === undefined ? '—' : formatBytes(row.size),
      inertText(statusText(row), cell),
      row.commit === undefined ? '—' : codeLink(row.commit.oid.slice(0, 7), row.commit.url, cell),
    ].join(' | '),
  );
  return [header, ...lines.map((line) => `| ${line} |`)].join('\n');
}

function statusText(row: SummaryRow): string {
  const status = row.detail === undefined ? row.status : `${row.status}: ${row.detail}`;
  return row.removed ? `${status}; no longer referenced by the pull request` : status;
}

function commitLine(report: SummaryReport): string[] {
  const commits = report.commits ?? (report.commit === undefined ? [] : [report.commit]);
  if (commits.length === 0) return [];
  const links = commits.map((commit) => codeLink(commit.oid.slice(0, 7), commit.url));
  return [`Follow-up commit${commits.length === 1 ? '' : 's'}: ${links.join(', ')}`];
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
    ...(report.notes ?? []).map((note) => `- ${inertText(note)}`),
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
          ...timings.map((t) => `| ${inertText(t.phase, { table: true })} | ${(t.ms / 1000).toFixed(1)} s |`),
        ];
  return `${renderComment(report)}\n${timingTable.join('\n')}`.trimEnd();
}

/** The runner refuses a step summary over 1 MiB; this leaves room for the note that says it was cut. */
export const MAX_SUMMARY_BYTES = 1024 * 1024 - 4096;

/**
 * `summary` cut at a line end to at most `max` UTF-8 bytes, with a closing note saying so; shorter
 * summaries are returned whole. The runner drops a step summary over 1 MiB entirely, and a pull
 * request can name thousands of images.
 */
export function fitSummary(summary: string, max = MAX_SUMMARY_BYTES): string {
  if (Buffer.byteLength(summary, 'utf8') <= max) return summary;
  const note = '\n\n_The rest of this summary was cut to fit GitHub’s 1 MiB limit for a step summary._';
  const room = max - Buffer.byteLength(note, 'utf8');
  // Decoding a cut in the middle of a character leaves U+FFFD; drop it with the partial line.
  let cut = Buffer.from(summary, 'utf8').subarray(0, Math.max(0, room)).toString('utf8');
  const lineEnd = cut.lastIndexOf('\n');
  cut = lineEnd > 0 ? cut.slice(0, lineEnd) : cut.replace(/\uFFFD$/, '');
  return `${cut}${note}`;
}

/**
 * The findings GitHub would not show as annotations (over its per-step limits), as a list for the
 * job summary, which the "More findings" notice points to; empty when there are none.
 */
export function renderFindings(findings: readonly Annotation[]): string {
  if (findings.length === 0) return '';
  const lines = findings.map((finding) => {
    const line = finding.startLine === undefined ? '' : `:${finding.startLine}`;
    const where = finding.file === undefined ? '' : `${codeSpan(`${finding.file}${line}`)} `;
    return `- ${finding.level}: ${where}${inertText(`${finding.title}: ${finding.message}`)}`;
  });
  return ['', '', '**Findings not shown as annotations**', '', ...lines].join('\n');
}
