/**
 * Pull requests as objects: read one, list them (by head branch and state), open one, edit its
 * title, body or state. GitHub's refusals are kept: a second open pull request for the same head
 * and base, or one with no commits, is 422; writing needs pull-requests write.
 */
import { paginate, type RestRequest, type RestResponse } from './rest-handlers.js';
import type { PullState, RepoState, SimState } from './state.js';
import { basicError, repoJson, resolveRef, userJson } from './state.js';

const NOT_ACCESSIBLE = 'Resource not accessible by integration';

function notFound(docs: string): RestResponse {
  return { status: 404, body: basicError('Not Found', docs, 404) };
}

function invalid(message: string, docs: string): RestResponse {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', message }],
      documentation_url: `https://docs.github.com/rest/${docs}`,
    },
  };
}

/** The `head` or `base` object of a pull request. */
function pullSide(state: SimState, repo: RepoState, ref: string, sha: string) {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    repo: repoJson(state, repo),
    user: userJson(state, repo.owner),
  };
}

/** The pull request as the REST API shows it (the server completes the rest of the schema). */
export async function pullJson(state: SimState, pull: PullState): Promise<Record<string, unknown>> {
  const baseRepo = state.repos.get(pull.repo)!;
  const headRepo = state.repos.get(pull.headRepo)!;
  const baseSha = (await resolveRef(state, pull.repo, pull.baseRef))!;
  // A merged pull request keeps the head it was merged at; a deleted head branch leaves the last
  // head commit GitHub knew.
  const frozen = pull.merged ? pull.lastHeadSha : undefined;
  const headSha =
    frozen ?? (await resolveRef(state, pull.headRepo, pull.headRef)) ?? pull.lastHeadSha ?? baseSha;
  const files = await state.store.diff(baseSha, headSha);
  return {
    id: pull.id,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    user: userJson(state, pull.author),
    url: `${state.baseUrl}/repos/${pull.repo}/pulls/${pull.number}`,
    html_url: `https://github.test/${pull.repo}/pull/${pull.number}`,
    head: pullSide(state, headRepo, pull.headRef, headSha),
    base: pullSide(state, baseRepo, pull.baseRef, baseSha),
    changed_files: files.length,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    draft: false,
    merged: pull.merged,
    merged_at: pull.mergedAt ?? null,
    closed_at: pull.state === 'closed' ? (pull.mergedAt ?? null) : null,
    merge_commit_sha: pull.mergeCommitSha ?? null,
  };
}

function pullOf(state: SimState, request: RestRequest): PullState | undefined {
  const repo = `${request.params.owner}/${request.params.repo}`;
  const number = Number(request.params.pull_number);
  return state.pulls.find((pull) => pull.repo === repo && pull.number === number);
}

async function getPull(state: SimState, request: RestRequest): Promise<RestResponse> {
  const pull = pullOf(state, request);
  if (!pull) return notFound('pulls/pulls#get-a-pull-request');
  return { status: 200, body: await pullJson(state, pull) };
}

/** `head` is `owner:branch` (or `branch`, taken as the base repository's owner). */
async function listPulls(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = state.repos.get(`${request.params.owner}/${request.params.repo}`);
  if (!repo) return notFound('pulls/pulls#list-pull-requests');
  const wanted = request.query.get('state') ?? 'open';
  const head = request.query.get('head');
  const [headOwner, headBranch] =
    head === null ? [] : head.includes(':') ? head.split(/:(.*)/s) : [repo.owner, head];
  const pulls = state.pulls.filter(
    (pull) =>
      pull.repo === repo.fullName &&
      (wanted === 'all' || pull.state === wanted) &&
      (head === null || (state.repos.get(pull.headRepo)?.owner === headOwner && pull.headRef === headBranch)),
  );
  const { slice, headers } = paginate(state, `/repos/${repo.fullName}/pulls`, request.query, pulls);
  return { status: 200, body: await Promise.all(slice.map((pull) => pullJson(state, pull))), headers };
}

async function createPull(state: SimState, request: RestRequest): Promise<RestResponse> {
  const docs = 'pulls/pulls#create-a-pull-request';
  const repo = state.repos.get(`${request.params.owner}/${request.params.repo}`);
  if (!repo) return notFound(docs);
  if (state.token.permissions.pullRequests !== 'write')
    return { status: 403, body: basicError(NOT_ACCESSIBLE, docs, 403) };
  const body = request.body ?? {};
  const headRef = String(body.head).replace(/^[^:]*:/, '');
  const baseRef = String(body.base);
  const headSha = await resolveRef(state, repo.fullName, headRef);
  const baseSha = await resolveRef(state, repo.fullName, baseRef);
  if (headSha === undefined || baseSha === undefined)
    return invalid(`head or base ${headRef}/${baseRef} does not exist`, docs);
  const open = state.pulls.find(
    (p) => p.repo === repo.fullName && p.headRef === headRef && p.baseRef === baseRef && p.state === 'open',
  );
  if (open) return invalid(`A pull request already exists for ${repo.owner}:${headRef}.`, docs);
  if ((await state.store.diff(baseSha, headSha)).length === 0)
    return invalid(`No commits between ${baseRef} and ${headRef}`, docs);
  const pull: PullState = {
    id: state.nextId(),
    number: state.pulls.filter((p) => p.repo === repo.fullName).length + 1,
    repo: repo.fullName,
    baseRef,
    headRepo: repo.fullName,
    headRef,
    author: state.token.login,
    title: typeof body.title === 'string' ? body.title : headRef,
    body: typeof body.body === 'string' ? body.body : null,
    state: 'open',
    merged: false,
  };
  state.pulls.push(pull);
  return { status: 201, body: await pullJson(state, pull) };
}

async function updatePull(state: SimState, request: RestRequest): Promise<RestResponse> {
  const docs = 'pulls/pulls#update-a-pull-request';
  const pull = pullOf(state, request);
  if (!pull) return notFound(docs);
  if (state.token.permissions.pullRequests !== 'write')
    return { status: 403, body: basicError(NOT_ACCESSIBLE, docs, 403) };
  const body = request.body ?? {};
  if (typeof body.title === 'string') pull.title = body.title;
  if (typeof body.body === 'string') pull.body = body.body;
  if (body.state === 'open' || body.state === 'closed') pull.state = body.state;
  return { status: 200, body: await pullJson(state, pull) };
}

export const pullHandlers = {
  'pulls/get': getPull,
  'pulls/list': listPulls,
  'pulls/create': createPull,
  'pulls/update': updatePull,
};
