/**
 * A commit's files without a checkout: one recursive tree listing (paths, blob ids, sizes) and
 * blob reads by id, so a file that is the same at two commits is read once.
 * https://docs.github.com/en/rest/git/trees#get-a-tree and
 * https://docs.github.com/en/rest/git/blobs#get-a-blob
 */
import type { GitHubContext } from './context.js';
import { apiError, splitRepo } from './context.js';
import type { RepositoryTree, TreeBlob } from './types.js';

/** Git object ids: SHA-1, or SHA-256 in repositories that use it. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Regular and executable files; 120000 is a symbolic link, 160000 a submodule. */
const FILE_MODES: ReadonlySet<string> = new Set(['100644', '100755']);

/** Lists every regular file of `commit` with one recursive tree request. */
export async function listTree(
  context: GitHubContext,
  repo: string,
  commit: string,
): Promise<RepositoryTree> {
  let data: { tree: unknown[]; truncated: boolean };
  try {
    ({ data } = await context.octokit.rest.git.getTree({
      ...splitRepo(repo),
      tree_sha: commit,
      recursive: '1',
    }));
  } catch (err: unknown) {
    throw apiError(`listing the files of ${repo} at ${commit}`, err);
  }
  const blobs: TreeBlob[] = [];
  for (const entry of Array.isArray(data.tree) ? data.tree : []) {
    const blob = asBlob(entry);
    if (blob) blobs.push(blob);
  }
  return { blobs, isTruncated: data.truncated === true };
}

/** A listing entry as a regular file, or undefined for anything else or anything malformed. */
function asBlob(entry: unknown): TreeBlob | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { path, mode, type, sha, size } = entry as Record<string, unknown>;
  if (type !== 'blob' || typeof mode !== 'string' || !FILE_MODES.has(mode)) return undefined;
  if (typeof path !== 'string' || path.includes('\0')) return undefined;
  // Empty, `.` and `..` segments: an absolute path, a doubled slash, a way out of the repository.
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'))
    return undefined;
  if (typeof sha !== 'string' || !OBJECT_ID.test(sha)) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  return { path, sha, size };
}

/** Reads a blob's bytes by its id; throws GitHubApiError when GitHub does not answer with it. */
export async function readBlob(context: GitHubContext, repo: string, sha: string): Promise<Uint8Array> {
  if (!OBJECT_ID.test(sha)) throw apiError(`reading blob ${sha} in ${repo}`, new Error('not an object id'));
  try {
    const { data } = await context.octokit.rest.git.getBlob({ ...splitRepo(repo), file_sha: sha });
    if (data.encoding === 'base64') return Buffer.from(data.content, 'base64');
    if (data.encoding === 'utf-8') return Buffer.from(data.content, 'utf8');
    throw new Error(`unexpected encoding ${JSON.stringify(String(data.encoding).slice(0, 20))}`);
  } catch (err: unknown) {
    throw apiError(`reading blob ${sha} in ${repo}`, err);
  }
}
