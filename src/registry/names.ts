/**
 * Validated repository names and tags: with `Digest` (src/reference/digest.ts) these are the
 * only things a request path is ever built from (see api-url.ts), so nothing a registry or a
 * file says can turn into `..`, `?` or another repository's path.
 */
import { MirrorError } from '../errors.js';
import { type Digest, isDigest } from '../reference/digest.js';
import { isRepositoryPath, isTag } from '../reference/parse.js';
import { printable } from '../text/escape.js';

declare const repositoryBrand: unique symbol;
declare const tagBrand: unique symbol;

/** A repository path (`library/nginx`) by the distribution grammar, without the registry. */
export type Repository = string & { readonly [repositoryBrand]: true };

/** A tag by the distribution grammar (`1.25-alpine`, `sha256-<hex>.sig`). */
export type Tag = string & { readonly [tagBrand]: true };

/** What a manifest is addressed by: a digest or a tag. */
export type ManifestReference = Digest | Tag;

/** A repository name or tag that is not valid; the message quotes it (JSON-escaped, truncated). */
export class InvalidNameError extends MirrorError {}

/** `text` as a Repository, or InvalidNameError naming `where`. */
export function parseRepository(text: unknown, where?: string): Repository {
  if (typeof text === 'string' && isRepositoryPath(text)) return text as Repository;
  throw new InvalidNameError(
    prefix(where, `repository ${quoted(text)} is not a valid name (lowercase path components joined by /)`),
  );
}

/** `text` as a Tag, or InvalidNameError naming `where`. */
export function parseTag(text: unknown, where?: string): Tag {
  if (typeof text === 'string' && isTag(text)) return text as Tag;
  throw new InvalidNameError(
    prefix(where, `tag ${quoted(text)} must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`),
  );
}

/** A digest or a tag, whichever `text` is (a digest when it parses as one). */
export function parseManifestReference(text: unknown, where?: string): ManifestReference {
  return isDigest(text) ? text : parseTag(text, where);
}

/**
 * The fallback tag of a digest's referrers, `sha256-<hex>` (OCI distribution spec 1.1, "Referrers
 * Tag Schema": algorithm cut to 32 and encoding to 64 characters, so a sha512 digest still makes
 * a valid tag), with a cosign `suffix` (`sig`, `att`, `sbom`) when given.
 */
export function digestTag(digest: Digest, suffix?: string): Tag {
  const [algorithm = '', encoded = ''] = digest.split(':');
  const base = `${algorithm.slice(0, 32)}-${encoded.slice(0, 64)}`;
  return parseTag(suffix === undefined ? base : `${base}.${suffix}`);
}

function prefix(where: string | undefined, message: string): string {
  return where ? `${where}: ${message}` : message;
}

/**
 * In quotes, cut to 80 characters and with control characters escaped (`\n`, `\x1b`: the same
 * escaping as all human output), so a hostile value never puts a newline, an escape sequence or a
 * megabyte into a message.
 */
export function quoted(value: unknown): string {
  if (typeof value !== 'string') return `of type ${typeof value}`;
  return `"${printable(value, 80)}"`;
}
