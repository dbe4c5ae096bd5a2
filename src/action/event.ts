/**
 * What the workflow run is about, from the runner's environment: the event, the repository and
 * the pull request number. The payload file is read by main.ts and handed in as text.
 */
import { ConfigError } from '../errors.js';

/** The events ar-mirror runs on. */
export type PullRequestEvent = 'pull_request' | 'pull_request_target';

/** The pull request a run is about, from the runner's environment and event payload. */
export interface EventContext {
  eventName: PullRequestEvent;
  /** `owner/name` of the repository the workflow runs in. */
  repo: string;
  number: number;
  /** True when the payload says the head branch lives in another repository. */
  isFork: boolean;
}

/** The events that run the scheduled refresh instead of the pull-request pipeline. */
export type RefreshEvent = 'schedule' | 'workflow_dispatch';

/** True when the workflow runs for a schedule or a manual dispatch: a refresh of the default branch. */
export function isRefreshEvent(eventName: string | undefined): eventName is RefreshEvent {
  return eventName === 'schedule' || eventName === 'workflow_dispatch';
}

/** `owner/name` from GITHUB_REPOSITORY; a clear error when it is not set that way. */
export function repositoryOf(env: NodeJS.ProcessEnv): string {
  const repo = env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new ConfigError('GITHUB_REPOSITORY is not set to owner/name');
  return repo;
}

/** Parses the runner's event; anything but a pull-request event is a clear error. */
export function parseEventContext(env: NodeJS.ProcessEnv, payloadText: string | undefined): EventContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') {
    throw new ConfigError(
      `ar-mirror runs on pull_request (or pull_request_target, report mode only) events, and refreshes on schedule and workflow_dispatch, not on "${eventName || 'unknown'}"; use the CLI (ar-mirror migrate, ar-mirror refresh) elsewhere`,
    );
  }
  const repo = repositoryOf(env);
  let payload: { pull_request?: { number?: unknown; head?: { repo?: { full_name?: unknown } | null } } };
  try {
    payload = JSON.parse(payloadText ?? '{}');
  } catch {
    throw new ConfigError('the event payload (GITHUB_EVENT_PATH) is not valid JSON');
  }
  const number = payload.pull_request?.number;
  if (typeof number !== 'number') throw new ConfigError('the event payload has no pull_request.number');
  const headRepo = payload.pull_request?.head?.repo?.full_name;
  return { eventName, repo, number, isFork: headRepo !== repo };
}
