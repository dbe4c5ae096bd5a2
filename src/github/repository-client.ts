/**
 * What the scheduled refresh needs from GitHub besides reading files and committing: the default
 * branch, the refresh branch (read, create, fast-forward, reset once merged), the files of a
 * commit, and the one refresh pull request (find, open, update, was it merged). REST, except the
 * reset: only GraphQL `updateRefs` moves a ref on the condition that it has not moved (`beforeOid`).
 */
import { errorMessage } from '../errors.js';
import { processSecrets } from '../secrets.js';
import { graphqlErrors } from './commit.js';
import type { GitHubContext } from './context.js';
import { apiError, graphqlRequest, splitRepo, statusOf } from './context.js';

/** The refresh pull request as ar-mirror needs it. */
export interface OpenPullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
}

/** The files of a commit (blobs only), and whether GitHub cut the listing. */
export interface TreeFiles {
  paths: string[];
  /** True when GitHub's recursive tree hit its limit, so some files are missing. */
  isTruncated: boolean;
}

/** Branches, trees and pull requests of a repository. Created by `createRepositoryClient()`. */
export interface RepositoryClient {
  /** The repository's default branch name. */
  getDefaultBranch(repo: string): Promise<string>;
  /** The commit `branch` points at, or undefined when there is no such branch. */
  getBranchHead(repo: string, branch: string): Promise<string | undefined>;
  /** Creates `branch` at `sha`; throws GitHubApiError (422) when it already exists. */
  createBranch(repo: string, branch: string, sha: string): Promise<void>;
  /** Moves `branch` to `sha` only as a fast-forward; false when that is not one (the branch has other commits). */
  fastForwardBranch(repo: string, branch: string, sha: string): Promise<boolean>;
  /**
   * Moves `branch` from `from` to `to` even when that is not a fast-forward, only while it still
   * points at `from`; false when it moved meanwhile or GitHub refused (a workflow file would change).
   */
  resetBranch(repo: string, branch: string, from: string, to: string): Promise<boolean>;
  /** Every regular file path of `commit` (recursive tree; no symbolic links or submodules). */
  listFiles(repo: string, commit: string): Promise<TreeFiles>;
  /** The open pull request from `branch` (of the same repository) written by `author`, if any. */
  findOpenPullRequest(repo: string, branch: string, author: string): Promise<OpenPullRequest | undefined>;
  /** True when `author` opened a pull request (open or closed) from `branch` whose head is `sha`. */
  hasPullRequestAt(repo: string, branch: string, author: string, sha: string): Promise<boolean>;
  /**
   * The number of `author`'s pull request from `branch` into `base` that was merged with `sha` as
   * its head (merge, squash or rebase: everything the branch holds is then in `base`), if any.
   */
  findMergedPullRequest(
    repo: string,
    request: { branch: string; base: string; author: string; sha: string },
  ): Promise<number | undefined>;
  /** Opens a pull request from `head` into `base`. */
  createPullRequest(
    repo: string,
    request: { head: string; base: string; title: string; body: string },
  ): Promise<OpenPullRequest>;
  /** Replaces a pull request's title and body. */
  updatePullRequest(repo: string, number: number, change: { title: string; body: string }): Promise<void>;
}

/** Git modes of regular and executable files (120000 is a symbolic link, 160000 a submodule). */
const REGULAR_MODES: ReadonlySet<string> = new Set(['100644', '100755']);

/** Open pull requests read while looking for the refresh one (100 per page). */
const MAX_PULL_PAGES = 10;

const UPDATE_REFS = `mutation ArMirrorResetBranch($input: UpdateRefsInput!) {
  updateRefs(input: $input) { clientMutationId }
}`;

