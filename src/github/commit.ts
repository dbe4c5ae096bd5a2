/** The follow-up commit, made with GraphQL `createCommitOnBranch` so GitHub signs it. */
import type { GitHubContext } from './context.js';
import { apiError, graphqlRequest } from './context.js';
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
 * WorkflowPermissionError.
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

function commitError(request: CommitRequest, err: unknown): Error {
  const errors = graphqlErrors(err);
  const isStale = errors.some(
    (entry) => entry.type === 'STALE_DATA' || /Expected branch to point to/.test(entry.message ?? ''),
  );
  if (isStale)
    return new BranchMovedError(request.repo, request.branch, request.expectedHeadOid, { cause: err });
  const isWorkflow = errors.some((entry) =>
    /without `?workflows?`? (permission|scope)/.test(entry.message ?? ''),
  );
  if (isWorkflow) {
    const paths = request.changes
      .map((change) => change.path)
      .filter((path) => path.startsWith('.github/workflows/'));
    return new WorkflowPermissionError(request.repo, paths, { cause: err });
  }
  return apiError(`committing to ${request.branch} of ${request.repo}`, err);
}

/** Octokit's GraphqlResponseError carries the response's `errors` array. */
function graphqlErrors(err: unknown): GraphqlErrorEntry[] {
  if (typeof err !== 'object' || err === null || !('errors' in err) || !Array.isArray(err.errors)) return [];
  return err.errors.filter(
    (entry): entry is GraphqlErrorEntry => typeof entry === 'object' && entry !== null,
  );
}
