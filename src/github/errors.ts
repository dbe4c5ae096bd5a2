/**
 * Errors raised by the GitHub client. Each names the repository, branch or request it concerns
 * and never carries the token (Octokit's own errors redact the Authorization header; we only
 * copy their message and status).
 */
import { MirrorError } from '../errors.js';

/** A GitHub API request failed; `status` is the HTTP status (0 when none was received). */
export class GitHubApiError extends MirrorError {
  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The pull-request branch no longer points at the commit the run scanned (someone pushed meanwhile),
 * so `createCommitOnBranch` refused the commit. Never force: re-read the branch and decide again.
 */
export class BranchMovedError extends MirrorError {
  constructor(
    readonly repo: string,
    readonly branch: string,
    readonly expectedHeadOid: string,
    options?: { cause?: unknown },
  ) {
    super(
      `branch "${branch}" of ${repo} moved: it no longer points at ${expectedHeadOid.slice(0, 12)}, the commit that was scanned`,
      options,
    );
  }
}

/**
 * The token may not change files under `.github/workflows/` (it lacks the `workflows` permission;
 * GITHUB_TOKEN can never have it). `paths` lists the workflow files of the refused change.
 */
export class WorkflowPermissionError extends MirrorError {
  constructor(
    readonly repo: string,
    readonly paths: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `GitHub refused to change ${paths.join(', ')} in ${repo}: the token lacks the "workflows" permission`,
      options,
    );
  }
}
