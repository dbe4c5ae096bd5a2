import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { MirrorError } from '../errors.js';

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const VERIFIER_BUFFER = 1 << 20;

/** Content whose digest or size is not what was asked for. */
export class DigestMismatchError extends MirrorError {}

/**
 * A pass-through stream that hashes what flows through and fails instead of ending when the
 * sha256 or size differs from `expected`. It holds back the last chunk until it has checked,
 * so an upload fed from it never receives all its bytes and the registry never commits a wrong
 * blob. `onBytes` reports progress.
 */
export function createDigestVerifier(
  expected: { digest: string; size?: number },
  onBytes?: (n: number) => void,
): Transform {
  if (!expected.digest.startsWith('sha256:')) {
    throw new MirrorError(`unsupported digest algorithm in ${expected.digest}: only sha256 is verified`);
  }
  const hash = createHash('sha256');
  let held: Buffer | undefined;
  let size = 0;
  return new Transform({
    // Registry sockets deliver 64 KiB chunks; a 16 KiB buffer would pause and resume the source
    // on nearly every chunk.
    highWaterMark: VERIFIER_BUFFER,
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      size += chunk.length;
      onBytes?.(chunk.length);
      const previous = held;
      held = chunk;
      callback(null, previous);
    },
    flush(callback: TransformCallback) {
      const actual = `sha256:${hash.digest('hex')}`;
      if (expected.size !== undefined && size !== expected.size) {
        callback(
          new DigestMismatchError(`expected ${expected.size} bytes for ${expected.digest}, got ${size}`),
        );
      } else if (actual !== expected.digest) {
        callback(new DigestMismatchError(`content has digest ${actual}, expected ${expected.digest}`));
      } else {
        callback(null, held);
      }
    },
  });
}
