/** The Logger backed by `@actions/core`: groups fold in the log, secrets are masked by the runner. */
import * as core from '@actions/core';
import type { Logger } from '../log.js';

/** Creates the action's Logger: groups, info, debug (shown when the runner's debug logging is on), warnings and masking through core. */
export function createCoreLogger(): Logger {
  return {
    group: (name, fn) => core.group(name, fn),
    info: (message) => core.info(message),
    debug: (message) => core.debug(message),
    warning: (message) => core.warning(message),
    secret: (value) => core.setSecret(value),
    isDebug: core.isDebug(),
  };
}
