/** The follow-up commit, made with GraphQL `createCommitOnBranch` so GitHub signs it. */
import type { GitHubContext } from './context.js';
import { apiError, graphqlRequest, statusOf } from './context.js';
import { BranchMovedError, WorkflowPermissionError } from './errors.js';
import type { CommitRequest, CommitResult } from './types.js';

const CREATE_COMMIT = `mutation ArMirrorCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid url }
  }
}`;

interface CreateCommitData {
  createCommitOnBranch: { commit: { oid: string; url: string } | null } | null;
}

/**
 * Commits `changes` on top of `expectedHeadOid`. GitHub answers a moved branch with HTTP 200 and
 * an error of type STALE_DATA ("Expected branch to point to … but it did not"), mapped to
 * BranchMovedError; a refused workflow file ("… without `workflows` permission") to
 * WorkflowPermissionError (see commitError).
 */
export async function commitFiles(context: GitHubContext, request: CommitRequest): Promise<CommitResult> {
  const input = {
    branch: { repositoryNameWithOwner: request.repo, branchName: request.branch },
    expectedHeadOid: request.expectedHeadOid,
    message: { headline: request.headline, ...(request.body === undefined ? {} : { body: request.body }) },
    fileChanges: {
      additions: request.changes.map((change) => ({
        path: change.path,
        contents: Buffer.from(change.contents, 'utf8').toString('base64'),
      })),
    },
  };
  let data: CreateCommitData;
  try {
    data = await graphqlRequest<CreateCommitData>(context, CREATE_COMMIT, { input });
  } catch (err: unknown) {
    throw commitError(request, err);
  }
  const commit = data.createCommitOnBranch?.commit;
  if (!commit) throw apiError(`committing to ${request.branch} of ${request.repo}`, 'no commit returned');
  return { oid: commit.oid, url: commit.url };
}

interface GraphqlErrorEntry {
  type?: string;
  message?: string;
}

const WORKFLOWS = '.github/workflows/';

/**
 * Sorts a failed commit. A moved branch is STALE_DATA or GitHub's "Expected branch to point to …
 * Pull and try again." A refused workflow file names the workflow ("refusing to allow a GitHub App
 * to create or update workflow `…` without `workflows` permission"), or, when the change holds
 * workflow files, is a bare FORBIDDEN ("Resource not accessible by integration"): the caller then
 * commits the other files alone, and a refusal of those too is the error it is.
 */
function commitError(request: CommitRequest, err: unknown): Error {
  const errors = graphqlErrors(err);
  const isStale = errors.some(
    (entry) =>
      entry.type === 'STALE_DATA' ||
      /expected branch to point to|pull and try again/i.test(entry.message ?? ''),
  );
  if (isStale)
    return new BranchMovedError(request.repo, request.branch, request.expectedHeadOid, { cause: err });
  const paths = request.changes.map((change) => change.path).filter((path) => path.startsWith(WORKFLOWS));
  const isRateLimit = errors.some((entry) => /rate limit/i.test(entry.message ?? ''));
  const isWorkflow =
    paths.length > 0 &&
    !isRateLimit &&
    (errors.some((entry) => /workflow/i.test(entry.message ?? '')) ||
      statusOf(err) === 403 ||
      errors.some(
        (entry) => entry.type === 'FORBIDDEN' || /not accessible by integration/i.test(entry.message ?? ''),
      ));
  if (isWorkflow) return new WorkflowPermissionError(request.repo, paths, { cause: err });
  return apiError(`committing to ${request.branch} of ${request.repo}`, err);
}

/**
 * The error entries of a failed GraphQL request: Octokit's GraphqlResponseError carries the
 * response's `errors` (HTTP 200); an HTTP error carries the body in `response.data`, with GitHub's
 * `errors` or `message`. Anything else yields the error's own message.
 */
export function graphqlErrors(err: unknown): GraphqlErrorEntry[] {
  const entries: GraphqlErrorEntry[] = [];
  const add = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const entry of list.slice(0, 100)) if (isObject(entry)) entries.push(asEntry(entry));
  };
  if (!isObject(err)) return entries;
  add(err.errors);
  const data = isObject(err.response) ? err.response.data : undefined;
  if (isObject(data)) {
    add(data.errors);
    if (typeof data.message === 'string') entries.push({ message: data.message });
  }
  if (typeof err.message === 'string') entries.push({ message: err.message });
  return entries;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asEntry(entry: Record<string, unknown>): GraphqlErrorEntry {
  return {
    ...(typeof entry.type === 'string' ? { type: entry.type } : {}),
    ...(typeof entry.message === 'string' ? { message: entry.message } : {}),
  };
}
