/**
 * What every GitHub call needs: the one Octokit instance, the logger, and helpers to name
 * repositories and turn Octokit's errors into ours.
 */
import type { getOctokit } from '@actions/github';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { GitHubApiError } from './errors.js';

/** The Octokit instance built by `createGitHubClient` (REST methods, pagination, GraphQL). */
export type Octokit = ReturnType<typeof getOctokit>;

/** Shared state of one client. */
export interface GitHubContext {
  octokit: Octokit;
  logger: Logger;
  /** Absolute GraphQL endpoint, when it is not `${apiUrl}/graphql`. */
  graphqlUrl: string | undefined;
}

/** Splits `owner/name` into Octokit's `{owner, repo}` parameters. */
export function splitRepo(repo: string): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo);
  if (!match) throw new ConfigError(`Invalid repository "${repo}". Expected format owner/name.`);
  return { owner: match[1]!, repo: match[2]! };
}

/** The HTTP status of an Octokit error, or 0 when the request never got an answer. */
export function statusOf(err: unknown): number {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') {
    return err.status;
  }
  return 0;
}

/**
 * Wraps any failure of `action` (a phrase like "reading pull request o/r#1") in a GitHubApiError
 * that keeps the status and the original error as cause.
 */
export function apiError(action: string, err: unknown): GitHubApiError {
  const status = statusOf(err);
  const detail = err instanceof Error ? err.message : String(err);
  const prefix = status === 0 ? '' : `${status} `;
  return new GitHubApiError(`${action}: ${prefix}${detail}`, status, { cause: err });
}

/**
 * Sends a GraphQL document. The object form lets `url` through: the string form refuses `url`
 * among its options, and GITHUB_GRAPHQL_URL must win over `${apiUrl}/graphql` when given.
 */
export function graphqlRequest<T>(
  context: GitHubContext,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  return context.octokit.graphql<T>({
    query,
    ...variables,
    ...(context.graphqlUrl === undefined ? {} : { url: context.graphqlUrl }),
  });
}
