/**
 * What `migrate --dry-run` shows besides the copy plan: the rewrite each file would get, as a
 * unified diff, and every reference that would be copied but not rewritten, with the reason. The
 * rewrite runs for real on the scanned text (splices, then the verifying re-scan), only nothing
 * is copied and nothing is written. The copies' digests are not known before they are made, so the
 * preview writes each reference with its tag, as `--no-pin-digest` would, and says so.
 */
import path from 'node:path/posix';
import { type FileText, rewriteFiles } from '../mirror/rewrite-files.js';
import { type CopyPlan, type CopyResult, planEdits } from '../plan/index.js';
import { unifiedDiff } from '../rewrite/diff.js';
import { extractFile } from '../scan/index.js';
import type { ScannedFile } from '../scan/scan.js';
import type { ImageOccurrence } from '../scan/types.js';

/** One file's would-be rewrite. */
export interface FileDiff {
  file: string;
  /** The unified diff (`--- a/file`, `+++ b/file`, hunks). */
  diff: string;
}

/** A reference that would be copied but left as it is, and why. */
export interface NotRewritten {
  /** `file:line:column`. */
  reference: string;
  /** The canonical source image. */
  image: string;
  reason: string;
}

/** The preview of a migration's rewrites. */
export interface RewritePreview {
  files: FileDiff[];
  notRewritten: NotRewritten[];
}

/** A digest never used: the preview writes tags only, and a source digest stands for itself. */
const UNKNOWN_DIGEST = `sha256:${'0'.repeat(64)}`;

/**
 * Diffs and non-rewritten references for a plan, over the files as scanned. A `.env` diff shows
 * no context lines: the lines around an image there are often secrets.
 */
export function previewRewrites(plan: CopyPlan, files: readonly ScannedFile[]): RewritePreview {
  const results = new Map<string, CopyResult>(
    plan.jobs.map((job) => [job.source, { digest: job.occurrences[0]?.reference.digest ?? UNKNOWN_DIGEST }]),
  );
  const edits = planEdits(plan.jobs, results, { pinDigest: false });
  const texts = new Map<string, FileText>(files.map((f) => [f.file, { content: f.content, context: f }]));
  const outcome = rewriteFiles(edits, texts, extractFile);
  const diffs = outcome.changes.map(({ file, content }) => {
    const before = texts.get(file)?.content ?? '';
    const context = path.basename(file) === '.env' ? 0 : 3;
    return { file, diff: unifiedDiff(file, before, content, { context }) };
  });
  const notRewritten: NotRewritten[] = plan.notRewritable.map((skipped) => ({
    reference: where(skipped.occurrence),
    image: sourceOf(plan, skipped.occurrence),
    reason: skipped.detail,
  }));
  for (const failure of outcome.failures) {
    const failed = edits.files.find((f) => f.file === failure.file)?.edits ?? [];
    for (const edit of failed) {
      notRewritten.push({
        reference: where(edit.occurrence),
        image: sourceOf(plan, edit.occurrence),
        reason: failure.reason,
      });
    }
  }
  return { files: diffs, notRewritten };
}

/** `file:line:column` of an occurrence. */
export function where(occurrence: Pick<ImageOccurrence, 'file' | 'start'>): string {
  return `${occurrence.file}:${occurrence.start.line}:${occurrence.start.column}`;
}

function sourceOf(plan: CopyPlan, occurrence: ImageOccurrence): string {
  return plan.jobs.find((job) => job.occurrences.includes(occurrence))?.source ?? '';
}

/** C0/C1 controls other than tab: a repository's text never reaches the terminal raw. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The preview for a terminal: the non-rewritten references, then each diff. A line's final CR
 * (CRLF files) is dropped and other control characters are escaped, so a file cannot move the
 * cursor or forge output; `--json` keeps the exact text.
 */
export function renderPreview(preview: RewritePreview): string {
  let text = '';
  if (preview.notRewritten.length > 0) {
    text += 'copied but not rewritten:\n';
    for (const item of preview.notRewritten)
      text += `  ${safe(item.reference)} ${item.image}: ${safe(item.reason)}\n`;
  }
  for (const { diff } of preview.files) {
    text += diff
      .split('\n')
      .map((line) => safe(line.replace(/\r$/, '')))
      .join('\n');
  }
  return text;
}

function safe(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
