/**
 * A copy job reads its source repository and writes its destination repository, nothing else.
 * This layer holds every request to the registry's own host to that: a path in the Distribution
 * API's namespace (`/v2/…`, also when percent-encoded) must be `/v2/` or exactly one of the API
 * paths of one of the job's repositories. It sits below the redirect layer, so a redirect or an
 * upload Location back onto the registry is held to it too, and whatever a registry sends (a
 * digest like `../../other/app/manifests/1`, a Location into another repository) cannot make a
 * request leave the job's repositories.
 *
 * Paths outside `/v2/` are not the Distribution API and cannot name a repository through it;
 * registries put upload sessions and storage there (Artifact Registry answers uploads with
 * `/artifacts-uploads/namespaces/…/uploads/ID`, Quay proxies storage under `/_storage_proxy/`).
 */
import { MirrorError } from '../../errors.js';
import { redactUrl } from './errors.js';
import type { RoundTrip } from './types.js';

/** A request outside the job's repositories was refused before it was sent. */
export class OutOfScopeError extends MirrorError {}

// What may follow `/v2/<repository>/`: a manifest by tag or digest, a blob by digest, an upload
// session (distribution names them by UUID), referrers of a digest, the tag list.
const API_PATHS = [
  /^manifests\/[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$/,
  /^blobs\/[a-z0-9]+:[a-f0-9]+$/,
  /^blobs\/uploads\/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]{1,512})?$/,
  /^referrers\/[a-z0-9]+:[a-f0-9]+$/,
  /^tags\/list$/,
];

/** True when `pathname` is `/v2/` or an API path of one of `repositories` (exactly; no `%` escapes). */
export function isApiPathOf(pathname: string, repositories: readonly string[]): boolean {
  if (pathname === '/v2/') return true;
  if (pathname.includes('%')) return false;
  return repositories.some((repository) => {
    const prefix = `/v2/${repository}/`;
    if (!pathname.startsWith(prefix)) return false;
    const rest = pathname.slice(prefix.length);
    return API_PATHS.some((pattern) => pattern.test(rest));
  });
}

/** True when a request to the registry's own host with `pathname` stays within `repositories`. */
export function isInScope(pathname: string, repositories: readonly string[]): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const inApi = (path: string) => /^\/+v2(?:\/|$)/i.test(path);
  return inApi(pathname) || inApi(decoded) ? isApiPathOf(pathname, repositories) : true;
}

/**
 * Refuses (OutOfScopeError, nothing sent) a request to `host` (the registry's API host, as
 * `host[:port]`) outside `repositories` (isInScope). Requests to other hosts
 * (storage a blob GET is redirected to, an upload host) are left to the target policy.
 */
export function withRepositoryScope(
  inner: RoundTrip,
  scope: { host: string; repositories: readonly string[] },
): RoundTrip {
  const host = scope.host.toLowerCase();
  return (req) => {
    const url = new URL(req.url);
    if (url.host.toLowerCase() === host && !isInScope(url.pathname, scope.repositories)) {
      return Promise.reject(
        new OutOfScopeError(
          `refusing ${req.method} ${redactUrl(req.url)}: outside the repositories of this copy (${scope.repositories.join(', ')})`,
        ),
      );
    }
    return inner(req);
  };
}
