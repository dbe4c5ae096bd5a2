/**
 * Merging a pull request, as the web's merge button and `PUT /repos/{o}/{r}/pulls/{n}/merge` do.
 * `merge` writes a commit with the base and head as parents; `squash` writes one commit with the
 * base as its only parent, so the head's commits never reach the base. The pull request is then
 * closed, merged, and keeps the head commit it was merged at: later pushes to its branch no longer
 * show in it. The simulated repositories do not allow rebase merges (GitHub's 405 for a repository
 * with them turned off): replaying commits needs `git merge-tree --merge-base`, newer than the
 * git the tests may run on. A conflict or a head other than `sha` is refused as GitHub does.
 */
import type { RestRequest, RestResponse } from './rest-handlers.js';
import type { PullState, SimState } from './state.js';
import { basicError, branchRef, resolveRef } from './state.js';

/** How a pull request is merged. */
export type MergeMethod = 'merge' | 'squash';

/** What came of a merge: GitHub's status and message, and the new base commit when it merged. */
export interface MergeOutcome {
  status: 200 | 405 | 409;
  message: string;
  sha?: string;
}

const DOCS = 'pulls/pulls#merge-a-pull-request';

/** Merges `pull` into its base branch and marks it merged (see the file comment). */
export async function mergePull(
  state: SimState,
  pull: PullState,
  options: { method: MergeMethod; sha?: string; title?: string; message?: string },
): Promise<MergeOutcome> {
  const notMergeable = { status: 405, message: 'Pull Request is not mergeable' } as const;
  if (pull.state !== 'open') return notMergeable;
  const head = await resolveRef(state, pull.headRepo, pull.headRef);
  const base = await resolveRef(state, pull.repo, pull.baseRef);
  if (head === undefined || base === undefined) return notMergeable;
  if (options.sha !== undefined && options.sha !== head)
    return { status: 409, message: 'Head branch was modified. Review and try the merge again.' };
  // Exit code 1 is a conflict: GitHub's merge button is disabled and the API answers 405.
  const merged = await state.store.git(['merge-tree', '--write-tree', base, head], { allowFail: true });
  if (merged.code !== 0) return notMergeable;
  const tree = merged.stdout.toString().split('\n')[0]!.trim();
  const squash = options.method === 'squash';
  const title =
    options.title ??
    (squash ? `${pull.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${pull.headRef}`);
  const message = options.message === undefined ? title : `${title}\n\n${options.message}`;
  const parents = squash ? ['-p', base] : ['-p', base, '-p', head];
  const commit = await state.store.git(['commit-tree', tree, ...parents, '-F', '-'], {
    input: message,
    env: {
      GIT_AUTHOR_NAME: pull.author,
      GIT_AUTHOR_EMAIL: `${pull.author}@users.noreply.github.com`,
      GIT_COMMITTER_NAME: 'GitHub',
      GIT_COMMITTER_EMAIL: 'noreply@github.com',
    },
  });
  const sha = commit.stdout.toString().trim();
  if (!(await state.store.compareAndSwap(branchRef(pull.repo, pull.baseRef), sha, base)))
    return { status: 405, message: 'Base branch was modified. Review and try the merge again.' };
  const now = new Date().toISOString();
  Object.assign(pull, {
    state: 'closed',
    merged: true,
    mergedAt: now,
    mergeCommitSha: sha,
    lastHeadSha: head,
  });
  return { status: 200, message: 'Pull Request successfully merged', sha };
}

/** `pulls/merge`: needs contents write, like pushing to the base branch. */
async function mergeHandler(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = `${request.params.owner}/${request.params.repo}`;
  const number = Number(request.params.pull_number);
  const pull = state.pulls.find((p) => p.repo === repo && p.number === number);
  if (!pull) return { status: 404, body: basicError('Not Found', DOCS, 404) };
  if (state.token.permissions.contents !== 'write')
    return { status: 403, body: basicError('Resource not accessible by integration', DOCS, 403) };
  const body = request.body ?? {};
  const method = body.merge_method ?? 'merge';
  if (method === 'rebase')
    return { status: 405, body: basicError('Rebase merges are not allowed on this repository.', DOCS, 405) };
  const outcome = await mergePull(state, pull, {
    method: method === 'squash' ? 'squash' : 'merge',
    ...(typeof body.sha === 'string' ? { sha: body.sha } : {}),
    ...(typeof body.commit_title === 'string' ? { title: body.commit_title } : {}),
    ...(typeof body.commit_message === 'string' ? { message: body.commit_message } : {}),
  });
  if (outcome.status !== 200)
    return {
      status: outcome.status,
      body: { message: outcome.message, documentation_url: `https://docs.github.com/rest/${DOCS}` },
    };
  return { status: 200, body: { sha: outcome.sha, merged: true, message: outcome.message } };
}

export const mergeHandlers = { 'pulls/merge': mergeHandler };
