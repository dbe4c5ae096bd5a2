/** File contents at a commit, through the contents API with a blobs-API fallback for big files. */
import type { GitHubContext } from './context.js';
import { apiError, splitRepo, statusOf } from './context.js';

/** Which file to read: `path` in `repo` at `ref` (a commit SHA, branch or tag). */
export interface ReadFileRequest {
  repo: string;
  path: string;
  ref: string;
}

/**
 * Reads a file's text; undefined when the path is missing at `ref` or is not a regular file
 * (a directory, symlink or submodule). Between 1 MB and 100 MB the contents API answers
 * `encoding: "none"` with empty content, so the blob is fetched by its SHA instead
 * (https://docs.github.com/en/rest/repos/contents#get-repository-content).
 */
export async function readFile(
  context: GitHubContext,
  request: ReadFileRequest,
): Promise<string | undefined> {
  const { repo, path, ref } = request;
  const params = splitRepo(repo);
  let data: unknown;
  try {
    ({ data } = await context.octokit.rest.repos.getContent({ ...params, path, ref }));
  } catch (err: unknown) {
    if (statusOf(err) === 404) return undefined;
    throw apiError(`reading ${path} at ${ref} in ${repo}`, err);
  }
  const file = asFileEntry(data);
  if (file === undefined) {
    context.logger.debug(`${path} at ${ref} is not a regular file; skipped`);
    return undefined;
  }
  if (file.encoding === 'base64') return decodeBase64(file.content);
  try {
    const blob = await context.octokit.rest.git.getBlob({ ...params, file_sha: file.sha });
    return blob.data.encoding === 'base64' ? decodeBase64(blob.data.content) : blob.data.content;
  } catch (err: unknown) {
    throw apiError(`reading blob ${file.sha} (${path}) in ${repo}`, err);
  }
}

interface FileEntry {
  sha: string;
  encoding: string;
  content: string;
}

/** The contents API answers an array for directories and other `type`s for links and submodules. */
function asFileEntry(data: unknown): FileEntry | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const entry = data as Record<string, unknown>;
  if (entry.type !== 'file' || typeof entry.sha !== 'string') return undefined;
  return {
    sha: entry.sha,
    encoding: typeof entry.encoding === 'string' ? entry.encoding : 'none',
    content: typeof entry.content === 'string' ? entry.content : '',
  };
}

/** GitHub wraps base64 at 60 columns; Buffer ignores the newlines. */
function decodeBase64(content: string): string {
  return Buffer.from(content, 'base64').toString('utf8');
}
