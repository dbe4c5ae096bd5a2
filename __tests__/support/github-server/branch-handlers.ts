/**
 * Repositories and git references: the repository (its default branch), reading, creating and
 * moving a branch ref, and the recursive tree of a commit. Moves are compare-and-swap in the git
 * store, and a move without `force` must be a fast-forward, as on GitHub ("Update is not a fast
 * forward"); creating an existing ref is "Reference already exists".
 */
import type { RestRequest, RestResponse } from './rest-handlers.js';
import type { SimState } from './state.js';
import { basicError, branchRef, repoJson } from './state.js';

const NOT_ACCESSIBLE = 'Resource not accessible by integration';

/** GitHub truncates recursive trees above 100,000 entries; tests lower it to exercise the flag. */
export const TREE_LIMIT = { entries: 100_000 };

function repoOf(state: SimState, request: RestRequest) {
  return state.repos.get(`${request.params.owner}/${request.params.repo}`);
}

function notFound(docs: string): RestResponse {
  return { status: 404, body: basicError('Not Found', docs, 404) };
}

function unprocessable(message: string, docs: string): RestResponse {
  return { status: 422, body: basicError(message, docs, 422) };
}

function refJson(state: SimState, repo: string, ref: string, sha: string) {
  return {
    ref: `refs/${ref}`,
    node_id: `REF_${Buffer.from(`${repo}:${ref}`).toString('base64url')}`,
    url: `${state.baseUrl}/repos/${repo}/git/refs/${ref}`,
    object: { type: 'commit', sha, url: `${state.baseUrl}/repos/${repo}/git/commits/${sha}` },
  };
}

async function getRepo(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = repoOf(state, request);
  if (!repo) return notFound('repos/repos#get-a-repository');
  return { status: 200, body: repoJson(state, repo) };
}

/** Only branch refs (`heads/NAME`) exist in the simulator. */
function branchOf(ref: string): string | undefined {
  return ref.startsWith('heads/') ? ref.slice('heads/'.length) : undefined;
}

async function getRef(state: SimState, request: RestRequest): Promise<RestResponse> {
  const docs = 'git/refs#get-a-reference';
  const repo = repoOf(state, request);
  const branch = branchOf(request.params.ref ?? '');
  const sha =
    repo && branch !== undefined ? await state.store.resolve(branchRef(repo.fullName, branch)) : undefined;
  if (!repo || branch === undefined || sha === undefined) return notFound(docs);
  return { status: 200, body: refJson(state, repo.fullName, `heads/${branch}`, sha) };
}

async function createRef(state: SimState, request: RestRequest): Promise<RestResponse> {
  const docs = 'git/refs#create-a-reference';
  const repo = repoOf(state, request);
  if (!repo) return notFound(docs);
  if (state.token.permissions.contents !== 'write' || repo.isFork)
    return { status: 403, body: basicError(NOT_ACCESSIBLE, docs, 403) };
  const ref = String(request.body?.ref ?? '');
  const sha = String(request.body?.sha ?? '');
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  if (branch === undefined || branch === '')
    return unprocessable('Reference name must start with refs/heads/ here', docs);
  if ((await state.store.resolve(sha)) === undefined) return unprocessable('Object does not exist', docs);
  if (!(await state.store.compareAndSwap(branchRef(repo.fullName, branch), sha, undefined)))
    return unprocessable('Reference already exists', docs);
  return { status: 201, body: refJson(state, repo.fullName, `heads/${branch}`, sha) };
}

async function updateRef(state: SimState, request: RestRequest): Promise<RestResponse> {
  const docs = 'git/refs#update-a-reference';
  const repo = repoOf(state, request);
  const branch = branchOf(request.params.ref ?? '');
  if (!repo || branch === undefined) return notFound(docs);
  if (state.token.permissions.contents !== 'write' || repo.isFork)
    return { status: 403, body: basicError(NOT_ACCESSIBLE, docs, 403) };
  const ref = branchRef(repo.fullName, branch);
  const current = await state.store.resolve(ref);
  const sha = String(request.body?.sha ?? '');
  if (current === undefined) return unprocessable('Reference does not exist', docs);
  if ((await state.store.resolve(sha)) === undefined) return unprocessable('Object does not exist', docs);
  const isAncestor =
    (await state.store.git(['merge-base', '--is-ancestor', current, sha], { allowFail: true })).code === 0;
  if (request.body?.force !== true && !isAncestor) return unprocessable('Update is not a fast forward', docs);
  if (!(await state.store.compareAndSwap(ref, sha, current)))
    return unprocessable('Reference cannot be updated', docs);
  return { status: 200, body: refJson(state, repo.fullName, `heads/${branch}`, sha) };
}

