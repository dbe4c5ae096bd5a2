/**
 * `POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews`: GitHub refuses review comments on
 * lines outside the diff. This check reads only the hunk headers (`+start,count` is the head-side
 * range a hunk covers), independently of the client's own line computation.
 */
import { paginate, type RestRequest, type RestResponse } from './rest-handlers.js';
import type { ReviewCommentState, SimState } from './state.js';
import { basicError, resolveRef, userJson } from './state.js';

function hunkRanges(patch: string | undefined): [number, number][] {
  const ranges: [number, number][] = [];
  for (const match of (patch ?? '').matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (count > 0) ranges.push([start, start + count - 1]);
  }
  return ranges;
}

function unresolvable(message: string): RestResponse {
  const error = { resource: 'PullRequestReviewComment', code: 'custom', field: 'line', message };
  return {
    status: 422,
    body: {
      message: 'Unprocessable Entity',
      errors: [error],
      documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
    },
  };
}

/** Creates a review after checking the token, the commit and every comment's line range. */
export async function createReview(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = `${request.params.owner}/${request.params.repo}`;
  const number = Number(request.params.pull_number);
  const pull = state.pulls.find((p) => p.repo === repo && p.number === number);
  const docs = 'pulls/reviews#create-a-review-for-a-pull-request';
  if (!pull)
    return {
      status: 422,
      body: { message: 'Not Found', documentation_url: `https://docs.github.com/rest/${docs}` },
    };
  if (state.token.permissions.pullRequests !== 'write') {
    return { status: 403, body: basicError('Resource not accessible by integration', docs, 403) };
  }
  const body = request.body ?? {};
  const baseSha = (await resolveRef(state, pull.repo, pull.baseRef))!;
  const headSha = (await resolveRef(state, pull.headRepo, pull.headRef))!;
  const commitId = typeof body.commit_id === 'string' ? body.commit_id : headSha;
  if ((await state.store.resolve(commitId)) === undefined)
    return unresolvable('commit_id is not part of the pull request');
  const files = await state.store.diff(baseSha, commitId);
  const comments = (body.comments ?? []) as Record<string, unknown>[];
  for (const comment of comments) {
    const file = files.find((f) => f.path === comment.path);
    const line = Number(comment.line);
    const start = comment.start_line === undefined ? line : Number(comment.start_line);
    const inOneHunk = hunkRanges(file?.patch).some(([first, last]) => first <= start && line <= last);
    if (!inOneHunk || start > line) return unresolvable('Line could not be resolved');
  }
  const review = {
    id: state.nextId(),
    repo,
    number,
    commitId,
    event: String(body.event ?? 'PENDING'),
    body: String(body.body ?? ''),
    login: state.token.login,
    comments: comments.map(
      (c): ReviewCommentState => ({
        path: String(c.path),
        line: Number(c.line),
        ...(c.start_line === undefined ? {} : { startLine: Number(c.start_line) }),
        ...(c.side === undefined ? {} : { side: String(c.side) }),
        body: String(c.body),
      }),
    ),
  };
  state.reviews.push(review);
  const htmlUrl = `https://github.test/${repo}/pull/${number}#pullrequestreview-${review.id}`;
  return {
    status: 200,
    body: {
      id: review.id,
      node_id: `PRR_${review.id}`,
      user: userJson(state, review.login),
      body: review.body,
      state:
        review.event === 'COMMENT' ? 'COMMENTED' : review.event === 'APPROVE' ? 'APPROVED' : review.event,
      html_url: htmlUrl,
      pull_request_url: `${state.baseUrl}/repos/${repo}/pulls/${number}`,
      _links: {
        html: { href: htmlUrl },
        pull_request: { href: `${state.baseUrl}/repos/${repo}/pulls/${number}` },
      },
      submitted_at: new Date().toISOString(),
      commit_id: commitId,
      author_association: 'NONE',
    },
  };
}

/** `GET /repos/{owner}/{repo}/pulls/{pull_number}/comments`: every review comment of the PR, oldest first. */
export async function listReviewComments(state: SimState, request: RestRequest): Promise<RestResponse> {
  const repo = `${request.params.owner}/${request.params.repo}`;
  const number = Number(request.params.pull_number);
  const pull = state.pulls.find((p) => p.repo === repo && p.number === number);
  if (!pull) {
    return {
      status: 404,
      body: basicError('Not Found', 'pulls/comments#list-review-comments-on-a-pull-request', 404),
    };
  }
  const comments = state.reviews
    .filter((review) => review.repo === repo && review.number === number)
    .flatMap((review) =>
      review.comments.map((comment, index) => ({
        id: review.id * 1000 + index,
        pull_request_review_id: review.id,
        commit_id: review.commitId,
        original_commit_id: review.commitId,
        path: comment.path,
        line: comment.line,
        original_line: comment.line,
        start_line: comment.startLine ?? null,
        side: comment.side ?? 'RIGHT',
        body: comment.body,
        user: userJson(state, review.login),
      })),
    );
  const { slice, headers } = paginate(
    state,
    `/repos/${repo}/pulls/${number}/comments`,
    request.query,
    comments,
  );
  return { status: 200, body: slice, headers };
}
