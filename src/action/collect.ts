/**
 * Reads what the pull request changed, through the API only (no checkout, so no pull-request
 * code runs): each scanned file at the head and at the base (the old path for renames), plus
 * the `Chart.yaml` sibling check Helm values need.
 */
import path from 'node:path/posix';
import type { GitHubClient, PullRequestInfo } from '../github/types.js';
import { globMatcher } from '../glob.js';
import { decodeText, MAX_FILE_BYTES } from '../scan/discover.js';
import { isScannedPath } from '../scan/index.js';
import type { Diagnostic } from '../scan/types.js';
import { mapLimit } from '../util/map-limit.js';
import type { FileVersions } from './new-references.js';

/** One changed file ready to scan, with what a commit needs to write it back. */
export interface CollectedFile extends FileVersions {
  /** True when the head text started with a byte-order mark (stripped here, restored on commit). */
  bom: boolean;
}

/** The changed files ready to scan, the problems met reading them, and whether the listing was cut. */
export interface Collected {
  files: CollectedFile[];
  diagnostics: Diagnostic[];
  /** True when GitHub's 3000-file listing cap hid some changed files. */
  isTruncated: boolean;
}

/** Concurrent file reads; the contents API is cheap but rate-limited per token. */
const READ_CONCURRENCY = 8;

/** Lists the PR's changed files and reads the ones a finder handles (after include/exclude). */
export async function collectChangedFiles(
  github: GitHubClient,
  pr: PullRequestInfo,
  options: { repo: string; include: string[]; exclude: string[] },
): Promise<Collected> {
  const changed = await github.listChangedFiles(options.repo, pr.number);
  const isIncluded = options.include.length > 0 ? globMatcher(options.include) : () => true;
  const isExcluded = globMatcher(options.exclude);
  const wanted = changed.files.filter(
    (file) =>
      file.status !== 'removed' &&
      isScannedPath(file.path) &&
      isIncluded(file.path) &&
      !isExcluded(file.path),
  );
  const diagnostics: Diagnostic[] = [];
  const read = async (file: string, ref: string) => {
    const text = await github.readFile(options.repo, file, ref);
    return text === undefined ? undefined : checkText(file, text, diagnostics);
  };
  // Several values files of one chart share its Chart.yaml: read it once per directory.
  const charts = new Map<string, Promise<boolean>>();
  const hasChartIn = (directory: string) => {
    let found = charts.get(directory);
    if (found === undefined) {
      const chart = path.join(directory, 'Chart.yaml');
      found = github.readFile(options.repo, chart, pr.headSha).then((text) => text !== undefined);
      charts.set(directory, found);
    }
    return found;
  };
  const files = await mapLimit(wanted, READ_CONCURRENCY, async (file): Promise<CollectedFile | undefined> => {
    const head = await read(file.path, pr.headSha);
    if (head === undefined) return undefined;
    const basePath = file.previousPath ?? file.path;
    const base =
      file.status === 'added' ? undefined : await github.readFile(options.repo, basePath, pr.baseSha);
    const hasChart = isHelmValues(file.path) ? await hasChartIn(path.dirname(file.path)) : false;
    return {
      path: file.path,
      head: head.content,
      bom: head.bom,
      base: base === undefined ? undefined : withoutBom(base).content,
      context: { hasSibling: (name) => name === 'Chart.yaml' && hasChart },
    };
  });
  return {
    files: files.filter((file): file is CollectedFile => file !== undefined),
    diagnostics,
    isTruncated: changed.isTruncated,
  };
}

/** True for a Helm values file name (`values*.yaml`), which needs its chart's Chart.yaml beside it. */
export function isHelmValues(file: string): boolean {
  return /^values[^/]*\.ya?ml$/.test(path.basename(file));
}

/** The text without a byte-order mark, stripped the way the disk scan strips it (decodeText). */
export function withoutBom(text: string): { content: string; bom: boolean } {
  const decoded = decodeText(Buffer.from(text, 'utf8'));
  return 'problem' in decoded ? { content: text, bom: false } : decoded;
}

/**
 * The API hands back decoded text; a NUL or a replacement character means the bytes were binary
 * or not UTF-8, and rewriting such text would corrupt the file, so it is skipped and reported.
 */
export function checkText(
  file: string,
  text: string,
  diagnostics: Diagnostic[],
): { content: string; bom: boolean } | undefined {
  const skip = (message: string, severity: Diagnostic['severity'] = 'warning') => {
    diagnostics.push({ file, line: 0, severity, message });
    return undefined;
  };
  if (text.length > MAX_FILE_BYTES) return skip(`skipped: larger than the ${MAX_FILE_BYTES}-byte limit`);
  if (text.includes('\u0000')) return skip('skipped: binary file', 'notice');
  if (text.includes('\uFFFD')) return skip('skipped: not valid UTF-8 text');
  return withoutBom(text);
}
