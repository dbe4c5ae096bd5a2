import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { MirrorError } from '../errors.js';
import type { Digest } from '../reference/digest.js';

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Buffer): Digest {
  return computeDigest(bytes);
}

/** The digest of `bytes` with the algorithm of `like` (sha256 or sha512); sha256 when none is given. */
export function computeDigest(bytes: Buffer, like?: Digest): Digest {
  const algorithm = algorithmOf(like);
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}` as Digest;
}

function algorithmOf(digest: Digest | undefined): 'sha256' | 'sha512' {
  return digest?.startsWith('sha512:') ? 'sha512' : 'sha256';
}

const VERIFIER_BUFFER = 1 << 20;

/** Throws DigestMismatchError (worded as the streaming verifier words it) unless `bytes` are `expected`. */
export function verifyBytes(bytes: Buffer, expected: { digest: Digest; size: number }): void {
  if (bytes.length !== expected.size) {
    throw new DigestMismatchError(
      `expected ${expected.size} bytes for ${expected.digest}, got ${bytes.length}`,
    );
  }
  const actual = computeDigest(bytes, expected.digest);
  if (actual !== expected.digest) {
    throw new DigestMismatchError(`content has digest ${actual}, expected ${expected.digest}`);
  }
}

/** Content whose digest or size is not what was asked for. */
export class DigestMismatchError extends MirrorError {}

/**
 * A pass-through stream that hashes what flows through and fails instead of ending when the
 * digest or size differs from `expected`. It never lets more than `expected.size` bytes through:
 * the chunk that would pass the size fails the stream at once, so a source that sends more than
 * its descriptor says (over plain HTTP, bytes past Content-Length or a close-delimited body)
 * can never push extra bytes into the upload, where the destination would read them as another
 * request. It also holds back the last chunk until it has checked, so an upload fed from it
 * never receives all its bytes and the registry never commits a wrong blob. `onBytes` reports
 * progress.
 */
export function createDigestVerifier(
  expected: { digest: Digest; size: number },
  onBytes?: (n: number) => void,
): Transform {
  const hash = createHash(algorithmOf(expected.digest));
  let held: Buffer | undefined;
  let size = 0;
  return new Transform({
    // Registry sockets deliver 64 KiB chunks; a 16 KiB buffer would pause and resume the source
    // on nearly every chunk.
    highWaterMark: VERIFIER_BUFFER,
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > expected.size) {
        callback(
          new DigestMismatchError(
            `the source sent more than the ${expected.size} bytes of ${expected.digest}; nothing past them is sent`,
          ),
        );
        return;
      }
      hash.update(chunk);
      onBytes?.(chunk.length);
      const previous = held;
      held = chunk;
      callback(null, previous);
    },
    flush(callback: TransformCallback) {
      const actual = `${algorithmOf(expected.digest)}:${hash.digest('hex')}`;
      if (size !== expected.size) {
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
