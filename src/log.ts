import { processSecrets, type Redactor } from './secrets.js';
import { escapeControl } from './text/escape.js';

/**
 * The one logging seam. Library code takes a Logger; only main.ts builds the `@actions/core`
 * one and only cli.ts builds the console one, so nothing below them imports `@actions/core`.
 */
export interface Logger {
  /** Runs `fn` inside a collapsible group (a heading on the console). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  info(message: string): void;
  /** Only emitted when debugging is on; callers check `isDebug` before building costly lines. */
  debug(message: string): void;
  warning(message: string): void;
  /**
   * Registers a secret so that it is masked wherever it would be printed: every implementation
   * adds it to `processSecrets` (src/secrets.ts), which every egress redacts with.
   */
  secret(value: string): void;
  readonly isDebug: boolean;
}

/**
 * A logger that drops everything: the default for library calls and tests that do not look.
 * Its secrets still reach `processSecrets`: a silent component's token must not show elsewhere.
 */
export const silentLogger: Logger = {
  group: (_name, fn) => fn(),
  info: () => {},
  debug: () => {},
  warning: () => {},
  secret: (value) => processSecrets.add(value),
  isDebug: false,
};

/** Options of createStreamLogger. */
export interface StreamLoggerOptions {
  /** Receives each finished line, newline included. */
  write: (line: string) => void;
  /** Emit debug lines. Default: false. */
  debug?: boolean;
  /** Where secrets are registered and masked. Default: processSecrets. */
  redactor?: Redactor;
}

/**
 * A logger writing to a stream (stderr for the CLI, so stdout stays machine-readable). Every
 * form of every registered secret becomes `***`, and control characters in a message (a file or
 * image name with a newline or an escape sequence) are shown escaped, so each message stays the
 * one line it was meant to be.
 */
export function createStreamLogger(options: StreamLoggerOptions): Logger {
  const redactor = options.redactor ?? processSecrets;
  const emit = (prefix: string, message: string) =>
    options.write(`${prefix}${escapeControl(redactor.redact(message))}\n`);
  return {
    async group(name, fn) {
      emit('', `${name}`);
      return fn();
    },
    info: (message) => emit('', message),
    debug: (message) => {
      if (options.debug) emit('debug: ', message);
    },
    warning: (message) => emit('warning: ', message),
    secret: (value) => redactor.add(value),
    isDebug: options.debug ?? false,
  };
}
