/**
 * A Bearer token server for the distribution registry's `auth.token` mode, on node:http(s).
 * It signs ES256 JWTs that distribution 2.8 accepts: `iss`, `aud` (a string), `exp`, `nbf`,
 * `iat`, an `access` claim, and a header `kid` equal to the libtrust fingerprint of the key
 * (REFERENCE.md §5). Policy, like Docker Hub and Artifact Registry: anonymous pull (can be
 * turned off), right Basic credentials get what their access level allows, wrong ones get 401.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SigningMaterial } from './tls.js';

/** What a user may do: `all` adds delete and `registry:catalog:*`. */
export type TokenAccessLevel = 'pull' | 'push' | 'all';

/** An account the token server knows. */
export interface TokenUser {
  username: string;
  password: string;
  access: TokenAccessLevel;
  /** An OAuth2 refresh token (Docker's identity token) that authenticates as this user. Default: none. */
  refreshToken?: string;
}

/** One grant inside the JWT `access` claim. */
export interface TokenGrant {
  type: string;
  name: string;
  actions: string[];
}

/** One token request as the server saw it (the harness's own requests are not recorded). */
export interface TokenRequest {
  method: string;
  /** The Basic (or OAuth2 password grant) user; undefined when anonymous. */
  username?: string;
  service?: string;
  /** Scopes in the order the client sent them (so tests can assert "push scope first"). */
  scopes: string[];
  granted: TokenGrant[];
  status: number;
}

/** Options of {@link startTokenServer}. */
export interface TokenServerOptions {
  /** The registry's `auth.token.service`; becomes the JWT `aud`. */
  service: string;
  /** The registry's `auth.token.issuer`; becomes the JWT `iss`. */
  issuer: string;
  signing: SigningMaterial;
  users: TokenUser[];
  /** Whether requests without credentials get pull access. Default: true. */
  anonymousPull?: boolean;
  /** Token lifetime in seconds. Default: 300 (as Docker Hub). */
  ttlSeconds?: number;
  /** Serve HTTPS with this certificate and key. Default: plain HTTP. */
  tls?: { certPem: string; keyPem: string };
}

/** A running token server. */
export interface TokenServer {
  /** The `realm` URL to put in the registry config: `http(s)://127.0.0.1:PORT/token`. */
  realm: string;
  /** libtrust fingerprint of the signing key, sent as the JWT header `kid`. */
  kid: string;
  requests: TokenRequest[];
  /** Changes the anonymous policy for the following requests. */
  setAnonymousPull(allowed: boolean): void;
  stop(): Promise<void>;
}

/** client_id the harness sends so that its own token requests stay out of `requests`. */
export const HARNESS_CLIENT_ID = 'ar-mirror-test-harness';

/** libtrust key ID: base32 of the first 240 bits of sha256(DER SPKI), 12 groups of 4 joined by ':'. */
export function libtrustKeyId(publicKey: crypto.KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const digest = crypto.createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  // 30 bytes = 240 bits = exactly 48 base32 characters, so there is never a remainder or padding.
  return out.match(/.{4}/g)!.join(':');
}

/** Parses `type[(class)]:name:actions`; the name may itself contain ':' (host:port), so split at the ends. */
export function parseScope(scope: string): TokenGrant | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  const type = scope.slice(0, first).replace(/\(.*\)$/, '');
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter(Boolean);
  return { type, name: scope.slice(first + 1, last), actions };
}

const REPOSITORY_ACTIONS: Record<TokenAccessLevel | 'none', string[]> = {
  none: [],
  pull: ['pull'],
  push: ['pull', 'push'],
  all: ['pull', 'push', 'delete', '*'],
};

function grantFor(level: TokenAccessLevel | 'none', asked: TokenGrant): TokenGrant | undefined {
  let allowed: string[] = [];
  if (asked.type === 'repository') allowed = REPOSITORY_ACTIONS[level];
  if (asked.type === 'registry' && asked.name === 'catalog' && level === 'all') allowed = ['*'];
  const actions = asked.actions.filter((action) => allowed.includes(action));
  // An empty grant is left out: the registry then answers 401 insufficient_scope, as real ones do.
  return actions.length > 0 ? { ...asked, actions } : undefined;
}

