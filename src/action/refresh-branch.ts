/**
 * Where a refresh writes: one fixed branch (`ar-mirror/refresh`) and one pull request from it.
 * The branch is created from the default branch only when it does not exist; when it only holds
 * commits the default branch already has (its pull request was merged with a merge commit), it is
 * fast-forwarded; when its pull request was squashed or rebased at the branch's head, it is moved
 * back to the default branch (resetIfMerged). In every other case the new pins are committed on
 * top of whatever the branch holds, with `expectedHeadOid`, so commits others added are never lost. Pins already on the branch change
 * nothing, so a run with nothing new commits nothing and leaves the pull request alone.
 */
import { errorMessage } from '../errors.js';
import { composeCommentBody } from '../github/comment.js';
import { BranchMovedError, WorkflowPermissionError } from '../github/errors.js';
import type { OpenPullRequest, RepositoryClient } from '../github/repository-client.js';
import type { CommitResult, GitHubClient } from '../github/types.js';
import type { Logger } from '../log.js';
import { type FileChange, rewriteFiles } from '../mirror/rewrite-files.js';
import { groupEdits, planRepins } from '../refresh/plan.js';
import { REFRESH_MARKER } from '../refresh/render.js';
import { extractFile } from '../scan/index.js';
import type { CollectedFile } from './collect.js';
import { checkText } from './file-reader.js';

/** The branch every refresh pull request comes from. */
export const REFRESH_BRANCH = 'ar-mirror/refresh';

/** What the branch writer needs. */
export interface RefreshWrite {
  repo: string;
  defaultBranch: string;
  /** The default branch's head the run scanned. */
  head: string;
  /** The scanned files at `head` that hold followed references. */
  files: CollectedFile[];
  /** New digest by mirror key (`host/path:tag`). */
  digests: ReadonlyMap<string, string>;
  title: string;
  commitMessage: { headline: string; body: string };
  /** The pull request body (the marker is put first here). */
  body: string;
}

/** What the branch writer did. */
export interface RefreshWritten {
  commit: CommitResult | undefined;
  pullRequest: OpenPullRequest | undefined;
  /** `created`, `updated` or `unchanged`; undefined when there is no pull request. */
  pullRequestAction: 'created' | 'updated' | 'unchanged' | undefined;
  notes: string[];
  /** Set when the pull request could not be opened or updated after the commit (if any) landed. */
  error?: string;
}

interface Clients {
  github: GitHubClient;
  repository: RepositoryClient;
  logger: Logger;
}

/**
 * Commits the moved pins to the refresh branch (once more if it moved meanwhile), then opens or
 * updates the pull request. Throws when nothing could be committed; a pull request that cannot be
 * opened after the commit landed is returned in `error`, with the commit.
 */
export async function writeRefresh(clients: Clients, write: RefreshWrite): Promise<RefreshWritten> {
  const notes: string[] = [];
  let commit: CommitResult | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      commit = await commitOnce(clients, write, notes);
      break;
    } catch (err) {
      if (!(err instanceof BranchMovedError) || attempt === 2) throw err;
      clients.logger.info(`${REFRESH_BRANCH} moved while ar-mirror ran; reading it again`);
    }
  }
  try {
    return { commit, notes, ...(await pullRequestFor(clients, write, commit)) };
  } catch (err) {
    // Throwing here would lose a commit that has already landed (and say nothing was committed).
    const error = `could not open or update the refresh pull request: ${errorMessage(err)}`;
    return { commit, pullRequest: undefined, pullRequestAction: undefined, notes, error };
  }
}

/**
 * Updates the open refresh pull request, or opens one: for a new commit, or for pins already on
 * the branch that no pull request ever showed (an earlier run could not open it). A pull request
 * someone closed at the branch's head is not reopened: only a new commit opens one.
 */
async function pullRequestFor(
  clients: Clients,
  write: RefreshWrite,
  commit: CommitResult | undefined,
): Promise<Pick<RefreshWritten, 'pullRequest' | 'pullRequestAction'>> {
  const { repository } = clients;
  const login = await clients.github.viewerLogin();
  const existing = await repository.findOpenPullRequest(write.repo, REFRESH_BRANCH, login);
  const body = composeCommentBody(REFRESH_MARKER, write.body);
  if (existing) {
    if (existing.body === body && existing.title === write.title)
      return { pullRequest: existing, pullRequestAction: 'unchanged' };
    await repository.updatePullRequest(write.repo, existing.number, { title: write.title, body });
    return { pullRequest: { ...existing, body, title: write.title }, pullRequestAction: 'updated' };
  }
  if (commit === undefined) {
    const head = await repository.getBranchHead(write.repo, REFRESH_BRANCH);
    // A branch at the default branch's head holds nothing to show (the rewrite left every file).
    if (head === undefined || head === write.head)
      return { pullRequest: undefined, pullRequestAction: undefined };
    if (await repository.hasPullRequestAt(write.repo, REFRESH_BRANCH, login, head))
      return { pullRequest: undefined, pullRequestAction: undefined };
  }
  const pullRequest = await repository.createPullRequest(write.repo, {
    head: REFRESH_BRANCH,
    base: write.defaultBranch,
    title: write.title,
    body,
  });
  return { pullRequest, pullRequestAction: 'created' };
}

