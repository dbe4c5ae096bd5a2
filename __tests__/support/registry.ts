/**
 * Starts the real CNCF distribution registry (Debian `docker-registry` 2.8) on 127.0.0.1 for
 * integration tests, in six modes: no auth, htpasswd Basic, Bearer tokens from the harness's
 * own token server, each with or without TLS (a throwaway CA). See REFERENCE.md §5.
 *
 * The harness talks to the registry with node:http(s) only, never through src/, so tests can
 * check the client's work with an independent reader.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { withFreePort } from './ports.js';
import { createSigningMaterial, createTlsMaterial, type TlsMaterial } from './tls.js';
import { HARNESS_CLIENT_ID, startTokenServer, type TokenRequest, type TokenServer } from './token-server.js';

/** How the registry authenticates and whether it speaks TLS. */
export type RegistryMode = 'none' | 'basic' | 'token' | 'tls' | 'basic+tls' | 'token+tls';

/** What a test gets back from the raw fetch. Header names are lower case. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Request options of the raw fetch. */
export interface RawRequestInit {
  method?: string;
  headers?: Record<string, string>;
  /** A buffer, or a stream for large blobs (then set content-length yourself). */
  body?: Buffer | Readable;
}

/** A running registry. */
export interface TestRegistry {
  mode: RegistryMode;
  /** "127.0.0.1:PORT" */
  host: string;
  /** "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT" */
  url: string;
  /** Full-access account (basic and token modes; the token server checks them). */
  username?: string;
  password?: string;
  /** A pull-only account (token modes). */
  pullOnly?: { username: string; password: string };
  /** An identity (OAuth2 refresh) token of the full-access account (token modes). */
  identityToken?: string;
  /** PEM of the throwaway CA (TLS modes). */
  caPem?: string;
  /** Path of that CA, for NODE_EXTRA_CA_CERTS in child processes (TLS modes). */
  caPath?: string;
  /** The token realm (token modes). */
  tokenRealm?: string;
  /** Every token request made by anyone but the harness itself, in order (token modes). */
  tokenRequests?: TokenRequest[];
  /** Turns anonymous pull on or off at the token server (token modes). */
  setAnonymousPull?(allowed: boolean): void;
  dataDir: string;
  /** Raw authenticated fetch for test assertions (handles basic/token/TLS itself; independent of src/). */
  fetch(pathOrUrl: string, init?: RawRequestInit): Promise<RawResponse>;
  /** Kills the process, stops the token server, removes dataDir. */
  stop(): Promise<void>;
}

/** Options of {@link startRegistry}. */
export interface StartRegistryOptions {
  /** Default: 'none'. */
  mode?: RegistryMode;
  /** Token modes: whether anonymous clients may pull. Default: true (like Docker Hub). */
  anonymousPull?: boolean;
  /** Token modes: token lifetime in seconds. Default: 300. */
  tokenTtlSeconds?: number;
  /** Make the registry send relative `Location` headers. Default: false. */
  relativeUrls?: boolean;
}

const REGISTRY_BIN = process.env.AR_MIRROR_REGISTRY_BIN ?? '/usr/bin/docker-registry';
const READY_ATTEMPTS = 100;
const READY_INTERVAL_MS = 50;
const REQUEST_TIMEOUT_MS = 30_000;

