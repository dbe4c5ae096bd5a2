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

/** Parses the runner's event; anything but a pull-request event is a clear error. */
export function parseEventContext(env: NodeJS.ProcessEnv, payloadText: string | undefined): EventContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') {
    throw new ConfigError(
      `ar-mirror runs on pull_request (or pull_request_target, report mode only) events, not "${eventName || 'unknown'}"; use the CLI (ar-mirror migrate) elsewhere`,
    );
  }
  const repo = env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new ConfigError('GITHUB_REPOSITORY is not set to owner/name');
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
