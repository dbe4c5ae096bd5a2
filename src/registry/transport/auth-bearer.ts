import { MirrorError } from '../../errors.js';
import { registerCredential } from '../../secrets.js';
import { type Credential, isIdentityToken, type Keychain } from '../credentials/types.js';
import { basicHeader } from './auth-basic.js';
import { checkResponse } from './errors.js';
import { parseChallenge } from './ping.js';
import { discardBody, isReplayable, type RoundTrip, readBody, type TransportRequest } from './types.js';

/** Options of the Bearer token layer. */
export interface BearerAuthOptions {
  /** The API host the token is sent to; never to any other host (redirects to storage). */
  host: string;
  /** The keychain name of the registry (`docker.io` for Docker Hub). */
  registry: string;
  /** Token endpoint from the `/v2/` challenge. */
  realm: string;
  service?: string;
  /** Scopes to ask for, most important first (`repository:NAME:push,pull` before pull-only ones). */
  scopes: string[];
  keychain: Keychain;
  /** Used for the token request itself: no auth layer, but retries. */
  tokenTransport: RoundTrip;
  /** Whether an `http:` realm is acceptable (only when the registry itself is plain HTTP). Default: false. */
  allowHttpRealm?: boolean;
  /** Whether the realm's host may receive credentials (see createHostPolicy). Default: any host. */
  isAllowedHost?: (url: URL) => boolean;
  /** Called with each secret as soon as it is read, so loggers mask it. */
  secret?: (value: string) => void;
  /** Clock for token expiry. Default: Date.now. */
  now?: () => number;
  /**
   * Tokens and the rotated refresh token of this registry, shared with the transports of the
   * run's other copies (createBearerState), so a second image of the same repository asks the
   * realm for nothing. Default: this layer's own.
   */
  state?: BearerState;
}

/** What the Bearer layers of one registry share across a run: tokens by realm and scope set. */
export interface BearerState {
  readonly tokens: Map<string, CacheEntry>;
  /** The latest refresh token a realm rotated to, used instead of the keychain's from then on. */
  rotated: string | undefined;
}

/** An empty state for one registry (see BearerAuthOptions.state). */
export function createBearerState(): BearerState {
  return { tokens: new Map(), rotated: undefined };
}

interface Token {
  value: string;
  expiresAt: number;
  /** A new refresh token the realm handed out with this one (OAuth2 servers may rotate them). */
  refreshToken?: string;
}

/** The `client_id` sent with OAuth2 token requests (Docker sends its own name the same way). */
export const OAUTH_CLIENT_ID = 'ar-mirror';

/** A token being fetched (expiresAt = Infinity until it arrives) or fetched. */
export interface CacheEntry {
  token: Promise<Token>;
  expiresAt: number;
}

// Token bodies are small JSON documents; anything bigger is not a token endpoint.
const TOKEN_BODY_LIMIT = 1024 * 1024;

/**
 * Adds `Authorization: Bearer …` for the registry host. Tokens are fetched once per scope set
 * and cached until shortly before they expire. A 401 (an expired token, or `insufficient_scope`
 * naming a scope we did not ask for, which then goes first) fetches a fresh token once, asking
 * the keychain to refresh its credentials too, and resends the request once.
 */
export function withBearerAuth(inner: RoundTrip, options: BearerAuthOptions): RoundTrip {
  checkRealm(options.realm, options.allowHttpRealm ?? false, options.isAllowedHost);
  const now = options.now ?? Date.now;
  let scopes = [...options.scopes];
  const state = options.state ?? createBearerState();
  const cached = createTokenCache(now, state.tokens);
  // The realm and service are part of the key: a shared state never hands one realm's token to another.
  const key = () => `${options.realm} ${options.service ?? ''} ${scopes.join(' ')}`;
  const token = (refresh: boolean): Promise<Token> =>
    cached(key(), refresh, () =>
      fetchToken({ ...options, scopes }, { refresh, now, rotated: state.rotated }).then((t) => {
        options.secret?.(t.value);
        if (t.refreshToken) {
          options.secret?.(t.refreshToken);
          state.rotated = t.refreshToken;
        }
        return t;
      }),
    );
  const send = (req: TransportRequest, t: Token) =>
    inner({ ...req, headers: { ...req.headers, authorization: `Bearer ${t.value}` } });

  return async (req) => {
    if (new URL(req.url).host !== options.host) return inner(req);
    const first = await token(false);
    const res = await send(req, first);
    if (res.status !== 401 || !isReplayable(req.body)) return res;
    discardBody(res);
    const challenge = parseChallenge(res.headers['www-authenticate']);
    const widened = challenge.scheme === 'bearer' && !!challenge.scope && !scopes.includes(challenge.scope);
    if (widened) scopes = [challenge.scope as string, ...scopes];
    // Another request may already have refreshed the token we sent; reuse it instead of asking again.
    const current = widened ? undefined : await token(false);
    return send(req, current && current.value !== first.value ? current : await token(true));
  };
}

