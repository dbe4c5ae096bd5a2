import { checkResponse } from './errors.js';
import { discardBody, type RoundTrip } from './types.js';

/** What `/v2/` asked for: nothing, Basic credentials, or a Bearer token from `realm`. */
export type Challenge =
  | { scheme: 'none' }
  | { scheme: 'basic'; realm?: string }
  | { scheme: 'bearer'; realm: string; service?: string; scope?: string; error?: string };

/**
 * Parses a `WWW-Authenticate` header (`Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`).
 * An unknown scheme or a Bearer challenge without a realm is treated as no challenge.
 */
export function parseChallenge(header: string | undefined): Challenge {
  if (!header) return { scheme: 'none' };
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return { scheme: 'none' };
  const scheme = match[1]!.toLowerCase();
  const params = parseParams(match[2] ?? '');
  if (scheme === 'basic')
    return params.realm ? { scheme: 'basic', realm: params.realm } : { scheme: 'basic' };
  if (scheme !== 'bearer' || !params.realm) return { scheme: 'none' };
  const out: Challenge = { scheme: 'bearer', realm: params.realm };
  if (params.service !== undefined) out.service = params.service;
  if (params.scope !== undefined) out.scope = params.scope;
  if (params.error !== undefined) out.error = params.error;
  return out;
}

function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  // key=token or key="quoted \" string", separated by commas (RFC 7235 auth-param).
  const pattern = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const m of text.matchAll(pattern)) {
    const key = m[1]!.toLowerCase();
    if (key in params) continue;
    params[key] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return params;
}

/**
 * GETs `BASE/v2/` to learn how the registry authenticates: 200 means anonymous access, 401
 * carries the challenge. Anything else is a RegistryError (the registry is down or not one).
 */
export async function ping(inner: RoundTrip, baseUrl: string): Promise<Challenge> {
  const req = { method: 'GET', url: `${baseUrl}/v2/` };
  const res = await inner(req);
  if (res.status === 401) {
    discardBody(res);
    return parseChallenge(res.headers['www-authenticate']);
  }
  await checkResponse(req, res, 200);
  discardBody(res);
  return { scheme: 'none' };
}