// Children and data dirs still alive, killed and removed when the test process exits however it ends.
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) killGroup(child, 'SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** One HTTP(S) request with a buffered body; `ca` is trusted in addition to nothing else. */
export function rawRequest(url: URL, init: RawRequestInit & { ca?: string } = {}): Promise<RawResponse> {
  const module = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = module.request(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        ca: init.ca,
        timeout: REQUEST_TIMEOUT_MS,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${init.method ?? 'GET'} ${url.href}`)));
    req.on('error', reject);
    if (init.body === undefined || Buffer.isBuffer(init.body)) req.end(init.body);
    else init.body.on('error', (err) => req.destroy(err)).pipe(req);
  });
}

function parseMode(mode: RegistryMode): { auth: 'none' | 'basic' | 'token'; tls: boolean } {
  switch (mode) {
    case 'none':
      return { auth: 'none', tls: false };
    case 'basic':
    case 'token':
      return { auth: mode, tls: false };
    case 'tls':
      return { auth: 'none', tls: true };
    case 'basic+tls':
      return { auth: 'basic', tls: true };
    case 'token+tls':
      return { auth: 'token', tls: true };
  }
}

const secret = (prefix: string) => `${prefix}-${randomBytes(12).toString('base64url')}`;

async function writeHtpasswd(file: string, username: string, password: string): Promise<void> {
  // distribution only honours bcrypt lines; cost 4 (the minimum) because it verifies on every request.
  const { stdout } = await promisify(execFile)('htpasswd', ['-nbB', '-C', '4', username, password]);
  await writeFile(file, stdout);
}

/** What the registry config needs besides the port, plus what to clean up. */
interface Prepared {
  authConfig?: object;
  tls?: TlsMaterial;
  tokenServer?: TokenServer;
  username?: string;
  password?: string;
  pullOnly?: { username: string; password: string };
  identityToken?: string;
}

async function prepare(
  dataDir: string,
  mode: RegistryMode,
  options: StartRegistryOptions,
): Promise<Prepared> {
  const { auth, tls: isTls } = parseMode(mode);
  const prepared: Prepared = {};
  if (isTls) {
    await mkdir(path.join(dataDir, 'tls'));
    prepared.tls = await createTlsMaterial(path.join(dataDir, 'tls'));
  }
  if (auth === 'none') return prepared;
  prepared.username = 'tester';
  prepared.password = secret('pw');
  await mkdir(path.join(dataDir, 'auth'));
  if (auth === 'basic') {
    const file = path.join(dataDir, 'auth', 'htpasswd');
    await writeHtpasswd(file, prepared.username, prepared.password);
    prepared.authConfig = { htpasswd: { realm: 'ar-mirror-test', path: file } };
    return prepared;
  }
  prepared.pullOnly = { username: 'puller', password: secret('pull') };
  prepared.identityToken = secret('refresh');
  const signing = await createSigningMaterial(path.join(dataDir, 'auth'));
  const service = 'ar-mirror-test-registry';
  const issuer = 'ar-mirror-test-issuer';
  prepared.tokenServer = await startTokenServer({
    service,
    issuer,
    signing,
    users: [
      {
        username: prepared.username,
        password: prepared.password,
        access: 'all',
        refreshToken: prepared.identityToken,
      },
      { ...prepared.pullOnly, access: 'pull' },
    ],
    anonymousPull: options.anonymousPull,
    ttlSeconds: options.tokenTtlSeconds,
    tls: prepared.tls,
  });
  const realm = prepared.tokenServer.realm;
  prepared.authConfig = { token: { realm, service, issuer, rootcertbundle: signing.certPath } };
  return prepared;
}

function registryConfig(dataDir: string, port: number, prepared: Prepared, relativeUrls: boolean): object {
  const httpConfig: Record<string, unknown> = {
    addr: `127.0.0.1:${port}`,
    // A fixed secret keeps the registry from warning and signs upload state consistently.
    secret: randomBytes(16).toString('hex'),
    relativeurls: relativeUrls,
  };
  if (prepared.tls) httpConfig.tls = { certificate: prepared.tls.certPath, key: prepared.tls.keyPath };
  return {
    version: 0.1,
    log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: path.join(dataDir, 'storage') },
      delete: { enabled: true },
      // Uploads left open by fault tests must not be purged behind the test's back.
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: httpConfig,
    ...(prepared.authConfig ? { auth: prepared.authConfig } : {}),
  };
}

async function waitUntilReady(child: ChildProcess, url: string, ca: string | undefined): Promise<number> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) return -1;
    const status = await rawRequest(new URL('/v2/', url), { ca }).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200 || status === 401) return status;
    await new Promise((resolve) => setTimeout(resolve, READY_INTERVAL_MS));
  }
  return 0;
}

/** Signals the wrapper's whole process group (wrapper, registry, lifeline watcher). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  // Never kill(-0): without a pid that would signal our own process group.
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  liveChildren.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) {
    child.stdin?.end('keep\n');
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // "keep": the harness removes the data dir itself (and may still need it for a retry).
  child.stdin?.end('keep\n');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Runs the registry under a small sh wrapper holding a lifeline: the wrapper's stdin is a pipe
 * from this process. When a test worker is killed without running its hooks (vitest ends
 * forks with a signal, so 'exit' handlers do not run), the pipe closes, the watcher sees EOF,
 * kills the registry and removes the data dir. A normal stop writes "keep" first.
 * Args: $1 binary, $2 config, $3 data dir. fd 3 carries the pipe into the background watcher,
 * because POSIX gives background lists /dev/null as stdin.
 */
const LIFELINE_WRAPPER = `exec 3<&0
"$1" serve "$2" </dev/null 3<&- &
pid=$!
{ read -r cmd <&3; kill "$pid" 2>/dev/null; if [ "$cmd" != keep ]; then sleep 1; rm -rf "$3"; fi; } &
wait "$pid"`;

/** Writes the config for `port`, starts the binary and waits for `/v2/`; throws with its log on failure. */
async function launch(dataDir: string, port: number, prepared: Prepared, relativeUrls: boolean) {
  const configPath = path.join(dataDir, 'config.yml');
  await writeFile(configPath, stringify(registryConfig(dataDir, port, prepared, relativeUrls)));
  const logPath = path.join(dataDir, 'registry.log');
  const log = await open(logPath, 'w');
  const child = spawn(
    '/bin/sh',
    ['-c', LIFELINE_WRAPPER, 'ar-mirror-registry', REGISTRY_BIN, configPath, dataDir],
    {
      stdio: ['pipe', log.fd, log.fd],
      detached: true,
    },
  );
  await log.close();
  liveChildren.add(child);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const url = `${prepared.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const status = await Promise.race([waitUntilReady(child, url, prepared.tls?.caPem), spawnError]);
  if (typeof status === 'number' && status > 0) return { child, url };
  await stopChild(child);
  const output = await readFile(logPath, 'utf8').catch(() => '');
  const reason = status instanceof Error ? status.message : `no answer on ${url}/v2/`;
  throw new Error(`docker-registry did not start (${reason}); its log:\n${output.slice(-4000)}`);
}

/** Starts a registry in `options.mode` (default 'none') on a free port of 127.0.0.1. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(
      `${REGISTRY_BIN} not found: apt-get install docker-registry, or set AR_MIRROR_REGISTRY_BIN`,
    );
  }
  installExitHook();
  const mode = options.mode ?? 'none';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ar-mirror-registry-'));
  liveDirs.add(dataDir);
  let prepared: Prepared = {};
  try {
    prepared = await prepare(dataDir, mode, options);
    const started = await withFreePort((port) =>
      launch(dataDir, port, prepared, options.relativeUrls ?? false),
    );
    return buildHandle(mode, dataDir, prepared, started);
  } catch (err: unknown) {
    await prepared.tokenServer?.stop();
    await rm(dataDir, { recursive: true, force: true });
    liveDirs.delete(dataDir);
    throw err;
  }
}

function buildHandle(
  mode: RegistryMode,
  dataDir: string,
  prepared: Prepared,
  started: { child: ChildProcess; url: string },
): TestRegistry {
  const { tokenServer, tls } = prepared;
  const authorize = createAuthorizer(prepared);
  let stopped = false;
  return {
    mode,
    host: new URL(started.url).host,
    url: started.url,
    username: prepared.username,
    password: prepared.password,
    pullOnly: prepared.pullOnly,
    identityToken: prepared.identityToken,
    caPem: tls?.caPem,
    caPath: tls?.caPath,
    tokenRealm: tokenServer?.realm,
    tokenRequests: tokenServer?.requests,
    setAnonymousPull: tokenServer?.setAnonymousPull,
    dataDir,
    async fetch(pathOrUrl, init = {}) {
      const url = new URL(pathOrUrl, started.url);
      if (url.origin !== started.url)
        throw new Error(`harness fetch only talks to ${started.url}, not ${url.origin}`);
      const headers = { ...init.headers, ...(await authorize(url.pathname)) };
      return rawRequest(url, { ...init, headers, ca: tls?.caPem });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(started.child);
      await tokenServer?.stop();
      await rm(dataDir, { recursive: true, force: true });
      liveDirs.delete(dataDir);
    },
  };
}

/** The scope the harness's full-access user needs for a request path; undefined for `/v2/`. */
export function scopeForPath(pathname: string): string | undefined {
  if (pathname === '/v2/_catalog') return 'registry:catalog:*';
  const match = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\//.exec(pathname);
  return match ? `repository:${match[1]}:pull,push,delete` : undefined;
}

/** Returns a function giving the Authorization header for a path, fetching and caching tokens. */
function createAuthorizer(prepared: Prepared): (pathname: string) => Promise<Record<string, string>> {
  const { username, password, tokenServer, tls } = prepared;
  if (username === undefined || password === undefined) return async () => ({});
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  if (!tokenServer) return async () => ({ authorization: basic });
  const cache = new Map<string, { token: string; until: number }>();
  return async (pathname) => {
    const scope = scopeForPath(pathname) ?? '';
    const cached = cache.get(scope);
    if (cached && cached.until > Date.now()) return { authorization: `Bearer ${cached.token}` };
    const realm = new URL(tokenServer.realm);
    realm.searchParams.set('service', 'ar-mirror-test-registry');
    realm.searchParams.set('client_id', HARNESS_CLIENT_ID);
    if (scope) realm.searchParams.set('scope', scope);
    const res = await rawRequest(realm, { headers: { authorization: basic }, ca: tls?.caPem });
    if (res.status !== 200) throw new Error(`harness token request failed: ${res.status}`);
    const { token, expires_in } = JSON.parse(res.body.toString('utf8')) as {
      token: string;
      expires_in: number;
    };
    // Reuse for half the lifetime so that tests with very short TTLs still get valid tokens.
    cache.set(scope, { token, until: Date.now() + expires_in * 500 });
    return { authorization: `Bearer ${token}` };
  };
}
