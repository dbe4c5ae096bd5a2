/** A parsed, normalised container image reference. */
export interface ImageReference {
  /** Registry host, normalised: `docker.io` for Docker Hub (never `index.docker.io`), may carry `:port`. */
  registry: string;
  /** Repository path inside the registry; Docker Hub official images carry `library/`. */
  repository: string;
  /** The tag as written, or `latest` when neither tag nor digest was written. Undefined for digest-only references. */
  tag: string | undefined;
  /** `algorithm:hex` when the reference is pinned by digest. */
  digest: string | undefined;
}
