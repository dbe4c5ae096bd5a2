/**
 * Reads what the pull request changed, through the API only (no checkout, so no pull-request
 * code runs): the tree listing of the head and the base commit, each scanned changed file at the
 * head and at the base (the old path for renames), and the related files the finders need to
 * read them as `ar-mirror scan` reads a checkout (related.ts): a compose file's `.env`, a values
 * file's `Chart.yaml`, the build declarations above a manifest, the files a changed `.env` or
 * `Chart.yaml` decides.
 */
import { errorMessage } from '../errors.js';
import type { GitHubClient, PullRequestInfo } from '../github/types.js';
import { isScannedPath } from '../scan/index.js';
import type { BuildOutput, Diagnostic } from '../scan/types.js';
import { mapLimit } from '../util/map-limit.js';
import { createFileReader, type FileReader, type FileText, type ReaderLimits } from './file-reader.js';
import type { FileVersions } from './new-references.js';
import { type RelatedFiles, readRelatedFiles, type SideContext } from './related.js';
import { indexTree, scanFilter, type TreeIndex } from './tree-index.js';

/** One file ready to scan or rewrite, with what a commit needs to write it back. */
export interface CollectedFile extends FileVersions {
  /** True when the head text started with a byte-order mark (stripped here, restored on commit). */
  bom: boolean;
}

/** The files to scan, the files read beside them, and the problems met reading them. */
export interface Collected {
  /** The changed files a finder reads, then the unchanged files a changed one decides (dependents). */
  files: CollectedFile[];
  /** Files read at the head only as context (a `.env`, a `Chart.yaml`): a rewrite may land there. */
  related: CollectedFile[];
  /** Build outputs the related files declare, at each commit. */
  outputs: { head: BuildOutput[]; base: BuildOutput[] };
  diagnostics: Diagnostic[];
  /** True when GitHub's 3000-file listing cap hid some changed files. */
  isTruncated: boolean;
  /** What could not be read beside the changed files, for the summary. */
  notes: string[];
}

/** Concurrent file reads; each is one request against the token's rate limit. */
const READ_CONCURRENCY = 8;

/** What collectChangedFiles needs besides the client and the pull request. */
export interface CollectOptions {
  repo: string;
  include: string[];
  exclude: string[];
  /** Bounds on related files. Default: file-reader.ts's. */
  limits?: ReaderLimits;
}

/** Lists the PR's changed files and reads the ones a finder handles (after include/exclude), with their related files. */
export async function collectChangedFiles(
  github: GitHubClient,
  pr: PullRequestInfo,
  options: CollectOptions,
): Promise<Collected> {
  const changed = await github.listChangedFiles(options.repo, pr.number);
  const wanted = scanFilter(options);
  // Context-only files (a chart's `_helpers.tpl`) are read too: a change there may change images elsewhere.
  const scanned = changed.files.filter((file) => file.status !== 'removed' && wanted(file.path));
  const collected: Collected = {
    files: [],
    related: [],
    outputs: { head: [], base: [] },
    diagnostics: [],
    isTruncated: changed.isTruncated,
    notes: [],
  };
  // A pull request that changes no scanned file costs no further request.
  if (scanned.length === 0) return collected;
  const baseSha = await branchPoint(github, options.repo, pr, collected.notes);
  const [headTree, baseTree] = await Promise.all([
    github.listTree(options.repo, pr.headSha),
    github.listTree(options.repo, baseSha),
  ]);
  const head = indexTree(headTree, pr.headSha, wanted);
  const base = indexTree(baseTree, baseSha, wanted);
  const reader = createFileReader(github, options.repo, options.limits);
  const texts = await readChanged(reader, { head, base }, scanned, collected.diagnostics);
  const related = await readRelatedFiles(reader, {
    head: { index: head, changed: texts.head, wanted },
    base: { index: base, changed: texts.base, wanted },
  });
  assemble(collected, { scanned, texts, related });
  collected.outputs = { head: related.head.outputs, base: related.base.outputs };
  collected.notes.push(...related.notes);
  return collected;
}

/**
 * The commit the pull request's changes are compared with: where it branched (the merge base, as
 * GitHub's diff of the pull request), not the base branch's head, which may hold changes merged
 * since that the pull request never made. The base branch's head when GitHub cannot say, with a note.
 */
async function branchPoint(
  github: GitHubClient,
  repo: string,
  pr: PullRequestInfo,
  notes: string[],
): Promise<string> {
  try {
    return await github.mergeBase(repo, pr.baseSha, pr.headSha);
  } catch (err) {
    notes.push(
      `could not find where the pull request branched (${errorMessage(err)}); compared with the base branch's head`,
    );
    return pr.baseSha;
  }
}

/** The scanned files (changed ones a finder reads, then dependents) and the related files read at the head. */
function assemble(
  collected: Collected,
  found: {
    scanned: readonly { path: string; status: string; previousPath?: string }[];
    texts: { head: ReadonlyMap<string, FileText> };
    related: RelatedFiles;
  },
): void {
  const { scanned, texts, related } = found;
  for (const file of scanned) {
    const headText = texts.head.get(file.path);
    if (!headText || !isScannedPath(file.path)) continue;
    const basePath = file.status === 'added' ? undefined : (file.previousPath ?? file.path);
    collected.files.push(versions(file.path, headText, basePath, related));
  }
  for (const file of related.dependents) {
    const headText = related.head.texts.get(file);
    if (headText) collected.files.push({ ...versions(file, headText, file, related), isDependent: true });
  }
  const scannedPaths = new Set(collected.files.map((file) => file.path));
  for (const [file, text] of related.head.texts) {
    if (!scannedPaths.has(file)) collected.related.push(headOnly(file, text, related.head));
  }
}

/** The changed files' texts at both commits; problems reading the head are diagnostics. */
async function readChanged(
  reader: FileReader,
  indexes: { head: TreeIndex; base: TreeIndex },
  files: readonly { path: string; status: string; previousPath?: string }[],
  diagnostics: Diagnostic[],
): Promise<{ head: Map<string, FileText>; base: Map<string, FileText> }> {
  const head = new Map<string, FileText>();
  const base = new Map<string, FileText>();
  await mapLimit(files, READ_CONCURRENCY, async (file) => {
    const atHead = await reader.read(indexes.head, file.path, 'changed');
    if (atHead && 'problem' in atHead)
      diagnostics.push({ file: file.path, line: 0, severity: atHead.severity, message: atHead.problem });
    if (!atHead || 'problem' in atHead) return;
    head.set(file.path, atHead);
    if (file.status === 'added') return;
    const basePath = file.previousPath ?? file.path;
    const atBase = await reader.read(indexes.base, basePath, 'changed');
    if (atBase && !('problem' in atBase)) base.set(basePath, atBase);
  });
  return { head, base };
}

function versions(
  file: string,
  headText: FileText,
  basePath: string | undefined,
  related: { head: SideContext; base: SideContext },
): CollectedFile {
  const baseText = basePath === undefined ? undefined : related.base.texts.get(basePath);
  return {
    path: file,
    head: headText.content,
    bom: headText.bom,
    base: baseText?.content,
    context: related.head.contextFor(file),
    ...(baseText && basePath !== undefined
      ? { basePath, baseContext: related.base.contextFor(basePath) }
      : {}),
  };
}

function headOnly(file: string, text: FileText, head: SideContext): CollectedFile {
  return { path: file, head: text.content, bom: text.bom, base: undefined, context: head.contextFor(file) };
}
