import { MirrorError } from '../../errors.js';
import { redactUrl } from './errors.js';
import { discardBody, type RoundTrip } from './types.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The most redirects followed for one request. */
export const MAX_REDIRECTS = 10;

/** Options of the redirect layer. */
export interface RedirectOptions {
  /** Whether the registry may send us to this URL (see createHostPolicy). Default: any host. */
  isAllowedHost?: (url: URL) => boolean;
}

/** A redirect that was not followed. */
export class RedirectError extends MirrorError {}

/**
 * Follows redirects of GET and HEAD requests (blob downloads are redirected to storage or a
 * CDN), at most MAX_REDIRECTS. An `Authorization` header set by the caller is dropped once the
 * origin changes; the auth layers below only ever add theirs for the registry host, so it never
 * leaks. A redirect from https to http (a downgrade), to another scheme, or to a host the
 * policy refuses (loopback, link-local) is an error, not a request.
 */
export function withRedirects(inner: RoundTrip, options: RedirectOptions = {}): RoundTrip {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return inner(req);
    const origin = new URL(req.url).origin;
    let current = req;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const res = await inner(current);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return res;
      discardBody(res);
      const next = new URL(location, res.url || current.url);
      checkRedirect(current.url, next, options);
      const headers = { ...current.headers };
      if (next.origin !== origin) delete headers.authorization;
      current = { ...current, url: next.toString(), headers };
    }
    throw new RedirectError(`${req.method} ${redactUrl(req.url)}: more than ${MAX_REDIRECTS} redirects`);
  };
}

function checkRedirect(from: string, next: URL, options: RedirectOptions): void {
  const was = new URL(from).protocol;
  const refuse = (why: string) => {
    throw new RedirectError(
      `${redactUrl(from)}: refusing the redirect to ${redactUrl(next.toString())}: ${why}`,
    );
  };
  if (next.protocol !== 'https:' && next.protocol !== 'http:') refuse('not http(s)');
  if (was === 'https:' && next.protocol === 'http:') refuse('it downgrades https to http');
  if (options.isAllowedHost && !options.isAllowedHost(next)) refuse('a loopback or link-local host');
}