/** One attempt: pick the base commit, re-pin its files, and commit when anything changed. */
async function commitOnce(
  clients: Clients,
  write: RefreshWrite,
  notes: string[],
): Promise<CommitResult | undefined> {
  const { repository } = clients;
  const branchHead = await repository.getBranchHead(write.repo, REFRESH_BRANCH);
  const base =
    branchHead === undefined ||
    branchHead === write.head ||
    (await repository.fastForwardBranch(write.repo, REFRESH_BRANCH, write.head)) ||
    (await resetIfMerged(clients, write, branchHead))
      ? write.head
      : branchHead;
  const files = base === write.head ? write.files : await readAt(clients, write, base);
  const rewrite = repin(files, write.digests);
  notes.push(...rewrite.failures.map((f) => `left unchanged: ${f.reason}`));
  let changes = rewrite.changes;
  if (changes.length === 0) return undefined;
  if (branchHead === undefined) await createBranch(repository, write);
  const bom = new Map(files.map((f) => [f.path, f.bom]));
  const send = (list: FileChange[]) =>
    clients.github.commitFiles({
      repo: write.repo,
      branch: REFRESH_BRANCH,
      expectedHeadOid: base,
      ...write.commitMessage,
      changes: list.map((c) => ({ path: c.file, contents: (bom.get(c.file) ? '\uFEFF' : '') + c.content })),
    });
  try {
    return await send(changes);
  } catch (err) {
    if (!(err instanceof WorkflowPermissionError)) throw err;
    const refused = changes.filter((c) => c.file.startsWith('.github/workflows/'));
    changes = changes.filter((c) => !c.file.startsWith('.github/workflows/'));
    notes.push(
      `the token may not change files under .github/workflows/ (it needs the workflows permission), so these pins were not moved: ${refused.map((c) => c.file).join(', ')}`,
    );
    return changes.length === 0 ? undefined : await send(changes);
  }
}

/**
 * After a squash or rebase merge the branch's commits are not in the default branch, so it cannot
 * be fast-forwarded, and new pins committed on top would drag the merged commits into every later
 * pull request (and conflict). When the branch's pull request was merged at exactly the branch's
 * head, everything on the branch is already in the default branch: moving it back to the scanned
 * head with force discards nothing. A commit pushed after the merge makes the heads differ, and
 * then the branch is kept. The move is conditional on the branch still being at `branchHead`.
 */
async function resetIfMerged(clients: Clients, write: RefreshWrite, branchHead: string): Promise<boolean> {
  const { repository } = clients;
  const merged = await repository.findMergedPullRequest(write.repo, {
    branch: REFRESH_BRANCH,
    base: write.defaultBranch,
    author: await clients.github.viewerLogin(),
    sha: branchHead,
  });
  if (merged === undefined) return false;
  if (!(await repository.resetBranch(write.repo, REFRESH_BRANCH, branchHead, write.head))) return false;
  clients.logger.info(
    `pull request #${merged} from ${REFRESH_BRANCH} was merged; the branch starts again from ${write.defaultBranch}`,
  );
  return true;
}

/** Creates the branch at the scanned head; one that appeared meanwhile makes the caller start over. */
async function createBranch(repository: RepositoryClient, write: RefreshWrite): Promise<void> {
  try {
    await repository.createBranch(write.repo, REFRESH_BRANCH, write.head);
  } catch (err) {
    if ((await repository.getBranchHead(write.repo, REFRESH_BRANCH)) === undefined) throw err;
    throw new BranchMovedError(write.repo, REFRESH_BRANCH, write.head, { cause: err });
  }
}

/** The same files as they are at `commit` (the refresh branch, with whatever others committed there). */
async function readAt(clients: Clients, write: RefreshWrite, commit: string): Promise<CollectedFile[]> {
  const files: CollectedFile[] = [];
  for (const file of write.files) {
    let text: string | undefined;
    try {
      text = await clients.github.readFile(write.repo, file.path, commit);
    } catch (err) {
      clients.logger.warning(`could not read ${file.path} on ${REFRESH_BRANCH}: ${errorMessage(err)}`);
      continue;
    }
    const checked = text === undefined ? undefined : checkText(file.path, text, []);
    if (checked !== undefined) files.push({ ...file, head: checked.content, bom: checked.bom });
  }
  return files;
}

/** The verified rewrites that move every pin in `files` to its new digest, and the files that did not verify. */
function repin(files: readonly CollectedFile[], digests: ReadonlyMap<string, string>) {
  const texts = new Map(files.map((f) => [f.path, { content: f.head ?? '', context: f.context }]));
  const edits = files.flatMap((f) =>
    planRepins(extractFile(f.path, f.head ?? '', f.context).occurrences, digests),
  );
  return rewriteFiles(groupEdits(edits), texts, extractFile);
}
