/**
 * The OCI 1.1 referrers listing (`GET /v2/NAME/referrers/DIGEST`), page by page. Every entry is
 * a validated descriptor (its digest later becomes a request path), entries are de-duplicated
 * by digest, and the listing is bounded: MAX_REFERRERS entries over at most MAX_REFERRER_PAGES
 * pages, each next page on the same URL path as the first.
 */
import { readLimited } from './body.js';
import { LimitExceededError, MAX_MANIFEST_BYTES, MAX_REFERRER_PAGES, MAX_REFERRERS } from './limits.js';
import { type Descriptor, InvalidManifestError, OCI_INDEX, parseDescriptor } from './media-types.js';
import { checkResponse, discardBody, type RoundTrip } from './transport/index.js';

/** The referrers at `url` (a referrers API URL), or undefined when the registry has no such API (404). */
export async function listReferrers(rt: RoundTrip, url: string): Promise<Descriptor[] | undefined> {
  const found = new Map<string, Descriptor>();
  let next: string | undefined = url;
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_REFERRER_PAGES) {
      throw new LimitExceededError(`the referrers listing has more than ${MAX_REFERRER_PAGES} pages`);
    }
    const req = { method: 'GET', url: next, headers: { accept: OCI_INDEX } };
    const res = await rt(req);
    if (res.status === 404 && page === 0) {
      discardBody(res);
      return undefined;
    }
    await checkResponse(req, res, 200);
    const bytes = await readLimited(res, MAX_MANIFEST_BYTES, 'the referrers listing');
    for (const entry of referrerEntries(bytes, found.size)) found.set(entry.digest, entry);
    if (found.size > MAX_REFERRERS) {
      throw new LimitExceededError(`the image has more than ${MAX_REFERRERS} referrers`);
    }
    next = nextPage(res.headers.link, url, next);
  }
  return [...found.values()];
}

function referrerEntries(bytes: Buffer, offset: number): Descriptor[] {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidManifestError('the referrers listing is not valid JSON');
  }
  const list =
    typeof doc === 'object' && doc !== null ? (doc as { manifests?: unknown }).manifests : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InvalidManifestError('the referrers listing has no list of manifests');
  if (list.length > MAX_REFERRERS) {
    throw new LimitExceededError(
      `the referrers listing has ${list.length} entries; the limit is ${MAX_REFERRERS}`,
    );
  }
  return list.map((item, i) => parseDescriptor(item, `referrers[${offset + i}]`));
}

/**
 * The next page from a `Link: <URL>; rel="next"` header, resolved against the current page; it
 * must keep the first page's origin and path (only the query, `n`/`last`, may change).
 */
function nextPage(link: string | undefined, first: string, current: string): string | undefined {
  if (!link) return undefined;
  const match = /<([^>]*)>\s*;[^,]*\brel="?next"?/i.exec(link);
  if (!match) return undefined;
  const next = new URL(match[1]!, current);
  const start = new URL(first);
  if (next.origin !== start.origin || next.pathname !== start.pathname) {
    throw new InvalidManifestError('the referrers listing links to a next page on another path');
  }
  return next.toString();
}
