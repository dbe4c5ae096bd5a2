/**
 * Where a pull request branched: the merge base of its base and head commits, from
 * https://docs.github.com/en/rest/commits/commits#compare-two-commits. A pull request's diff (its
 * files and patches) is taken from there, not from the base branch's current head.
 */
import type { GitHubContext } from './context.js';
import { apiError, splitRepo } from './context.js';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The merge base of `base` and `head` in `repo`; throws GitHubApiError when GitHub gives none. */
export async function findMergeBase(
  context: GitHubContext,
  repo: string,
  base: string,
  head: string,
): Promise<string> {
  const action = `comparing ${base.slice(0, 12)}...${head.slice(0, 12)} in ${repo}`;
  let sha: unknown;
  try {
    // One commit per page: only the merge base is read, not the list of commits.
    const { data } = await context.octokit.rest.repos.compareCommitsWithBasehead({
      ...splitRepo(repo),
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    sha = data.merge_base_commit?.sha;
  } catch (err: unknown) {
    throw apiError(action, err);
  }
  if (typeof sha !== 'string' || !OBJECT_ID.test(sha)) throw apiError(action, 'no merge base commit');
  return sha;
}