/** The repository client over a shared context (createGitHubContext). */
export function createRepositoryClient(context: GitHubContext): RepositoryClient {
  const { octokit } = context;
  const wrap = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err: unknown) {
      throw apiError(action, err);
    }
  };
  /** The first pull request from `branch` (of the same repository) in `state` that `wanted` accepts. */
  type Pull = Awaited<ReturnType<typeof octokit.rest.pulls.list>>['data'][number];
  const findPull = (repo: string, branch: string, state: 'open' | 'all', wanted: (pull: Pull) => boolean) =>
    wrap(`listing the pull requests of ${repo}`, async () => {
      const params = splitRepo(repo);
      const pages = octokit.paginate.iterator(octokit.rest.pulls.list, {
        ...params,
        state,
        head: `${params.owner}:${branch}`,
        per_page: 100,
      });
      let count = 0;
      for await (const page of pages) {
        const found = page.data.find((pull) => pull.head.ref === branch && wanted(pull));
        if (found) return found;
        if (++count >= MAX_PULL_PAGES) break;
      }
      return undefined;
    });
  return {
    getDefaultBranch: (repo) =>
      wrap(
        `reading ${repo}`,
        async () => (await octokit.rest.repos.get(splitRepo(repo))).data.default_branch,
      ),
    async getBranchHead(repo, branch) {
      try {
        const { data } = await octokit.rest.git.getRef({ ...splitRepo(repo), ref: `heads/${branch}` });
        return data.object.sha;
      } catch (err: unknown) {
        if (statusOf(err) === 404) return undefined;
        throw apiError(`reading branch ${branch} of ${repo}`, err);
      }
    },
    createBranch: (repo, branch, sha) =>
      wrap(`creating branch ${branch} of ${repo}`, async () => {
        await octokit.rest.git.createRef({ ...splitRepo(repo), ref: `refs/heads/${branch}`, sha });
      }),
    async fastForwardBranch(repo, branch, sha) {
      try {
        await octokit.rest.git.updateRef({ ...splitRepo(repo), ref: `heads/${branch}`, sha, force: false });
        return true;
      } catch (err: unknown) {
        if (statusOf(err) === 422) return false;
        throw apiError(`moving branch ${branch} of ${repo}`, err);
      }
    },
    async resetBranch(repo, branch, from, to) {
      const repositoryId = await wrap(
        `reading ${repo}`,
        async () => (await octokit.rest.repos.get(splitRepo(repo))).data.node_id,
      );
      const update = { name: `refs/heads/${branch}`, beforeOid: from, afterOid: to, force: true };
      try {
        await graphqlRequest(context, UPDATE_REFS, { input: { repositoryId, refUpdates: [update] } });
        return true;
      } catch (err: unknown) {
        // A GraphQL refusal (HTTP 200 with errors) leaves the branch as it was; anything else is a failure.
        if (!isGraphqlRefusal(err)) throw apiError(`resetting branch ${branch} of ${repo}`, err);
        context.logger.info(`GitHub did not reset ${branch} of ${repo}: ${errorMessage(err)}`);
        return false;
      }
    },
    listFiles: (repo, commit) =>
      wrap(`listing the files of ${repo} at ${commit}`, async () => {
        const { data } = await octokit.rest.git.getTree({
          ...splitRepo(repo),
          tree_sha: commit,
          recursive: '1',
        });
        // Regular files only: the contents API answers a symbolic link with its target's content,
        // and a rewrite committed at the link's path would replace the link with a copy.
        const paths = data.tree.flatMap((entry) =>
          entry.type === 'blob' && REGULAR_MODES.has(entry.mode ?? '') && entry.path ? [entry.path] : [],
        );
        return { paths, isTruncated: data.truncated };
      }),
    async findOpenPullRequest(repo, branch, author) {
      const found = await findPull(repo, branch, 'open', (pull) => pull.user?.login === author);
      return (
        found && { number: found.number, url: found.html_url, title: found.title, body: found.body ?? '' }
      );
    },
    hasPullRequestAt: async (repo, branch, author, sha) =>
      (await findPull(
        repo,
        branch,
        'all',
        (pull) => pull.user?.login === author && pull.head.sha === sha,
      )) !== undefined,
    async findMergedPullRequest(repo, { branch, base, author, sha }) {
      const merged = (pull: Pull) =>
        pull.merged_at !== null &&
        pull.user?.login === author &&
        pull.head.sha === sha &&
        pull.base.ref === base;
      return (await findPull(repo, branch, 'all', merged))?.number;
    },
    createPullRequest: (repo, request) =>
      wrap(`opening a pull request from ${request.head} in ${repo}`, async () => {
        const { data } = await octokit.rest.pulls.create({ ...splitRepo(repo), ...redactProse(request) });
        return { number: data.number, url: data.html_url, title: data.title, body: data.body ?? '' };
      }),
    updatePullRequest: (repo, number, change) =>
      wrap(`updating pull request ${repo}#${number}`, async () => {
        await octokit.rest.pulls.update({ ...splitRepo(repo), pull_number: number, ...redactProse(change) });
      }),
  };
}

/**
 * A GraphQL refusal (HTTP 200 with `errors`) that leaves the branch as it was: the branch moved
 * (beforeOid), or the token may not touch a workflow file. GitHub documents neither wording, so
 * any refusal counts, except a rate limit, which is a failure to report, not a decision.
 */
function isGraphqlRefusal(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('errors' in err) || !Array.isArray(err.errors))
    return false;
  return !graphqlErrors(err).some(
    (entry) => entry.type === 'RATE_LIMITED' || /rate limit/i.test(entry.message ?? ''),
  );
}

/** Titles and bodies quote registry error text, and GitHub never masks what it is sent. */
function redactProse<T extends { title: string; body: string }>(text: T): T {
  return { ...text, title: processSecrets.redact(text.title), body: processSecrets.redact(text.body) };
}