function signJwt(key: crypto.KeyObject, kid: string, claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ typ: 'JWT', alg: 'ES256', kid })}.${encode(claims)}`;
  // JOSE wants the raw r||s signature, not Node's default DER encoding.
  const signature = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: object,
  headers: http.OutgoingHttpHeaders = {},
) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': data.length, ...headers });
  res.end(data);
}

function checkPassword(users: TokenUser[], username: string, password: string): TokenUser | undefined {
  const user = users.find((candidate) => candidate.username === username);
  if (!user) return undefined;
  const expected = Buffer.from(user.password);
  const given = Buffer.from(password);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? user : undefined;
}

/** Credentials of a request: a user, null when anonymous, false when they are wrong. */
function basicUser(users: TokenUser[], header: string | undefined): TokenUser | null | false {
  if (!header) return null;
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return checkPassword(users, decoded.slice(0, colon), decoded.slice(colon + 1)) ?? false;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1 << 20) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

interface Parsed {
  who: TokenUser | null | false;
  service?: string;
  scopes: string[];
  clientId?: string;
}

async function parseRequest(req: http.IncomingMessage, users: TokenUser[]): Promise<Parsed | undefined> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  // "scope" may be repeated and each value may hold several space-separated scopes.
  const scopesOf = (params: URLSearchParams) =>
    params.getAll('scope').flatMap((v) => v.split(' ').filter(Boolean));
  const optional = (value: string | null) => value ?? undefined;
  if (req.method === 'GET') {
    const params = url.searchParams;
    const who = basicUser(users, req.headers.authorization);
    return {
      who,
      service: optional(params.get('service')),
      scopes: scopesOf(params),
      clientId: optional(params.get('client_id')),
    };
  }
  if (req.method !== 'POST') return undefined;
  // The OAuth2 forms: `docker login` uses the password grant to get a refresh token, and later
  // clients trade that refresh token (an identity token) for access tokens.
  const form = await readForm(req);
  const grant = form.get('grant_type');
  if (grant !== 'password' && grant !== 'refresh_token') return { who: false, scopes: [] };
  const who =
    grant === 'password'
      ? (checkPassword(users, form.get('username') ?? '', form.get('password') ?? '') ?? false)
      : (users.find((u) => u.refreshToken !== undefined && u.refreshToken === form.get('refresh_token')) ??
        false);
  return {
    who,
    service: optional(form.get('service')),
    scopes: scopesOf(form),
    clientId: optional(form.get('client_id')),
  };
}

/** Signing key and policy of one running server. */
interface Issuer {
  options: TokenServerOptions;
  key: crypto.KeyObject;
  kid: string;
  ttl: number;
  anonymousPull: boolean;
}

interface Issued {
  status: number;
  body: object;
  granted: TokenGrant[];
}

/** Decides and signs: 401 for wrong credentials, otherwise a token with what the caller may have. */
function issueToken(issuer: Issuer, parsed: Parsed, method: string): Issued {
  const { options } = issuer;
  if (parsed.who === false) return { status: 401, body: { errors: [{ code: 'UNAUTHORIZED' }] }, granted: [] };
  if (parsed.service !== undefined && parsed.service !== options.service) {
    const body = { error: 'invalid_request', error_description: 'unknown service' };
    return { status: 400, body, granted: [] };
  }
  const level = parsed.who ? parsed.who.access : issuer.anonymousPull ? 'pull' : 'none';
  const granted = parsed.scopes.flatMap((scope) => {
    const asked = parseScope(scope);
    const grant = asked && grantFor(level, asked);
    return grant ? [grant] : [];
  });
  const now = Math.floor(Date.now() / 1000);
  const token = signJwt(issuer.key, issuer.kid, {
    iss: options.issuer,
    sub: parsed.who ? parsed.who.username : '',
    aud: options.service,
    exp: now + issuer.ttl,
    nbf: now - 1,
    iat: now,
    jti: crypto.randomBytes(12).toString('hex'),
    access: granted,
  });
  // Registries differ in which field they read, so answer both (REFERENCE.md §4).
  const body = {
    token,
    access_token: token,
    expires_in: issuer.ttl,
    issued_at: new Date(now * 1000).toISOString(),
  };
  return {
    status: 200,
    body: method === 'POST' ? { ...body, scope: parsed.scopes.join(' ') } : body,
    granted,
  };
}

function createHandler(issuer: Issuer, requests: TokenRequest[]) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/token')) return sendJson(res, 404, { error: 'not found' });
    const parsed = await parseRequest(req, issuer.options.users).catch(() => undefined);
    if (!parsed) return sendJson(res, 400, { error: 'invalid_request' });
    const method = req.method ?? 'GET';
    const result = issueToken(issuer, parsed, method);
    if (parsed.clientId !== HARNESS_CLIENT_ID) {
      const username = parsed.who ? parsed.who.username : undefined;
      const { service, scopes } = parsed;
      requests.push({ method, username, service, scopes, granted: result.granted, status: result.status });
    }
    const challenge =
      result.status === 401 ? { 'www-authenticate': 'Basic realm="ar-mirror test token server"' } : {};
    sendJson(res, result.status, result.body, challenge);
  };
}

/** Starts the token server on a kernel-chosen port of 127.0.0.1. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = crypto.createPrivateKey(options.signing.keyPem);
  const issuer: Issuer = {
    options,
    key,
    kid: libtrustKeyId(crypto.createPublicKey(key)),
    ttl: options.ttlSeconds ?? 300,
    anonymousPull: options.anonymousPull ?? true,
  };
  const requests: TokenRequest[] = [];
  const handler = createHandler(issuer, requests);
  const server = options.tls
    ? https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/token`,
    kid: issuer.kid,
    requests,
    setAnonymousPull: (allowed) => {
      issuer.anonymousPull = allowed;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
