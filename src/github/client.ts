/**
 * `createGitHubClient()`: the one GitHub client of ar-mirror, built on `@actions/github`'s
 * `getOctokit` (which honours GITHUB_API_URL and proxies) plus the retry and throttling plugins.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { processSecrets } from '../secrets.js';
import { listChangedFiles } from './changed-files.js';
import { readStickyComment, upsertStickyComment } from './comment.js';
import { commitFiles } from './commit.js';
import { findMergeBase } from './compare.js';
import { readFile } from './contents.js';
import type { GitHubContext } from './context.js';
import { apiError, graphqlRequest, splitRepo } from './context.js';
import { createSuggestionReview } from './review.js';
import { listTree, readBlob } from './tree.js';
import type { CommitRequest, GitHubClient, PullRequestInfo, Suggestion } from './types.js';

/** Options of `createGitHubClient`. */
export interface GitHubClientOptions {
  /** The token (GITHUB_TOKEN, an App token or a PAT). Registered with `logger.secret` first. */
  token: string;
  /** REST base URL. Default: GITHUB_API_URL, else https://api.github.com. */
  apiUrl?: string;
  /** GraphQL endpoint. Default: `${apiUrl}/graphql` (Octokit maps GHES's `/api/v3` to `/api/graphql`). */
  graphqlUrl?: string;
  /** Where request lines and rate-limit warnings go. Default: silentLogger. */
  logger?: Logger;
  /** The fetch implementation. Default: @actions/github's proxy-aware fetch. */
  fetch?: typeof fetch;
  /** Retries of a failed request (5xx, network). Default: 3. */
  retries?: number;
  /** Unit of the retry back-off ((n+1)² × this, in ms). Default: 1000. */
  retryBaseMs?: number;
  /**
   * Space out writes as GitHub asks (1 s between writes, 3 s between comments) and wait out rate
   * limits once. Default: true. Tests against a local server turn it off.
   */
  throttle?: boolean;
}

/** Builds the GitHub client; the token is masked before anything can print it. */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  return bindGitHubClient(createGitHubContext(options));
}

/**
 * The Octokit instance and logger every GitHub call of a run shares (createGitHubClient and
 * createRepositoryClient take it); the token is masked first.
 */
export function createGitHubContext(options: GitHubClientOptions): GitHubContext {
  const logger = options.logger ?? silentLogger;
  logger.secret(options.token);
  const octokit = getOctokit(
    options.token,
    {
      ...(options.apiUrl === undefined ? {} : { baseUrl: options.apiUrl.replace(/\/+$/, '') }),
      ...(options.fetch === undefined ? {} : { request: { fetch: options.fetch } }),
      log: {
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warning(message),
        error: (message: string) => logger.warning(message),
      },
      retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
      throttle: {
        enabled: options.throttle ?? true,
        onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
          logger.warning(`GitHub rate limit reached; retrying in ${retryAfter} s`);
          return retryCount < 1;
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          _options: unknown,
          _octokit: unknown,
          retryCount: number,
        ) => {
          logger.warning(`GitHub secondary rate limit reached; retrying in ${retryAfter} s`);
          return retryCount < 1;
        },
      },
    },
    retry,
    throttling,
  );
  return { octokit, logger, graphqlUrl: options.graphqlUrl };
}

/** The pull-request client over a shared context. */
export function bindGitHubClient(context: GitHubContext): GitHubClient {
  let login: Promise<string> | undefined;
  const viewerLogin = (): Promise<string> => {
    login ??= fetchViewerLogin(context).catch((err: unknown) => {
      login = undefined; // a failed lookup may be retried later
      throw err;
    });
    return login;
  };
  return {
    getPullRequest: (repo, number) => getPullRequest(context, repo, number),
    listChangedFiles: (repo, number) => listChangedFiles(context, repo, number),
    readFile: (repo, path, ref) => readFile(context, { repo, path, ref }),
    commitFiles: (request) => commitFiles(context, redactCommit(request)),
    viewerLogin,
    readStickyComment: async (repo, number, marker) =>
      readStickyComment(context, { repo, number, marker, login: await viewerLogin() }),
    upsertStickyComment: async (repo, number, marker, body) =>
      upsertStickyComment(context, { repo, number, marker, body: redact(body), login: await viewerLogin() }),
    createSuggestionReview: async (repo, number, commitId, suggestions) =>
      createSuggestionReview(context, {
        repo,
        number,
        commitId,
        suggestions: suggestions.map(redactSuggestion),
        login: await viewerLogin(),
      }),
    mergeBase: (repo, base, head) => findMergeBase(context, repo, base, head),
    listTree: (repo, commit) => listTree(context, repo, commit),
    readBlob: (repo, sha) => readBlob(context, repo, sha),
  };
}

// The client's write methods are the one place text reaches GitHub, where the runner's masking
// does not apply: every prose field is redacted here. File contents and suggested replacements are
// left as they are: they are the rewritten files, and changing them would change the files.
const redact = (text: string) => processSecrets.redact(text);

function redactCommit(request: CommitRequest): CommitRequest {
  const { body, ...rest } = request;
  return {
    ...rest,
    headline: redact(request.headline),
    ...(body === undefined ? {} : { body: redact(body) }),
  };
}

function redactSuggestion(suggestion: Suggestion): Suggestion {
  const { message } = suggestion;
  return message === undefined ? suggestion : { ...suggestion, message: redact(message) };
}

async function getPullRequest(
  context: GitHubContext,
  repo: string,
  number: number,
): Promise<PullRequestInfo> {
  try {
    const { data } = await context.octokit.rest.pulls.get({ ...splitRepo(repo), pull_number: number });
    const headRepo = data.head.repo?.full_name;
    return {
      number: data.number,
      state: data.state === 'open' ? 'open' : 'closed',
      baseRef: data.base.ref,
      baseSha: data.base.sha,
      headRef: data.head.ref,
      headSha: data.head.sha,
      baseRepo: data.base.repo.full_name,
      headRepo,
      isFork: headRepo === undefined || headRepo.toLowerCase() !== data.base.repo.full_name.toLowerCase(),
      changedFiles: data.changed_files,
    };
  } catch (err: unknown) {
    throw apiError(`reading pull request ${repo}#${number}`, err);
  }
}

/**
 * GraphQL `viewer` works for every token kind; REST `GET /user` answers 403 "Resource not
 * accessible by integration" for GITHUB_TOKEN and App installation tokens.
 */
async function fetchViewerLogin(context: GitHubContext): Promise<string> {
  try {
    const data = await graphqlRequest<{ viewer: { login: string } }>(
      context,
      'query ArMirrorViewer { viewer { login } }',
    );
    return data.viewer.login;
  } catch (err: unknown) {
    throw apiError('reading the login of the token', err);
  }
}
