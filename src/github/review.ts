/** A pull-request review whose comments carry ```suggestion blocks on exact lines of the diff. */
import { listPullFileEntries } from './changed-files.js';
import type { GitHubContext } from './context.js';
import { apiError, splitRepo } from './context.js';
import type { CommentableLines } from './diff-lines.js';
import { commentableLines, isRangeCommentable } from './diff-lines.js';
import { fencedBlock, inertText } from './markdown.js';
import type { Suggestion, SuggestionReviewResult } from './types.js';

/** What `createSuggestionReview` needs. */
export interface SuggestionReviewRequest {
  repo: string;
  number: number;
  /** The head commit the line numbers refer to. */
  commitId: string;
  suggestions: Suggestion[];
  /** The token's own login: its earlier suggestions are not posted again. */
  login: string;
}

/** Summary shown as the review's body. */
const REVIEW_BODY =
  'ar-mirror mirrored the images below; apply these suggestions to pull them from the mirror, pinned by digest.';

/**
 * Formats one suggestion as a review-comment body: the message made inert (it quotes names and
 * tags from the pull request's files), then the block, fenced longer than any backtick run in the
 * replacement so text holding ``` cannot close it early.
 */
export function formatSuggestionBody(suggestion: Suggestion): string {
  const block = fencedBlock(suggestion.replacement, 'suggestion');
  return suggestion.message === undefined
    ? block
    : `${inertText(suggestion.message, { max: 2000 })}\n\n${block}`;
}

/**
 * Posts the suggestions that GitHub can place (lines inside the PR diff, one hunk per range) as a
 * single COMMENT review on `commitId`; returns the others as `skipped` instead of failing. A
 * suggestion the token's account already left on the same lines with the same text (an earlier
 * run on the same PR) is returned as `existing` and not posted twice.
 */
export async function createSuggestionReview(
  context: GitHubContext,
  request: SuggestionReviewRequest,
): Promise<SuggestionReviewResult> {
  const { repo, number, commitId } = request;
  const lines = await commentableLinesByPath(context, repo, number);
  const earlier = await ownReviewComments(context, request);
  const posted: Suggestion[] = [];
  const existing: Suggestion[] = [];
  const skipped: Suggestion[] = [];
  for (const suggestion of request.suggestions) {
    const fileLines = lines.get(suggestion.path);
    const start = suggestion.startLine ?? suggestion.line;
    const fits = fileLines !== undefined && isRangeCommentable(fileLines, start, suggestion.line);
    if (!fits) skipped.push(suggestion);
    else if (earlier.has(commentKey(suggestion.path, suggestion.line, formatSuggestionBody(suggestion))))
      existing.push(suggestion);
    else posted.push(suggestion);
  }
  if (posted.length === 0) return { reviewId: undefined, posted, existing, skipped };
  try {
    const { data } = await context.octokit.rest.pulls.createReview({
      ...splitRepo(repo),
      pull_number: number,
      commit_id: commitId,
      event: 'COMMENT',
      body: REVIEW_BODY,
      comments: posted.map(toReviewComment),
    });
    return { reviewId: data.id, posted, existing, skipped };
  } catch (err: unknown) {
    throw apiError(`posting ${posted.length} suggestions on ${repo}#${number}`, err);
  }
}

function toReviewComment(suggestion: Suggestion) {
  const isMultiLine = suggestion.startLine !== undefined && suggestion.startLine < suggestion.line;
  return {
    path: suggestion.path,
    line: suggestion.line,
    side: 'RIGHT',
    ...(isMultiLine ? { start_line: suggestion.startLine, start_side: 'RIGHT' } : {}),
    body: formatSuggestionBody(suggestion),
  };
}

async function commentableLinesByPath(
  context: GitHubContext,
  repo: string,
  number: number,
): Promise<Map<string, CommentableLines>> {
  const entries = await listPullFileEntries(context, repo, number);
  return new Map(
    entries
      .filter((entry) => entry.status !== 'removed')
      .map((entry) => [entry.path, commentableLines(entry.patch)]),
  );
}

function commentKey(path: string, line: number | null | undefined, body: string): string {
  return JSON.stringify([path, line ?? null, body]);
}

/** The review comments this token's account already left on the pull request, as path/line/body keys. */
async function ownReviewComments(
  context: GitHubContext,
  request: SuggestionReviewRequest,
): Promise<Set<string>> {
  const { repo, number, login } = request;
  try {
    const comments = await context.octokit.paginate(context.octokit.rest.pulls.listReviewComments, {
      ...splitRepo(repo),
      pull_number: number,
      per_page: 100,
    });
    return new Set(
      comments.filter((c) => c.user?.login === login).map((c) => commentKey(c.path, c.line, c.body)),
    );
  } catch (err: unknown) {
    throw apiError(`listing the review comments of ${repo}#${number}`, err);
  }
}
