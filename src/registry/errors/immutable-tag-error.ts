import { MirrorError } from '../../errors.js';

/** The destination tag names another image and the repository does not let tags move. */
export class ImmutableTagError extends MirrorError {
  constructor(
    readonly tag: string,
    readonly existing: string,
    readonly wanted: string,
  ) {
    super(
      `tag ${tag} already points at ${existing} and the repository has immutable tags; ` +
        `the source is ${wanted}: mirror it under a new tag, or delete the old tag first`,
    );
  }
}
