/**
 * The sticky comment's memory: every image mirrored for the pull request and the workflow files
 * GitHub refused to let the token change, kept across runs in a hidden block
 * (`<!-- ar-mirror-state BASE64 -->`, base64 of JSON). Read back, the block is hostile like any
 * other text (an admin can edit the comment): it is only read from the comment written by the
 * token's own account, its size is bounded, and every field is validated; what does not pass is
 * dropped. Pure.
 */
import { isPlatform } from '../config.js';
import { isDigest } from '../reference/digest.js';
import { tryParseReference } from '../reference/index.js';
import { hiddenComment, isSafeUrl } from './markdown.js';
import type { SummaryRow } from './summary.js';

/** What the comment remembers about a pull request. */
export interface PullRequestRecord {
  /** Every image reported for the pull request so far, newest run's view of each. */
  rows: SummaryRow[];
  /** Workflow files whose commit GitHub refused (no `workflows` permission): suggested, never retried. */
  refusedWorkflowFiles: string[];
}

/** An empty record: the first run on a pull request. */
export const EMPTY_RECORD: PullRequestRecord = { rows: [], refusedWorkflowFiles: [] };

const LABEL = 'ar-mirror-state';
const BLOCK = /<!-- ar-mirror-state ([A-Za-z0-9+/=]*) -->/;
/** Largest state block read back; a bigger one is ignored. */
const MAX_READ = 48 * 1024;
/** Largest state block written; older rows are dropped to fit, so the visible table keeps room. */
export const MAX_STATE_LENGTH = 24 * 1024;
const MAX_ROWS = 200;
const MAX_FILES = 100;

/** The hidden block for `record`, dropping the oldest rows (removed ones first) until it fits. */
export function encodeRecord(record: PullRequestRecord, max = MAX_STATE_LENGTH): string {
  let rows = record.rows.slice(-MAX_ROWS).map(canonicalRow);
  const files = record.refusedWorkflowFiles.slice(-MAX_FILES);
  for (;;) {
    const payload = Buffer.from(JSON.stringify({ v: 1, rows, refusedWorkflowFiles: files })).toString(
      'base64',
    );
    if (payload.length <= max || rows.length === 0) return hiddenComment(LABEL, payload);
    const removed = rows.findIndex((row) => row.removed === true);
    rows = rows.filter((_row, index) => index !== (removed >= 0 ? removed : 0));
  }
}

/**
 * The row with its fields in one fixed order: a record read back and written again encodes to the
 * same text, so a run that changes nothing leaves the comment untouched.
 */
function canonicalRow(row: SummaryRow): SummaryRow {
  const { source, destination, digest, platforms, size, status, detail, commit, removed } = row;
  return {
    source,
    destination,
    ...(digest === undefined ? {} : { digest }),
    platforms,
    ...(size === undefined ? {} : { size }),
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(commit === undefined ? {} : { commit: { oid: commit.oid, url: commit.url } }),
    ...(removed === true ? { removed: true } : {}),
  };
}

/** The record kept in a comment body; EMPTY_RECORD when there is none or it does not validate. */
export function decodeRecord(body: string | undefined): PullRequestRecord {
  const match = body === undefined ? null : BLOCK.exec(body);
  if (!match || match[1]!.length > MAX_READ) return EMPTY_RECORD;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(match[1]!, 'base64').toString('utf8'));
  } catch {
    return EMPTY_RECORD;
  }
  if (!isObject(value) || value.v !== 1) return EMPTY_RECORD;
  const rows = Array.isArray(value.rows) ? value.rows.slice(0, MAX_ROWS).flatMap(validRow) : [];
  const files = Array.isArray(value.refusedWorkflowFiles)
    ? value.refusedWorkflowFiles.slice(0, MAX_FILES).filter(isWorkflowPath)
    : [];
  return { rows, refusedWorkflowFiles: [...new Set(files)] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isReference = (text: unknown): text is string =>
  typeof text === 'string' && text.length <= 600 && tryParseReference(text).ok;
const isShortText = (text: unknown, max: number): text is string =>
  typeof text === 'string' && text.length <= max;

/** The row if every field is what ar-mirror writes; nothing (dropped) otherwise. */
function validRow(value: unknown): SummaryRow[] {
  if (!isObject(value)) return [];
  const { source, destination, digest, platforms, size, status, detail, commit, removed } = value;
  if (!isReference(source) || !(destination === '' || isReference(destination))) return [];
  if (!isShortText(status, 100) || !/^[a-z ,-]*$/.test(status)) return [];
  if (digest !== undefined && !isDigest(digest)) return [];
  // A platform the runner masked (`linux/amd64/***`) is dropped, not the row.
  if (!Array.isArray(platforms) || platforms.length > 64) return [];
  if (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= 0)) return [];
  if (detail !== undefined && !isShortText(detail, 1000)) return [];
  if (removed !== undefined && typeof removed !== 'boolean') return [];
  const link = commit === undefined ? undefined : validCommit(commit);
  if (commit !== undefined && link === undefined) return [];
  return [
    {
      source,
      destination,
      platforms: platforms.filter(isPlatformText) as string[],
      status,
      ...(digest === undefined ? {} : { digest: digest as string }),
      ...(size === undefined ? {} : { size: size as number }),
      ...(detail === undefined ? {} : { detail }),
      ...(link === undefined ? {} : { commit: link }),
      ...(removed === true ? { removed: true } : {}),
    },
  ];
}

function isPlatformText(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 64 && isPlatform(value);
}

function validCommit(value: unknown): { oid: string; url: string } | undefined {
  if (!isObject(value)) return undefined;
  const { oid, url } = value;
  if (typeof oid !== 'string' || !/^[0-9a-f]{40}$/.test(oid)) return undefined;
  if (typeof url !== 'string' || url.length > 500 || !isSafeUrl(url)) return undefined;
  return { oid, url };
}

/** A repository path under `.github/workflows/` without control characters or `..` segments. */
function isWorkflowPath(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 1024 || !value.startsWith('.github/workflows/'))
    return false;
  return !/[\u0000-\u001f\u007f]/.test(value) && !value.split('/').includes('..');
}