/**
 * Tokens by scope set: a cached one is reused until its expiry, a failed fetch is forgotten.
 * Expiry is a timestamp compared on use, not a timer: setTimeout overflows past ~24.8 days (a
 * long expires_in) and would then fire at once, refetching the token on every request.
 */
function createTokenCache(
  now: () => number,
  cache: Map<string, CacheEntry>,
): (key: string, refresh: boolean, fetch: () => Promise<Token>) => Promise<Token> {
  return (key, refresh, fetch) => {
    const cached = cache.get(key);
    if (cached && !refresh && cached.expiresAt > now()) return cached.token;
    const entry: CacheEntry = { token: fetch(), expiresAt: Number.POSITIVE_INFINITY };
    cache.set(key, entry);
    entry.token.then(
      (t) => {
        entry.expiresAt = t.expiresAt;
      },
      () => cache.get(key) === entry && cache.delete(key),
    );
    return entry.token;
  };
}

/** Refuses a realm before any credential is sent to it. */
function checkRealm(realm: string, allowHttp: boolean, isAllowedHost?: (url: URL) => boolean): void {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new MirrorError(`token realm "${realm}" is not a URL`);
  }
  // A registry may only send us to an HTTPS token endpoint (an http one only when the registry
  // itself is plain HTTP), so a challenge cannot steer credentials to file:, data: or cleartext.
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new MirrorError(`token realm ${url.origin} must use https`);
  }
  // Nor at this machine or the metadata service (169.254.169.254), unless the user named that host.
  if (isAllowedHost && !isAllowedHost(url)) {
    throw new MirrorError(
      `token realm ${url.origin} is a loopback or link-local host the registry may not send us to`,
    );
  }
}

/**
 * Asks the realm for a token: GET with Basic credentials (or none), or, for an identity token,
 * POST grant_type=refresh_token as Docker's client does (distribution's OAuth2 token flow).
 */
async function fetchToken(
  options: BearerAuthOptions,
  state: { refresh: boolean; now: () => number; rotated: string | undefined },
): Promise<Token> {
  const credential = await options.keychain.get(
    options.registry,
    state.refresh ? { refresh: true } : undefined,
  );
  if (credential) {
    // The password and `user:password` (the Redactor derives the Basic header's base64 from it).
    if (options.secret) registerCredential(options.secret, credential);
  }
  const req = isIdentityToken(credential)
    ? refreshTokenRequest(options, state.rotated ?? (credential as Credential).password)
    : basicTokenRequest(options, credential);
  const res = await options.tokenTransport(req);
  await checkResponse(req, res, 200);
  const body = await readBody(res, TOKEN_BODY_LIMIT);
  return parseTokenResponse(body, state.now());
}

function basicTokenRequest(options: BearerAuthOptions, credential: Credential | undefined): TransportRequest {
  const url = new URL(options.realm);
  if (options.service) url.searchParams.set('service', options.service);
  for (const scope of options.scopes) url.searchParams.append('scope', scope);
  return {
    method: 'GET',
    url: url.toString(),
    headers: credential ? { authorization: basicHeader(credential) } : {},
  };
}

function refreshTokenRequest(options: BearerAuthOptions, refreshToken: string): TransportRequest {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  if (options.service) form.set('service', options.service);
  if (options.scopes.length > 0) form.set('scope', options.scopes.join(' '));
  form.set('client_id', OAUTH_CLIENT_ID);
  return {
    method: 'POST',
    url: options.realm,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form.toString()),
  };
}

/** Reads `token` or `access_token`, `expires_in` (60 s when absent, as the spec says) and a rotated `refresh_token`. */
export function parseTokenResponse(body: Buffer, now: number): Token {
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new MirrorError('token endpoint answered with something that is not JSON');
  }
  const value = typeof parsed.token === 'string' && parsed.token ? parsed.token : parsed.access_token;
  if (typeof value !== 'string' || value === '') {
    throw new MirrorError('token endpoint answered without "token" or "access_token"');
  }
  // It goes into an Authorization header: visible ASCII only, and of a size a header can carry.
  if (!/^[\x21-\x7e]{1,65536}$/.test(value)) {
    throw new MirrorError('token endpoint answered with a token that is not header-safe text');
  }
  const lifetime = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 60;
  // Renew a little early so a token does not expire between our check and the registry's.
  const expiresAt = now + Math.max(lifetime * 1000 - 10_000, lifetime * 500);
  const refresh = parsed.refresh_token;
  return typeof refresh === 'string' && refresh !== ''
    ? { value, expiresAt, refreshToken: refresh }
    : { value, expiresAt };
}
