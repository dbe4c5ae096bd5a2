/**
 * The one digest type. Every digest that reaches a URL, a file or a comment (from a reference in a
 * file, a manifest's descriptors, a referrers list or a `Docker-Content-Digest` header) is parsed
 * into a `Digest` here first, so nothing else ever has to wonder whether `../../x` is a digest.
 *
 * The OCI image spec (descriptor.md, "Digests") registers two algorithms with fixed encodings:
 * `sha256` with 64 and `sha512` with 128 lowercase hex characters. Anything else (`md5:…`,
 * `sha384:…`, upper-case hex, `sha512:` with 64 hex) is refused, as registries refuse it.
 */

import { MirrorError } from '../errors.js';
import { processSecrets } from '../secrets.js';

declare const digestBrand: unique symbol;

/** `sha256:<64 lowercase hex>` or `sha512:<128 lowercase hex>`, validated. */
export type Digest = string & { readonly [digestBrand]: true };

/** The registered algorithms and the exact length of their lowercase-hex encoding. */
export const DIGEST_ALGORITHMS: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

/** Why `text` is not a digest, or undefined when it is one. Never quotes more than 80 characters. */
export function digestProblem(text: string): string | undefined {
  const colon = text.indexOf(':');
  const algorithm = colon > 0 ? text.slice(0, colon) : '';
  const length = Object.hasOwn(DIGEST_ALGORITHMS, algorithm) ? DIGEST_ALGORITHMS[algorithm] : undefined;
  if (length === undefined) {
    return `digest "${quote(text)}" must be sha256:<64 hex> or sha512:<128 hex>`;
  }
  const hex = text.slice(colon + 1);
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    return `a ${algorithm} digest must be ${length} lowercase hex characters, got "${quote(text)}"`;
  }
  return undefined;
}

/** True when `text` is a valid digest (narrows it to Digest). */
export function isDigest(text: unknown): text is Digest {
  return typeof text === 'string' && digestProblem(text) === undefined;
}

/** Something that should have been a digest is not; the message says where it came from. */
export class InvalidDigestError extends MirrorError {}

/**
 * `text` as a Digest, or throws InvalidDigestError that says what was expected and names `where` (an image,
 * a header), so a hostile registry's answer is refused with context.
 */
export function parseDigest(text: unknown, where?: string): Digest {
  const problem =
    typeof text === 'string' ? digestProblem(text) : `digest must be a string, got ${typeof text}`;
  if (problem === undefined) return text as Digest;
  throw new InvalidDigestError(where ? `${where}: ${problem}` : problem);
}

function quote(raw: string): string {
  // Masked before it is cut: half a secret would no longer match its mask at output.
  const text = processSecrets.redact(raw);
  const shown = text.length <= 80 ? text : `${text.slice(0, 80)}…`;
  // JSON escaping keeps newlines and control characters from reaching a log line raw.
  return JSON.stringify(shown).slice(1, -1);
}
