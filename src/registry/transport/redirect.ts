import { MirrorError } from '../../errors.js';
import { discardBody, type RoundTrip } from './types.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The most redirects followed for one request. */
export const MAX_REDIRECTS = 10;

/**
 * Follows redirects of GET and HEAD requests (blob downloads are redirected to storage or a
 * CDN). An `Authorization` header set by the caller is dropped once the origin changes; the
 * auth layers below only ever add theirs for the registry host, so it never leaks.
 */
export function withRedirects(inner: RoundTrip): RoundTrip {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return inner(req);
    const origin = new URL(req.url).origin;
    let current = req;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const res = await inner(current);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return res;
      discardBody(res);
      const next = new URL(location, res.url);
      const headers = { ...current.headers };
      if (next.origin !== origin) delete headers.authorization;
      current = { ...current, url: next.toString(), headers };
    }
    throw new MirrorError(`${req.method} ${new URL(req.url).origin}: more than ${MAX_REDIRECTS} redirects`);
  };
}
