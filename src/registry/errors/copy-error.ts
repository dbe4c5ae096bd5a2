import { errorMessage, MirrorError } from '../../errors.js';

/** A copy failed; the message reads `copying SRC → DST: <step>: <cause>`. */
export class CopyError extends MirrorError {
  constructor(
    readonly source: string,
    readonly destination: string,
    cause: unknown,
  ) {
    super(`copying ${source} → ${destination}: ${errorMessage(cause)}`, { cause });
  }
}
