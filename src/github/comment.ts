/** The one sticky pull-request comment, found by its hidden marker and its author. */
import type { GitHubContext } from './context.js';
import { apiError, splitRepo } from './context.js';
import type { StickyCommentResult } from './types.js';

/** GitHub rejects issue-comment bodies longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Comments read before giving up the search (100 per page); bounds the loop on huge threads. */
const MAX_COMMENT_PAGES = 50;

/** What `upsertStickyComment` needs; `login` is the token's own login. */
export interface StickyCommentRequest {
  repo: string;
  number: number;
  marker: string;
  body: string;
  login: string;
}

/**
 * Puts `marker` first and cuts the body so the whole comment fits GitHub's 65,536-character limit,
 * ending with a note that says so. Cuts at a line end when one is near, so a table row is never
 * half-shown.
 */
export function composeCommentBody(marker: string, body: string, max = MAX_COMMENT_LENGTH): string {
  const full = `${marker}\n${body}`;
  if (full.length <= max) return full;
  const note =
    '\n\n_The rest of this report was cut to fit GitHub’s comment size limit; see the job summary._';
  let cut = full.slice(0, max - note.length);
  const lineEnd = cut.lastIndexOf('\n');
  if (lineEnd > marker.length && cut.length - lineEnd < 2000) cut = cut.slice(0, lineEnd);
  return `${cut}${note}`;
}

/**
 * Updates the comment that holds `marker` and was written by `login`, or creates it. Only the
 * token's own comments count, so anyone can quote the marker without hijacking the report.
 */
export async function upsertStickyComment(
  context: GitHubContext,
  request: StickyCommentRequest,
): Promise<StickyCommentResult> {
  const { repo, number, marker, login } = request;
  const params = splitRepo(repo);
  const body = composeCommentBody(marker, request.body);
  const existing = await findStickyComment(context, request);
  try {
    if (existing === undefined) {
      const { data } = await context.octokit.rest.issues.createComment({
        ...params,
        issue_number: number,
        body,
      });
      return { id: data.id, url: data.html_url, action: 'created' };
    }
    if (existing.body === body) return { id: existing.id, url: existing.url, action: 'unchanged' };
    const { data } = await context.octokit.rest.issues.updateComment({
      ...params,
      comment_id: existing.id,
      body,
    });
    return { id: data.id, url: data.html_url, action: 'updated' };
  } catch (err: unknown) {
    throw apiError(`writing the ${marker} comment on ${repo}#${number} as ${login}`, err);
  }
}

/**
 * The body of the comment that holds `marker` and was written by `login`, or undefined. Comments
 * by anyone else are never read as ar-mirror's, so nobody can plant a record.
 */
export async function readStickyComment(
  context: GitHubContext,
  request: Omit<StickyCommentRequest, 'body'>,
): Promise<string | undefined> {
  return (await findStickyComment(context, request))?.body;
}

interface ExistingComment {
  id: number;
  url: string;
  body: string;
}

async function findStickyComment(
  context: GitHubContext,
  request: Omit<StickyCommentRequest, 'body'>,
): Promise<ExistingComment | undefined> {
  const { repo, number, marker, login } = request;
  try {
    const pages = context.octokit.paginate.iterator(context.octokit.rest.issues.listComments, {
      ...splitRepo(repo),
      issue_number: number,
      per_page: 100,
    });
    let pageCount = 0;
    for await (const page of pages) {
      const found = page.data.find(
        (comment) => comment.user?.login === login && comment.body?.includes(marker),
      );
      if (found) return { id: found.id, url: found.html_url, body: found.body ?? '' };
      pageCount += 1;
      if (pageCount >= MAX_COMMENT_PAGES) break;
    }
  } catch (err: unknown) {
    throw apiError(`listing the comments of ${repo}#${number}`, err);
  }
  return undefined;
}
