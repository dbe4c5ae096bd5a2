/**
 * A local stand-in for the Google endpoints ar-mirror talks to, following their documented
 * request and response shapes:
 * - GitHub's OIDC token URL (`ACTIONS_ID_TOKEN_REQUEST_URL`): `GET ?audience=` with a Bearer
 *   request token → `{"value": JWT}`;
 * - STS `POST /v1/token` (RFC 8693 token exchange, form encoded) → `{access_token, issued_token_type, token_type, expires_in}`;
 * - IAM Credentials `POST /v1/projects/-/serviceAccounts/SA:generateAccessToken` → `{accessToken, expireTime}`;
 * - Artifact Registry v1: repositories get/create, `:testIamPermissions`, operations get,
 *   errors as `{error: {code, message, status}}`.
 * Access tokens are opaque `ya29.` strings bound to an identity, whose permissions tests set.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** An Artifact Registry repository resource as the v1 API returns it. */
export interface FakeRepository {
  name: string;
  format: string;
  mode?: string;
  dockerConfig?: { immutableTags?: boolean };
  createTime?: string;
  updateTime?: string;
}

/** Counters and logs tests assert on. */
export interface FakeGoogleStats {
  oidcRequests: number;
  stsExchanges: number;
  impersonations: number;
  operationPolls: number;
  /** Every request as `METHOD /path` (query excluded), in order. */
  requests: string[];
}

/** A running fake. */
export interface FakeGoogle {
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** Artifact Registry API base to pass as `apiBase`: `${url}/v1`. */
  apiBase: string;
  stats: FakeGoogleStats;
  /** Repositories by resource name `projects/P/locations/L/repositories/R`. */
  repositories: Map<string, FakeRepository>;
  /** Sets the IAM permissions an identity holds (for example on the repository). */
  grant(identity: string, permissions: string[]): void;
  /** Mints an access token for `identity` directly (tests that do not exercise the exchange). */
  mintToken(identity: string, ttlSeconds?: number): string;
  /** Lifetime of tokens from STS and impersonation. Default: 3600. */
  setTokenLifetime(seconds: number): void;
  /** How many polls a create operation takes before it is done. Default: 2. */
  setOperationPolls(count: number): void;
  /**
   * Writes an `external_account` credentials file shaped like google-github-actions/auth's,
   * pointing every URL at this fake. Returns its path.
   */
  writeExternalAccountFile(dir: string, options?: { serviceAccount?: string }): Promise<string>;
  stop(): Promise<void>;
}

/** The request token the fake OIDC endpoint expects (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
export const FAKE_OIDC_REQUEST_TOKEN = 'fake-actions-request-token-0123456789abcdef';
/** The principal STS tokens are issued to. */
export const FAKE_WIF_PRINCIPAL =
  'principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/subject/repo:acme/app';

const STS_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

function send(res: http.ServerResponse, status: number, body: object): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': data.length });
  res.end(data);
}

