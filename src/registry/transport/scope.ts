/**
 * A copy job reads its source repository and writes its destination repository, nothing else.
 * This layer holds every request to the registry's own host to that: its path must be `/v2/`
 * or exactly one of the API paths of one of the job's repositories. It sits below the redirect
 * layer, so a redirect or an upload Location back onto the registry is held to it too, and
 * whatever a registry sends (a digest like `../../other/app/manifests/1`, a Location into
 * another repository) cannot make a request leave the job's repositories.
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
  /^blobs\/uploads\/(?:[A-Za-z0-9_.~-]{1,200})?$/,
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

/**
 * Refuses (OutOfScopeError, nothing sent) a request to `host` (the registry's API host, as
 * `host[:port]`) whose path is not an API path of `repositories`. Requests to other hosts
 * (storage a blob GET is redirected to, an upload host) are left to the target policy.
 */
export function withRepositoryScope(
  inner: RoundTrip,
  scope: { host: string; repositories: readonly string[] },
): RoundTrip {
  const host = scope.host.toLowerCase();
  return (req) => {
    const url = new URL(req.url);
    if (url.host.toLowerCase() === host && !isApiPathOf(url.pathname, scope.repositories)) {
      return Promise.reject(
        new OutOfScopeError(
          `refusing ${req.method} ${redactUrl(req.url)}: outside the repositories of this copy (${scope.repositories.join(', ')})`,
        ),
      );
    }
    return inner(req);
  };
}
