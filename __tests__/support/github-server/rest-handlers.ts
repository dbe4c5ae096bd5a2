/**
 * The REST operations the simulated GitHub implements, keyed by GitHub's operationId. Each reads
 * or changes the state and returns the status and the fields a client reads; the server completes
 * the body to the schema's full shape and validates it.
 */
import { posix } from 'node:path';
import type { SimState } from './state.js';
import { basicError, resolveRef, userJson } from './state.js';

/** A parsed, already-validated request. */
export interface RestRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

/** What a handler answers. */
export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (state: SimState, request: RestRequest) => Promise<RestResponse>;

const NOT_ACCESSIBLE = 'Resource not accessible by integration';

/** GitHub lists at most 3000 files of a pull request. */
const MAX_PULL_FILES = 3000;

/** Above 1 MB the contents API leaves `content` empty and says `encoding: "none"`. */
const MAX_INLINE_CONTENT = 1024 * 1024;

function repoOf(state: SimState, request: RestRequest) {
  return state.repos.get(`${request.params.owner}/${request.params.repo}`);
}

function pullOf(state: SimState, request: RestRequest, key: 'pull_number' | 'issue_number') {
  const repo = repoOf(state, request);
  const number = Number(request.params[key]);
  return repo && state.pulls.find((pull) => pull.repo === repo.fullName && pull.number === number);
}

function notFound(docs: string): RestResponse {
  return { status: 404, body: basicError('Not Found', docs, 404) };
}

/** Slices `items` by `per_page`/`page` and builds GitHub's Link header. */
export function paginate<T>(state: SimState, path: string, query: URLSearchParams, items: T[]) {
  const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
  const page = Math.max(Number(query.get('page') ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const next = new URLSearchParams(query);
    next.set('per_page', String(perPage));
    next.set('page', String(n));
    return `<${state.baseUrl}${path}?${next}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : []),
  ];
  return {
    slice: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : ({} as Record<string, string>),
  };
}

async function listPullFiles(state: SimState, request: RestRequest): Promise<RestResponse> {
  const pull = pullOf(state, request, 'pull_number');
  if (!pull) return notFound('pulls/pulls#list-pull-requests-files');
  const baseSha = (await resolveRef(state, pull.repo, pull.baseRef))!;
  const headSha = (await resolveRef(state, pull.headRepo, pull.headRef))!;
  const entries = (await state.store.diff(baseSha, headSha)).slice(0, MAX_PULL_FILES);
  const path = `/repos/${pull.repo}/pulls/${pull.number}/files`;
  const { slice, headers } = paginate(state, path, request.query, entries);
  const body = slice.map((entry) => ({
    sha: entry.blobSha,
    filename: entry.path,
    status: entry.status,
    additions: entry.additions,
    deletions: entry.deletions,
    changes: entry.additions + entry.deletions,
    blob_url: `https://github.test/${pull.repo}/blob/${headSha}/${entry.path}`,
    raw_url: `https://github.test/${pull.repo}/raw/${headSha}/${entry.path}`,
    contents_url: `${state.baseUrl}/repos/${pull.repo}/contents/${entry.path}?ref=${headSha}`,
    ...(entry.patch === undefined ? {} : { patch: entry.patch }),
    ...(entry.previousPath === undefined ? {} : { previous_filename: entry.previousPath }),
  }));
  return { status: 200, body, headers };
}

function contentEntry(
  state: SimState,
  repo: string,
  path: string,
  item: { type: string; oid: string; size: number },
) {
  const url = `${state.baseUrl}/repos/${repo}/contents/${path}`;
  const gitUrl = `${state.baseUrl}/repos/${repo}/git/${item.type === 'dir' ? 'trees' : 'blobs'}/${item.oid}`;
  const htmlUrl = `https://github.test/${repo}/blob/main/${path}`;
  return {
    type: item.type,
    size: item.size,
    name: path.split('/').pop(),
    path,
    sha: item.oid,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: item.type === 'file' ? `https://raw.github.test/${repo}/main/${path}` : null,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

/** GitHub wraps base64 content at 60 characters per line. */
function wrappedBase64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,60}/g) ?? []).map((line) => `${line}\n`).join('');
}

async function getContent(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = repoOf(state, request);
  const docs = 'repos/contents#get-repository-content';
  if (!repo) return notFound(docs);
  const commit = await resolveRef(state, repo.fullName, request.query.get('ref') ?? repo.defaultBranch);
  const path = request.params.path ?? '';
  const entry = commit === undefined ? undefined : await state.store.entry(commit, path);
  if (entry === undefined) return notFound(docs);
  if (entry.type === 'tree') {
    const children = await state.store.listDirectory(commit!, path);
    const body = children.map((child) =>
      contentEntry(state, repo.fullName, `${path}/${child.name}`, {
        type: child.type === 'tree' ? 'dir' : 'file',
        oid: child.oid,
        size: 0,
      }),
    );
    return { status: 200, body };
  }
  if (entry.mode === '120000') return symlinkContent(state, repo.fullName, commit!, path, entry.oid);
  return fileContent(state, repo.fullName, path, entry.oid);
}