/** Google's error envelope (https://cloud.google.com/apis/design/errors). */
function sendError(res: http.ServerResponse, code: number, status: string, message: string): void {
  send(res, code, { error: { code, message, status } });
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

interface State {
  tokens: Map<string, { identity: string; expires: number }>;
  permissions: Map<string, Set<string>>;
  operations: Map<string, { polls: number; repository: FakeRepository }>;
  tokenLifetime: number;
  operationPolls: number;
}

/** The fake's state and its token checks, shared by every handler. */
function createContext(): HandlerContext {
  const stats: FakeGoogleStats = {
    oidcRequests: 0,
    stsExchanges: 0,
    impersonations: 0,
    operationPolls: 0,
    requests: [],
  };
  const state: State = {
    tokens: new Map(),
    permissions: new Map(),
    operations: new Map(),
    tokenLifetime: 3600,
    operationPolls: 2,
  };
  return {
    stats,
    repositories: new Map(),
    state,
    mint(identity, ttl = state.tokenLifetime) {
      const token = `ya29.fake-${randomBytes(24).toString('base64url')}`;
      state.tokens.set(token, { identity, expires: Date.now() + ttl * 1000 });
      return token;
    },
    caller(req) {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const entry = token ? state.tokens.get(token) : undefined;
      return entry && entry.expires > Date.now() ? entry.identity : undefined;
    },
    can: (identity, permission) => state.permissions.get(identity)?.has(permission) ?? false,
  };
}

/** Starts the fake on a kernel-chosen port of 127.0.0.1. */
export async function startFakeGoogle(): Promise<FakeGoogle> {
  const context = createContext();
  const { state } = context;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    context.stats.requests.push(`${req.method} ${url.pathname}`);
    route(context, req, res, url).catch((err: unknown) => sendError(res, 500, 'INTERNAL', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiBase: `${base}/v1`,
    stats: context.stats,
    repositories: context.repositories,
    grant: (identity, permissions) => state.permissions.set(identity, new Set(permissions)),
    mintToken: (identity, ttl) => context.mint(identity, ttl),
    setTokenLifetime: (seconds) => {
      state.tokenLifetime = seconds;
    },
    setOperationPolls: (count) => {
      state.operationPolls = count;
    },
    writeExternalAccountFile: (dir, options = {}) => writeExternalAccount(base, dir, options.serviceAccount),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function writeExternalAccount(base: string, dir: string, serviceAccount?: string): Promise<string> {
  const file = path.join(dir, `gha-creds-${randomBytes(6).toString('hex')}.json`);
  const audience =
    '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/providers/github';
  const credentials = {
    type: 'external_account',
    audience,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${base}/v1/token`,
    ...(serviceAccount
      ? {
          service_account_impersonation_url: `${base}/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
        }
      : {}),
    credential_source: {
      url: `${base}/oidc?audience=${encodeURIComponent(`https:${audience}`)}`,
      headers: { Authorization: `Bearer ${FAKE_OIDC_REQUEST_TOKEN}` },
      format: { type: 'json', subject_token_field_name: 'value' },
    },
  };
  await writeFile(file, JSON.stringify(credentials, null, 2));
  return file;
}

interface HandlerContext {
  stats: FakeGoogleStats;
  repositories: Map<string, FakeRepository>;
  state: State;
  mint(identity: string, ttl?: number): string;
  caller(req: http.IncomingMessage): string | undefined;
  can(identity: string, permission: string): boolean;
}

async function route(
  ctx: HandlerContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const { pathname } = url;
  if (req.method === 'GET' && pathname === '/oidc') return oidc(ctx, req, res);
  if (req.method === 'POST' && pathname === '/v1/token') return sts(ctx, req, res);
  const impersonate = /^\/v1\/projects\/-\/serviceAccounts\/([^/]+):generateAccessToken$/.exec(pathname);
  if (req.method === 'POST' && impersonate)
    return generateAccessToken(ctx, req, res, decodeURIComponent(impersonate[1]!));
  const identity = ctx.caller(req);
  if (!identity)
    return sendError(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
  return artifactRegistry(ctx, { req, res, url, identity });
}

async function oidc(ctx: HandlerContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  ctx.stats.oidcRequests++;
  if (req.headers.authorization !== `Bearer ${FAKE_OIDC_REQUEST_TOKEN}`)
    return send(res, 401, { message: 'Bad credentials' });
  // Unsigned is fine: the fake STS does not verify it, and the test never trusts it.
  const body = Buffer.from(JSON.stringify({ sub: 'repo:acme/app', aud: 'sts' })).toString('base64url');
  send(res, 200, { count: 1, value: `eyJhbGciOiJub25lIn0.${body}.${randomBytes(16).toString('base64url')}` });
}

async function sts(ctx: HandlerContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  ctx.stats.stsExchanges++;
  const form = new URLSearchParams(await readBody(req));
  const valid =
    form.get('grant_type') === STS_GRANT &&
    form.get('requested_token_type') === 'urn:ietf:params:oauth:token-type:access_token' &&
    (form.get('subject_token') ?? '').startsWith('eyJ') &&
    (form.get('audience') ?? '').startsWith('//iam.googleapis.com/');
  if (!valid)
    return send(res, 400, { error: 'invalid_request', error_description: 'Invalid token exchange request.' });
  const accessToken = ctx.mint(FAKE_WIF_PRINCIPAL);
  send(res, 200, {
    access_token: accessToken,
    issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    token_type: 'Bearer',
    expires_in: ctx.state.tokenLifetime,
  });
}

async function generateAccessToken(
  ctx: HandlerContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  serviceAccount: string,
): Promise<void> {
  ctx.stats.impersonations++;
  const body = JSON.parse((await readBody(req)) || '{}') as { scope?: string[] };
  if (ctx.caller(req) !== FAKE_WIF_PRINCIPAL)
    return sendError(res, 401, 'UNAUTHENTICATED', 'Invalid credentials.');
  if (!Array.isArray(body.scope) || body.scope.length === 0)
    return sendError(res, 400, 'INVALID_ARGUMENT', 'scope is required');
  const expireTime = new Date(Date.now() + ctx.state.tokenLifetime * 1000).toISOString();
  send(res, 200, { accessToken: ctx.mint(serviceAccount), expireTime });
}

interface ArRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  identity: string;
}

const REPOSITORY_PATH =
  /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/:]+)(:testIamPermissions)?$/;
