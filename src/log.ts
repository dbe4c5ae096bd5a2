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
  /** Registers a secret so that it is masked wherever it would be printed. */
  secret(value: string): void;
  readonly isDebug: boolean;
}

/** A logger that drops everything: the default for library calls and tests that do not look. */
export const silentLogger: Logger = {
  group: (_name, fn) => fn(),
  info: () => {},
  debug: () => {},
  warning: () => {},
  secret: () => {},
  isDebug: false,
};

/**
 * A logger writing to a stream (stderr for the CLI, so stdout stays machine-readable).
 * Registered secrets are replaced by `***` in every line, as the Actions runner does.
 */
export function createStreamLogger(options: { write: (line: string) => void; debug?: boolean }): Logger {
  const secrets = new Set<string>();
  const mask = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
  const emit = (prefix: string, message: string) => options.write(`${prefix}${mask(message)}\n`);
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
    secret: (value) => {
      // Masking very short values would garble unrelated output without protecting anything.
      if (value.length >= 4) secrets.add(value);
    },
    isDebug: options.debug ?? false,
  };
}
