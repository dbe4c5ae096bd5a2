/**
 * The mode a run actually uses. Fork pull requests get a read-only token and no OIDC token, so
 * nothing can be copied or written; pull_request_target runs with the base repository's
 * secrets next to untrusted changes, so ar-mirror only reports there. Both say why.
 */
import type { Mode } from '../config.js';
import type { PullRequestEvent } from './event.js';

/** The mode a run uses, and why it differs from the configured one when it does. */
export interface ModeDecision {
  mode: Mode;
  /** Why the configured mode was replaced, for the summary and the log. */
  reason?: string;
}

/**
 * Decides the mode a run uses: the configured one (default `commit`, from Settings), or `report`
 * on a closed pull request (a workflow that also runs on `closed`), on pull_request_target and on
 * fork pull requests, with the reason.
 */
export function decideMode(
  configured: Mode,
  event: PullRequestEvent,
  isFork: boolean,
  isClosed = false,
): ModeDecision {
  if (configured === 'report') return { mode: 'report' };
  if (isClosed) {
    return {
      mode: 'report',
      reason:
        'this pull request is closed: its branch may be merged or gone, so ar-mirror only reports; the scheduled refresh keeps the default branch’s images',
    };
  }
  if (event === 'pull_request_target') {
    return {
      mode: 'report',
      reason:
        "pull_request_target runs with this repository's secrets next to untrusted changes, so ar-mirror only reports there; use the pull_request event to copy and commit",
    };
  }
  if (isFork) {
    return {
      mode: 'report',
      reason:
        'this pull request comes from a fork: its token is read-only and it gets no Google credentials, so ar-mirror only reports; a maintainer can run `ar-mirror migrate` after merging',
    };
  }
  return { mode: configured };
}
