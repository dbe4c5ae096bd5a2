/**
 * The only place Distribution API URLs are built, and only from validated parts: a Repository,
 * and a Digest or Tag. None of them can hold `/`, `..`, `?`, `#` or `%`, so the path of every
 * request is exactly the one meant (transport/scope.ts checks that again on the wire).
 */
import type { Digest } from '../reference/digest.js';
import type { ManifestReference, Repository } from './names.js';

/** URL builders of one registry's API, rooted at its base URL (`https://HOST`). */
export interface ApiUrls {
  manifest(repository: Repository, reference: ManifestReference): string;
  blob(repository: Repository, digest: Digest): string;
  /** `…/blobs/uploads/`, with an optional query (`mount`/`from`). */
  uploads(repository: Repository, query?: URLSearchParams): string;
  referrers(repository: Repository, digest: Digest): string;
  /** `…/tags/list?n=1`: one entry is enough to learn whether the repository exists. */
  tags(repository: Repository): string;
}

/** Builders for the registry whose API lives at `baseUrl`. */
export function createApiUrls(baseUrl: string): ApiUrls {
  const root = (repository: Repository, rest: string) => `${baseUrl}/v2/${repository}/${rest}`;
  return {
    manifest: (repository, reference) => root(repository, `manifests/${reference}`),
    blob: (repository, digest) => root(repository, `blobs/${digest}`),
    uploads: (repository, query) => root(repository, `blobs/uploads/${query ? `?${query}` : ''}`),
    referrers: (repository, digest) => root(repository, `referrers/${digest}`),
    tags: (repository) => root(repository, 'tags/list?n=1'),
  };
}
