/**
 * GraphQL `createCommitOnBranch`, done for real: the additions and deletions become a commit on
 * top of `expectedHeadOid` in the git store, and the branch moves by compare-and-swap. Refusals
 * use GitHub's error types and texts.
 */
import { GitHubGraphqlError } from './graphql.js';
import type { SimState } from './state.js';
import { branchRef } from './state.js';

interface CommitInput {
  branch: { repositoryNameWithOwner?: string; branchName?: string };
  expectedHeadOid: string;
  message: { headline: string; body?: string | null };
  fileChanges?: { additions?: { path: string; contents: string }[]; deletions?: { path: string }[] } | null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function refuseWorkflowChange(state: SimState, paths: string[]): void {
  const workflow = paths.find((path) => path.startsWith('.github/workflows/'));
  if (workflow !== undefined && !state.token.permissions.workflows) {
    throw new GitHubGraphqlError(
      'FORBIDDEN',
      `refusing to allow a GitHub App to create or update workflow \`${workflow}\` without \`workflows\` permission`,
    );
  }
}

function decodeAdditions(input: CommitInput): Record<string, string> {
  const files: Record<string, string> = {};
  for (const addition of input.fileChanges?.additions ?? []) {
    if (!BASE64.test(addition.contents)) {
      throw new GitHubGraphqlError('UNPROCESSABLE', `The contents of ${addition.path} are not valid Base64.`);
    }
    files[addition.path] = Buffer.from(addition.contents, 'base64').toString('utf8');
  }
  return files;
}

/** Resolves `createCommitOnBranch(input:)`; the payload's `commit` has `oid` and `url`. */
export async function createCommitOnBranch(state: SimState, input: CommitInput) {
  const repoName = input.branch.repositoryNameWithOwner ?? '';
  const repo = state.repos.get(repoName);
  if (!repo)
    throw new GitHubGraphqlError(
      'NOT_FOUND',
      `Could not resolve to a Repository with the name '${repoName}'.`,
    );
  if (state.token.permissions.contents !== 'write' || repo.isFork) {
    throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration');
  }
  const ref = branchRef(repo.fullName, input.branch.branchName ?? '');
  const head = await state.store.resolve(ref);
  if (head === undefined) {
    throw new GitHubGraphqlError(
      'NOT_FOUND',
      `A ref named "refs/heads/${input.branch.branchName}" does not exist.`,
    );
  }
  const deletions = (input.fileChanges?.deletions ?? []).map((deletion) => deletion.path);
  const files = decodeAdditions(input);
  refuseWorkflowChange(state, [...Object.keys(files), ...deletions]);
  const stale = `Expected branch to point to "${input.expectedHeadOid}" but it did not.  Pull and try again.`;
  if (head !== input.expectedHeadOid) throw new GitHubGraphqlError('STALE_DATA', stale);
  const body = input.message.body ? `\n\n${input.message.body}` : '';
  const isBot = state.token.login.endsWith('[bot]');
  const oid = await state.store.writeCommit({
    parent: head,
    files,
    deletions,
    message: `${input.message.headline}${body}`,
    author: {
      name: state.token.login,
      email: `${isBot ? '41898282+' : ''}${state.token.login}@users.noreply.github.com`,
    },
    committer: { name: 'GitHub', email: 'noreply@github.com' },
  });
  // The branch may have moved since it was read: git's compare-and-swap decides, as GitHub's does.
  if (!(await state.store.compareAndSwap(ref, oid, head))) throw new GitHubGraphqlError('STALE_DATA', stale);
  return { commit: { oid, url: `https://github.test/${repo.fullName}/commit/${oid}` } };
}
