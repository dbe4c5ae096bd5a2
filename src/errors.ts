/**
 * Error classes shared by every stage. Each adds what the user needs to act: the input, file,
 * image or request it concerns. Secrets never go into a message.
 */

/** Base class of every error ar-mirror raises on purpose. */
export class MirrorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A setting (action input, CLI flag or config-file key) is invalid; the message names it. */
export class ConfigError extends MirrorError {}

/** A reference is not valid by the distribution/reference grammar; the message quotes it. */
export class InvalidReferenceError extends MirrorError {
  constructor(
    readonly raw: string,
    reason: string,
  ) {
    super(`invalid image reference "${truncate(raw, 200)}": ${reason}`);
  }
}

/** Returns the message of anything thrown, without assuming it is an Error. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** `text` cut to `max` characters, with `…` when something was cut (for quoting input in messages). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
