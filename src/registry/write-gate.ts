/**
 * The line between reading and writing in one copy. Blob transfers start while the source is
 * still being resolved (their destination HEADs and source GETs are reads), but nothing is
 * written to the destination (no mount, no upload session, no PUT) until the whole copy is
 * resolved and within its limits: then the gate opens. A copy that fails, while resolving or
 * pushing, closes it, and every transfer that has not written yet stops before its first write.
 */
import { MirrorError } from '../errors.js';

/** A transfer stopped before writing because its copy failed; the copy reports the first real failure. */
export class WritesCancelledError extends MirrorError {}

/** A copy's write gate. */
export interface WriteGate {
  /** Resolves once writes may start; rejects with WritesCancelledError once the gate is closed. */
  ready(): Promise<void>;
  /** Throws WritesCancelledError when the gate is closed; otherwise returns at once. */
  check(): void;
  /** Lets writes start. Idempotent; a closed gate stays closed. */
  open(): void;
  /** Stops every write not yet started, remembering the first `reason`. */
  close(reason: unknown): void;
  /** The first reason the gate was closed for, if it was. */
  readonly failure: { reason: unknown } | undefined;
}

/** Creates a closed-until-opened gate. */
export function createWriteGate(): WriteGate {
  let failure: { reason: unknown } | undefined;
  let opened = false;
  let settle: { resolve: () => void; reject: (err: unknown) => void } | undefined;
  const waiting = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may be waiting when it is closed.
  waiting.catch(() => {});
  const cancelled = () =>
    new WritesCancelledError('the copy failed before this blob was written', { cause: failure?.reason });
  return {
    ready: () => (failure ? Promise.reject(cancelled()) : opened ? Promise.resolve() : waiting),
    check() {
      if (failure) throw cancelled();
    },
    open() {
      if (opened || failure) return;
      opened = true;
      settle?.resolve();
    },
    close(reason) {
      if (failure) return;
      failure = { reason };
      settle?.reject(cancelled());
    },
    get failure() {
      return failure;
    },
  };
}
