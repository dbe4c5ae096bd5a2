/**
 * Comparing two commits (`GET /repos/{owner}/{repo}/compare/{base}...{head}`), as GitHub does: the
 * merge base, how far head is ahead and behind, the commits from the merge base to head (paged by
 * `per_page`/`page`) and the changed files of the three-dot diff. The server completes the rest of
 * the schema.
 */
import type { RestRequest, RestResponse } from './rest-handlers.js';
import type { SimState } from './state.js';
import { basicError, resolveRef } from './state.js';

const DOCS = 'commits/commits#compare-two-commits';

export async function compareCommits(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = state.repos.get(`${request.params.owner}/${request.params.repo}`);
  const [baseName, headName, ...rest] = (request.params.basehead ?? '').split('...');
  const base =
    repo && baseName && rest.length === 0 ? await resolveRef(state, repo.fullName, baseName) : undefined;
  const head = repo && headName ? await resolveRef(state, repo.fullName, headName) : undefined;
  if (!repo || base === undefined || head === undefined)
    return { status: 404, body: basicError('Not Found', DOCS, 404) };
  const mergeBase = await state.store.mergeBase(base, head);
  if (mergeBase === undefined) {
    const message = `No common ancestor between ${baseName} and ${headName}.`;
    return { status: 404, body: basicError(message, DOCS, 404) };
  }
  const ahead = await state.store.log(head, mergeBase);
  const behind = await state.store.log(base, mergeBase);
  const perPage = Math.min(Number(request.query.get('per_page') ?? 250), 250);
  const page = Math.max(Number(request.query.get('page') ?? 1), 1);
  const commits = [...ahead].reverse().slice((page - 1) * perPage, page * perPage);
  const files = await state.store.diff(base, head);
  const status =
    ahead.length === 0 && behind.length === 0
      ? 'identical'
      : behind.length === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged';
  return {
    status: 200,
    body: {
      url: `${state.baseUrl}/repos/${repo.fullName}/compare/${baseName}...${headName}`,
      base_commit: commitJson(base),
      merge_base_commit: commitJson(mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: commits.map((commit) => ({
        ...commitJson(commit.oid),
        commit: { message: commit.message },
      })),
      files: files.slice(0, 300).map((entry) => ({
        sha: entry.blobSha,
        filename: entry.path,
        status: entry.status,
        additions: entry.additions,
        deletions: entry.deletions,
        changes: entry.additions + entry.deletions,
      })),
    },
  };
}

function commitJson(sha: string) {
  return { sha, node_id: `C_${sha}` };
}