/** A regular file's entry with its content (none above 1 MB). */
async function fileContent(state: SimState, repo: string, path: string, oid: string): Promise<RestResponse> {
  const bytes = (await state.store.blob(oid))!;
  const isLarge = bytes.length > MAX_INLINE_CONTENT;
  return {
    status: 200,
    body: {
      ...contentEntry(state, repo, path, { type: 'file', oid, size: bytes.length }),
      encoding: isLarge ? 'none' : 'base64',
      content: isLarge ? '' : wrappedBase64(bytes),
    },
  };
}

/**
 * A symbolic link, as GitHub documents it: when its target is a regular file of the repository,
 * the answer is that file's content; otherwise an object describing the link (`type: symlink`).
 */
async function symlinkContent(
  state: SimState,
  repo: string,
  commit: string,
  path: string,
  oid: string,
): Promise<RestResponse> {
  const target = (await state.store.blob(oid))!.toString('utf8');
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  const isInside = !target.startsWith('/') && resolved !== '..' && !resolved.startsWith('../');
  const file = isInside ? await state.store.entry(commit, resolved) : undefined;
  if (file?.type === 'blob' && (file.mode === '100644' || file.mode === '100755'))
    return fileContent(state, repo, resolved, file.oid);
  return {
    status: 200,
    body: { ...contentEntry(state, repo, path, { type: 'symlink', oid, size: target.length }), target },
  };
}

async function getBlob(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = repoOf(state, request);
  const sha = request.params.file_sha ?? '';
  const bytes = repo && /^[0-9a-f]{40}$/.test(sha) ? await state.store.blob(sha) : undefined;
  if (!repo || bytes === undefined) return notFound('git/blobs#get-a-blob');
  return {
    status: 200,
    body: {
      sha,
      node_id: `B_${sha}`,
      size: bytes.length,
      url: `${state.baseUrl}/repos/${repo.fullName}/git/blobs/${sha}`,
      content: wrappedBase64(bytes),
      encoding: 'base64',
    },
  };
}

function commentJson(state: SimState, comment: SimState['comments'][number]) {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${state.baseUrl}/repos/${comment.repo}/issues/comments/${comment.id}`,
    html_url: `https://github.test/${comment.repo}/pull/${comment.number}#issuecomment-${comment.id}`,
    issue_url: `${state.baseUrl}/repos/${comment.repo}/issues/${comment.number}`,
    body: comment.body,
    user: userJson(state, comment.login),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.login.endsWith('[bot]') ? 'NONE' : 'CONTRIBUTOR',
  };
}

async function listComments(state: SimState, request: RestRequest): Promise<RestResponse> {
  const pull = pullOf(state, request, 'issue_number');
  if (!pull) return notFound('issues/comments#list-issue-comments');
  const comments = state.comments.filter((c) => c.repo === pull.repo && c.number === pull.number);
  const path = `/repos/${pull.repo}/issues/${pull.number}/comments`;
  const { slice, headers } = paginate(state, path, request.query, comments);
  return { status: 200, body: slice.map((comment) => commentJson(state, comment)), headers };
}

function tooLong(body: string, resource: string): RestResponse | undefined {
  if (body.length <= 65_536) return undefined;
  const error = {
    resource,
    code: 'custom',
    field: 'body',
    message: 'body is too long (maximum is 65536 characters)',
  };
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [error],
      documentation_url: 'https://docs.github.com/rest',
    },
  };
}

async function createComment(state: SimState, request: RestRequest): Promise<RestResponse> {
  const pull = pullOf(state, request, 'issue_number');
  if (!pull) return notFound('issues/comments#create-an-issue-comment');
  if (state.token.permissions.pullRequests !== 'write') {
    return { status: 403, body: basicError(NOT_ACCESSIBLE, 'issues/comments#create-an-issue-comment', 403) };
  }
  const body = String(request.body?.body);
  const refusal = tooLong(body, 'IssueComment');
  if (refusal) return refusal;
  const now = new Date().toISOString();
  const comment = {
    id: state.nextId(),
    repo: pull.repo,
    number: pull.number,
    body,
    login: state.token.login,
    createdAt: now,
    updatedAt: now,
  };
  state.comments.push(comment);
  return { status: 201, body: commentJson(state, comment) };
}

async function updateComment(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = repoOf(state, request);
  const id = Number(request.params.comment_id);
  const comment = repo && state.comments.find((c) => c.repo === repo.fullName && c.id === id);
  if (!comment) return notFound('issues/comments#update-an-issue-comment');
  if (state.token.permissions.pullRequests !== 'write') {
    return { status: 403, body: basicError(NOT_ACCESSIBLE, 'issues/comments#update-an-issue-comment', 403) };
  }
  const body = String(request.body?.body);
  const refusal = tooLong(body, 'IssueComment');
  if (refusal) return refusal;
  comment.body = body;
  comment.updatedAt = new Date().toISOString();
  return { status: 200, body: commentJson(state, comment) };
}

export const restHandlers: Record<string, Handler> = {
  'pulls/list-files': listPullFiles,
  'repos/get-content': getContent,
  'git/get-blob': getBlob,
  'issues/list-comments': listComments,
  'issues/create-comment': createComment,
  'issues/update-comment': updateComment,
};