const COLLECTION_PATH = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+)\/repositories$/;
const OPERATION_PATH = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+)$/;

function denied(res: http.ServerResponse, permission: string, resource: string): void {
  const message = `Permission '${permission}' denied on resource '//artifactregistry.googleapis.com/${resource}' (or it may not exist).`;
  sendError(res, 403, 'PERMISSION_DENIED', message);
}

async function artifactRegistry(ctx: HandlerContext, ar: ArRequest): Promise<void> {
  const { req, res, url, identity } = ar;
  const repository = REPOSITORY_PATH.exec(url.pathname);
  if (repository && req.method === 'GET' && !repository[2]) {
    const name = repository[1]!;
    if (!ctx.can(identity, 'artifactregistry.repositories.get'))
      return denied(res, 'artifactregistry.repositories.get', name);
    const found = ctx.repositories.get(name);
    return found
      ? send(res, 200, found)
      : sendError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
  }
  if (repository && req.method === 'POST' && repository[2]) {
    const asked = (JSON.parse((await readBody(req)) || '{}') as { permissions?: string[] }).permissions ?? [];
    if (!ctx.repositories.has(repository[1]!))
      return sendError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    const granted = asked.filter((permission) => ctx.can(identity, permission));
    // The real API leaves the field out when nothing is granted.
    return send(res, 200, granted.length > 0 ? { permissions: granted } : {});
  }
  const collection = COLLECTION_PATH.exec(url.pathname);
  if (collection && req.method === 'POST') return createRepository(ctx, ar, collection[1]!);
  const operation = OPERATION_PATH.exec(url.pathname);
  if (operation && req.method === 'GET') return pollOperation(ctx, res, operation[1]!);
  sendError(res, 404, 'NOT_FOUND', `no such method ${req.method} ${url.pathname}`);
}

async function createRepository(ctx: HandlerContext, ar: ArRequest, parent: string): Promise<void> {
  const { req, res, url, identity } = ar;
  const id = url.searchParams.get('repositoryId') ?? '';
  const body = JSON.parse((await readBody(req)) || '{}') as Partial<FakeRepository>;
  if (!ctx.can(identity, 'artifactregistry.repositories.create')) {
    return denied(res, 'artifactregistry.repositories.create', parent);
  }
  if (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(id))
    return sendError(res, 400, 'INVALID_ARGUMENT', 'invalid repositoryId');
  const name = `${parent}/repositories/${id}`;
  if (ctx.repositories.has(name))
    return sendError(res, 409, 'ALREADY_EXISTS', 'the repository already exists');
  const now = new Date().toISOString();
  const repository: FakeRepository = {
    name,
    format: body.format ?? 'FORMAT_UNSPECIFIED',
    mode: body.mode ?? 'STANDARD_REPOSITORY',
    ...(body.dockerConfig ? { dockerConfig: body.dockerConfig } : {}),
    createTime: now,
    updateTime: now,
  };
  const operationName = `${parent}/operations/${randomUUID()}`;
  ctx.state.operations.set(operationName, { polls: 0, repository });
  send(res, 200, {
    name: operationName,
    metadata: { '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.OperationMetadata' },
  });
}

async function pollOperation(ctx: HandlerContext, res: http.ServerResponse, name: string): Promise<void> {
  ctx.stats.operationPolls++;
  const operation = ctx.state.operations.get(name);
  if (!operation) return sendError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
  operation.polls++;
  const metadata = { '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.OperationMetadata' };
  if (operation.polls < ctx.state.operationPolls) return send(res, 200, { name, metadata });
  ctx.repositories.set(operation.repository.name, operation.repository);
  const response = {
    '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.Repository',
    ...operation.repository,
  };
  send(res, 200, { name, metadata, done: true, response });
}
