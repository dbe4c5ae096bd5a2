/**
 * What the simulated GitHub knows besides git objects: repositories, pull requests, comments,
 * reviews and the token. Plain data, owned by the server.
 */
import type { GitStore } from './git-store.js';

/** Permissions of the simulated token, as the workflow's `permissions:` would grant them. */
export interface TokenPermissions {
  /** `write` lets GraphQL commits through. Default: 'write'. */
  contents: 'read' | 'write';
  /** `write` lets comments and reviews through. Default: 'write'. */
  pullRequests: 'read' | 'write';
  /** GITHUB_TOKEN never has it; a PAT with the `workflow` scope does. Default: false. */
  workflows: boolean;
}

/** The one token the server accepts. */
export interface TokenState {
  value: string;
  /** The token's own login, as GraphQL `viewer` and comment authors show it. Default: 'github-actions[bot]'. */
  login: string;
  permissions: TokenPermissions;
}

/** A simulated repository; its branches live in the shared git store under `refs/repos/<owner>/<name>/heads/`. */
export interface RepoState {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  /** True for a fork created as the head of a fork PR: the token cannot write to it. */
  isFork: boolean;
}

/** A pull request between two branches. */
export interface PullState {
  id: number;
  number: number;
  repo: string;
  baseRef: string;
  headRepo: string;
  headRef: string;
  author: string;
  title: string;
  /** Default: null (no description). */
  body: string | null;
  state: 'open' | 'closed';
  merged: boolean;
  /** When it was merged (ISO 8601). Default: absent (not merged). */
  mergedAt?: string;
  /** The commit the merge wrote on the base branch. Default: absent. */
  mergeCommitSha?: string;
  /**
   * The head commit when the head branch was deleted, or the one a merged pull request was merged
   * at (later pushes to the branch do not change it). Default: absent.
   */
  lastHeadSha?: string;
}

/** An issue comment on a pull request. */
export interface CommentState {
  id: number;
  repo: string;
  number: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

/** One comment of a review, as posted. */
export interface ReviewCommentState {
  path: string;
  line: number;
  startLine?: number;
  side?: string;
  body: string;
}

/** A submitted pull-request review. */
export interface ReviewState {
  id: number;
  repo: string;
  number: number;
  commitId: string;
  event: string;
  body: string;
  login: string;
  comments: ReviewCommentState[];
}

/** Everything the handlers read and change. */
export interface SimState {
  store: GitStore;
  baseUrl: string;
  token: TokenState;
  repos: Map<string, RepoState>;
  pulls: PullState[];
  comments: CommentState[];
  reviews: ReviewState[];
  nextId: () => number;
}

/** The ref holding `branch` of `repo`. */
export function branchRef(repo: string, branch: string): string {
  return `refs/repos/${repo}/heads/${branch}`;
}

/** Resolves a ref name (branch or full commit id) in `repo` to a commit id. */
export async function resolveRef(state: SimState, repo: string, ref: string): Promise<string | undefined> {
  const byBranch = await state.store.resolve(branchRef(repo, ref));
  if (byBranch !== undefined) return byBranch;
  return /^[0-9a-f]{40}$/.test(ref) ? state.store.resolve(ref) : undefined;
}

/** GitHub's user object fields the simulator fills in; the schema filler adds the rest. */
export function userJson(state: SimState, login: string): Record<string, unknown> {
  const isBot = login.endsWith('[bot]');
  return {
    login,
    id: loginId(login),
    node_id: `U_${loginId(login)}`,
    type: isBot ? 'Bot' : 'User',
    site_admin: false,
    url: `${state.baseUrl}/users/${encodeURIComponent(login)}`,
    html_url: `https://github.test/${encodeURIComponent(login)}`,
    avatar_url: `https://avatars.github.test/u/${loginId(login)}`,
  };
}

function loginId(login: string): number {
  let hash = 7;
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash;
}

/** GitHub's repository object fields the simulator fills in. */
export function repoJson(state: SimState, repo: RepoState): Record<string, unknown> {
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    owner: userJson(state, repo.owner),
    private: false,
    fork: repo.isFork,
    default_branch: repo.defaultBranch,
    url: `${state.baseUrl}/repos/${repo.fullName}`,
    html_url: `https://github.test/${repo.fullName}`,
  };
}

/** The error body GitHub sends with 4xx answers. */
export function basicError(message: string, docs: string, status: number): Record<string, unknown> {
  return { message, documentation_url: `https://docs.github.com/rest/${docs}`, status: String(status) };
}