/** A commit's tree, parents and message, as `git/get-commit` shows them. */
async function getCommit(state: SimState, request: RestRequest): Promise<RestResponse> {
  const docs = 'git/commits#get-a-commit-object';
  const repo = repoOf(state, request);
  const sha = request.params.commit_sha ?? '';
  if (!repo || !/^[0-9a-f]{40}$/.test(sha) || (await state.store.resolve(sha)) !== sha) return notFound(docs);
  const out = await state.store.git(['show', '-s', '--format=%T%n%P%n%an%n%ae%n%aI%n%cn%n%ce%n%cI%n%B', sha]);
  const [tree, parents, an, ae, ad, cn, ce, cd, ...message] = out.stdout.toString('utf8').split('\n');
  const base = `${state.baseUrl}/repos/${repo.fullName}/git`;
  return {
    status: 200,
    body: {
      sha,
      node_id: `C_${sha}`,
      url: `${base}/commits/${sha}`,
      html_url: `https://github.test/${repo.fullName}/commit/${sha}`,
      author: { name: an, email: ae, date: ad },
      committer: { name: cn, email: ce, date: cd },
      tree: { sha: tree, url: `${base}/trees/${tree}` },
      message: message.join('\n').replace(/\n+$/, ''),
      parents: (parents ?? '')
        .split(' ')
        .filter(Boolean)
        .map((parent) => ({
          sha: parent,
          url: `${base}/commits/${parent}`,
          html_url: `https://github.test/${repo.fullName}/commit/${parent}`,
        })),
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
  };
}

/** `tree_sha` may be a tree or commit id, or a branch name; `recursive` lists every entry. */
async function getTree(state: SimState, request: RestRequest): Promise<RestResponse> {
  const docs = 'git/trees#get-a-tree';
  const repo = repoOf(state, request);
  const name = request.params.tree_sha ?? '';
  const byBranch = repo ? await state.store.resolve(branchRef(repo.fullName, name)) : undefined;
  const object = byBranch ?? (/^[0-9a-f]{40}$/.test(name) ? name : undefined);
  if (!repo || object === undefined) return notFound(docs);
  const tree = await state.store.git(['rev-parse', '--verify', '--quiet', `${object}^{tree}`], {
    allowFail: true,
  });
  if (tree.code !== 0) return notFound(docs);
  const sha = tree.stdout.toString().trim();
  const recursive = request.query.get('recursive') !== null;
  const out = await state.store.git(['ls-tree', '-z', '--long', ...(recursive ? ['-r', '-t'] : []), sha]);
  const entries = out.stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const [meta, path] = record.split('\t') as [string, string];
      const [mode, type, oid, size] = meta.split(/\s+/) as [string, string, string, string];
      return {
        path,
        mode,
        type,
        sha: oid,
        ...(type === 'blob' ? { size: Number(size) } : {}),
        url: `${state.baseUrl}/repos/${repo.fullName}/git/${type === 'tree' ? 'trees' : 'blobs'}/${oid}`,
      };
    });
  const truncated = entries.length > TREE_LIMIT.entries;
  return {
    status: 200,
    body: {
      sha,
      url: `${state.baseUrl}/repos/${repo.fullName}/git/trees/${sha}`,
      tree: entries.slice(0, TREE_LIMIT.entries),
      truncated,
    },
  };
}

export const branchHandlers = {
  'repos/get': getRepo,
  'git/get-ref': getRef,
  'git/create-ref': createRef,
  'git/update-ref': updateRef,
  'git/get-tree': getTree,
  'git/get-commit': getCommit,
};
