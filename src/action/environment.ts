/** The outside world the action runs in, passed to every step (a type only, so steps never import the orchestrator). */
import type { Settings } from '../config.js';
import type { GitHubClient } from '../github/types.js';
import type { Logger } from '../log.js';
import type { Copier } from '../mirror/copier.js';
import type { EventContext } from './event.js';
import type { ActionInputs } from './inputs.js';

/** What the action needs from the outside world. */
export interface ActionEnvironment {
  github: GitHubClient;
  event: EventContext;
  inputs: ActionInputs;
  logger: Logger;
  /** Builds the copier once settings are known (keychain, plain-HTTP hosts, Artifact Registry API). */
  createCopier(settings: Settings): Copier;
  /** Milliseconds clock for the timing table. Default: Date.now. */
  now?: () => number;
}
