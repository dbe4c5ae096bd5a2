/**
 * Reads files of the pull request's two commits through the API: by blob id when the tree
 * listing has the path (a file that is the same at both commits is read once), by path when
 * GitHub cut the listing. Files read only as context for the changed ones ("related" files) are
 * bounded in number and bytes per run; what a bound leaves out is remembered for the notes.
 */
import type { GitHubClient } from '../github/types.js';
import { decodeText, MAX_FILE_BYTES } from '../scan/discover.js';
import type { Diagnostic, Severity } from '../scan/types.js';
import type { TreeIndex } from './tree-index.js';

/** A file's text without its byte-order mark, and whether it had one. */
export interface FileText {
  content: string;
  bom: boolean;
}

/** A file's text, or why it cannot be scanned (the severity a scan would report it with). */
export type ReadOutcome = FileText | { problem: string; severity: Severity };

/** Bounds on related files. */
export interface ReaderLimits {
  /** Related files read at most per run (each is one API request). Default: MAX_RELATED_FILES. */
  maxFiles?: number;
  /** Bytes of related files read at most per run. Default: MAX_RELATED_BYTES. */
  maxBytes?: number;
}

/** Related files read at most per run: enough for a chart's templates and a few compose projects. */
export const MAX_RELATED_FILES = 150;
/** Bytes of related files read at most per run. */
export const MAX_RELATED_BYTES = 16 * 1024 * 1024;

/** Reads changed and related files; one per run, shared by both commits. */
export interface FileReader {
  /**
   * Reads `file` at the index's commit; undefined when it is not a regular file there, or when it
   * is a related file a bound leaves out (then it is listed in `skipped`).
   */
  read(index: TreeIndex, file: string, role: 'changed' | 'related'): Promise<ReadOutcome | undefined>;
  /** Related files left out by a bound, in the order they were asked for. */
  readonly skipped: readonly string[];
  /** The bounds in force. */
  readonly limits: Required<ReaderLimits>;
}

/** A reader over the GitHub client for `repo`. */
export function createFileReader(github: GitHubClient, repo: string, limits: ReaderLimits = {}): FileReader {
  const bounds = {
    maxFiles: limits.maxFiles ?? MAX_RELATED_FILES,
    maxBytes: limits.maxBytes ?? MAX_RELATED_BYTES,
  };
  const bySha = new Map<string, Promise<ReadOutcome>>();
  const byPath = new Map<string, Promise<ReadOutcome | undefined>>();
  const budget = createBudget(bounds);
  const read = async (index: TreeIndex, file: string, role: 'changed' | 'related') => {
    const blob = index.files.get(file);
    if (blob) {
      if (blob.size > MAX_FILE_BYTES) return tooLarge();
      const known = bySha.get(blob.sha);
      if (known) return known;
      if (role === 'related' && !budget.admit(file, blob.size)) return undefined;
      const text = github.readBlob(repo, blob.sha).then((bytes) => decodeText(bytes));
      bySha.set(blob.sha, text);
      return text;
    }
    // A path missing from a complete listing is no regular file at this commit.
    if (!index.isTruncated) return undefined;
    const key = `${index.commit}:${file}`;
    const known = byPath.get(key);
    if (known) return known;
    // The size is unknown until read: only the file bound applies.
    if (role === 'related' && !budget.admit(file, 0)) return undefined;
    const text = github
      .readFile(repo, file, index.commit)
      .then((t) => (t === undefined ? t : fromApi(file, t)));
    byPath.set(key, text);
    return text;
  };
  return {
    read,
    get skipped() {
      return [...budget.skipped];
    },
    limits: bounds,
  };
}

/** Room for related reads: files and bytes taken so far, and the files a bound turned away. */
function createBudget(bounds: Required<ReaderLimits>) {
  const skipped = new Set<string>();
  const taken = { files: 0, bytes: 0 };
  return {
    skipped,
    /** Takes room for one read of `size` bytes; false (and the file remembered) past a bound. */
    admit(file: string, size: number): boolean {
      if (taken.files + 1 > bounds.maxFiles || taken.bytes + size > bounds.maxBytes) {
        skipped.add(file);
        return false;
      }
      taken.files += 1;
      taken.bytes += size;
      return true;
    },
  };
}

function tooLarge(): ReadOutcome {
  return { problem: `skipped: larger than the ${MAX_FILE_BYTES}-byte limit`, severity: 'warning' };
}

/** Text the contents API decoded, checked as checkText checks it. */
function fromApi(file: string, text: string): ReadOutcome {
  const problems: Diagnostic[] = [];
  const checked = checkText(file, text, problems);
  return checked ?? { problem: problems[0]!.message, severity: problems[0]!.severity };
}

/** The text without a byte-order mark, stripped the way the disk scan strips it (decodeText). */
export function withoutBom(text: string): FileText {
  const decoded = decodeText(Buffer.from(text, 'utf8'));
  return 'problem' in decoded ? { content: text, bom: false } : decoded;
}

/**
 * The contents API hands back decoded text; a NUL or a replacement character means the bytes
 * were binary or not UTF-8, and rewriting such text would corrupt the file, so it is skipped and
 * reported.
 */
export function checkText(file: string, text: string, diagnostics: Diagnostic[]): FileText | undefined {
  const skip = (message: string, severity: Severity = 'warning') => {
    diagnostics.push({ file, line: 0, severity, message });
    return undefined;
  };
  if (text.length > MAX_FILE_BYTES) return skip(`skipped: larger than the ${MAX_FILE_BYTES}-byte limit`);
  if (text.includes('\u0000')) return skip('skipped: binary file', 'notice');
  if (text.includes('\uFFFD')) return skip('skipped: not valid UTF-8 text');
  return withoutBom(text);
}
