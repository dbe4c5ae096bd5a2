/**
 * The Logger backed by `@actions/core`. Every message is redacted by us (the runner's masking
 * stops working once a `::stop-commands::` got through, and it never sees the comment), and
 * plain log lines are escaped so outside text can never start a workflow command.
 */
import * as core from '@actions/core';
import type { Logger } from '../log.js';
import { processSecrets, type Redactor, secretForms } from '../secrets.js';
import { escapeWorkflowLine } from '../text/escape.js';

/** The action's Logger, which also counts the warnings it printed (they use up annotation slots). */
export interface CoreLogger extends Logger {
  /** Warnings printed so far: each is an annotation of the step, like the findings. */
  readonly warningCount: number;
}

/**
 * Creates the action's Logger: groups, info, debug (shown when the runner's debug logging is on),
 * warnings, and masking of every form of each secret, both by the runner (`core.setSecret`) and
 * by `redactor`. Default redactor: processSecrets.
 */
export function createCoreLogger(redactor: Redactor = processSecrets): CoreLogger {
  const clean = (message: string) => redactor.redact(message);
  // What the runner already masks: it masks every occurrence, so a form holding one of these
  // (`user:password` once the password is known) needs no `::add-mask::` line of its own.
  const told: string[] = [];
  const tell = (form: string) => {
    if (told.some((known) => form.includes(known))) return;
    told.push(form);
    core.setSecret(form);
  };
  let warningCount = 0;
  return {
    // core escapes the data of `::group::`, `::debug::` and `::warning::` itself (CR, LF, %);
    // `core.info` writes the line raw, so only it needs our escaping.
    group: (name, fn) => core.group(clean(name), fn),
    info: (message) => core.info(escapeWorkflowLine(clean(message))),
    debug: (message) => core.debug(clean(message)),
    warning: (message) => {
      warningCount += 1;
      core.warning(clean(message));
    },
    secret: (value) => {
      redactor.add(value);
      for (const form of secretForms(value)) tell(form);
    },
    isDebug: core.isDebug(),
    get warningCount() {
      return warningCount;
    },
  };
}
