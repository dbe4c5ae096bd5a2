import http from 'node:http';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import type { Agent, Dispatcher } from 'undici';
import { RegistryError } from './errors.js';
import { createGuardedLookup, LocalAddressError } from './lookup.js';
import type { RoundTrip, TransportRequest, TransportResponse } from './types.js';

/** Options of the connection pool shared by every registry of one copy. */
export interface PoolOptions {
  /** Extra CA certificates (PEM) to trust, for tests. NODE_EXTRA_CA_CERTS works without it. Default: none. */
  ca?: string;
  /** Connections kept per origin. Default: 8 (copy jobs plus manifest and HEAD traffic). */
  connections?: number;
  /** How long to wait for response headers once the request is sent. Default: 120000 ms. */
  headersTimeoutMs?: number;
  /** How long a response body may stay idle. Default: 300000 ms (blob bodies pause while the other side catches up). */
  bodyTimeoutMs?: number;
  /** The resolver under the local-address guard (tests map names to 127.0.0.1). Default: dns.lookup. */
  lookup?: LookupFunction;
  /** Offer HTTP/2 (ALPN) on HTTPS connections; false keeps every connection HTTP/1.1 (bench/h2.ts compares). Default: true. */
  http2?: boolean;
}

/** Keep-alive connections for every request of a copy; close it when done. */
export interface ConnectionPool {
  /**
   * Sends a request of a registry that is not exempted: a DNS name that resolves to a loopback,
   * link-local or metadata address fails at connect time (lookup.ts).
   */
  request: RoundTrip;
  /** Sends a request of a registry the user exempted (address.ts): it may reach local addresses. */
  requestLocal: RoundTrip;
  close(): Promise<void>;
}

/**
 * Creates the pool. HTTPS goes through undici with HTTP/2 allowed, because registries behind
 * TLS (distribution with `http.tls`, Artifact Registry) speak it and one h2 connection carries
 * many concurrent blob streams. Plain HTTP (only for hosts the user listed) goes through
 * node:http: undici compiles its WebAssembly parser on first use, ~150 ms and ~50 MB that a
 * short copy between local registries would otherwise spend before its first byte. undici is
 * therefore imported only when the first HTTPS request is made.
 */
export function createConnectionPool(options: PoolOptions = {}): ConnectionPool {
  const guarded = createDispatchers(options, createGuardedLookup(options.lookup));
  const local = createDispatchers(options, options.lookup);
  return {
    request: guarded.request,
    requestLocal: local.request,
    async close() {
      await Promise.all([guarded.close(), local.close()]);
    },
  };
}

/**
 * The HTTP/2 flow-control window per stream and per connection: 4 MiB, a 50 MB/s stream at an
 * 80 ms round trip (throughput × round trip). A paused reader holds at most this per stream.
 */
const H2_WINDOW = 4 * 1024 * 1024;

/** One node:http agent and one (lazily loaded) undici agent, both connecting through `lookup`. */
function createDispatchers(options: PoolOptions, lookup: LookupFunction | undefined) {
  const connections = options.connections ?? 8;
  const timeouts = { headers: options.headersTimeoutMs ?? 120_000, body: options.bodyTimeoutMs ?? 300_000 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, ...(lookup ? { lookup } : {}) });
  let undici: Promise<{ agent: Agent; request: typeof import('undici').request }> | undefined;
  const loadUndici = () => {
    undici ??= import('undici').then((m) => ({
      request: m.request,
      agent: new m.Agent({
        allowH2: options.http2 ?? true,
        // An h2 stream may only have its window in flight: undici's 256 KiB is 6 MB/s at a 40 ms
        // round trip. H2_WINDOW covers a blob stream at tens of MB/s across an ocean; undici runs
        // one request per connection (pipelining 1), so the connection needs no more.
        initialWindowSize: H2_WINDOW,
        connectionWindowSize: H2_WINDOW,
        connections,
        keepAliveTimeout: 30_000,
        bodyTimeout: timeouts.body,
        headersTimeout: timeouts.headers,
        connect: { ...(options.ca ? { ca: options.ca } : {}), ...(lookup ? { lookup } : {}) },
      }),
    }));
    return undici;
  };
  return {
    request: async (req: TransportRequest): Promise<TransportResponse> => {
      try {
        if (req.url.startsWith('http:')) return await httpRequest(agent, req, timeouts);
        const u = await loadUndici();
        return await undiciRequest(u.request, u.agent, req);
      } catch (err: unknown) {
        throw networkError(req, err);
      }
    },
    async close() {
      agent.destroy();
      if (undici) await (await undici).agent.destroy();
    },
  };
}

async function undiciRequest(
  request: typeof import('undici').request,
  dispatcher: Dispatcher,
  req: TransportRequest,
): Promise<TransportResponse> {
  const res = await request(req.url, {
    method: req.method as Dispatcher.HttpMethod,
    headers: req.headers ?? {},
    body: req.body ?? null,
    signal: req.signal,
    dispatcher,
  });
  return { status: res.statusCode, headers: normaliseHeaders(res.headers), body: res.body, url: req.url };
}

/**
 * One request through node:http, with the same timeouts as undici: headers must arrive within
 * `headers` ms of the request being sent, and the body may not stay idle for `body` ms. Both end
 * in an error with undici's code, so a registry that accepts the connection and never answers
 * fails (retryably) instead of hanging the copy.
 */
function httpRequest(
  agent: http.Agent,
  req: TransportRequest,
  timeouts: { headers: number; body: number },
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(req.url, {
      method: req.method,
      headers: req.headers ?? {},
      agent,
      signal: req.signal,
    });
    watchHeaders(outgoing, timeouts.headers);
    outgoing.on('response', (res) => {
      watchBodyIdle(res, timeouts.body);
      resolve({
        status: res.statusCode ?? 0,
        headers: normaliseHeaders(res.headers),
        body: res,
        url: req.url,
      });
    });
    outgoing.on('error', reject);
    const body = req.body;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      outgoing.end(body);
      return;
    }
    // A failing source stream (a cut download, a digest mismatch) aborts the upload mid-body.
    (body as Readable).on('error', (err) => {
      outgoing.destroy(err);
      reject(err);
    });
    (body as Readable).pipe(outgoing);
  });
}

/** Fails the request when no response headers arrive within `ms` of its last byte being sent. */
function watchHeaders(outgoing: http.ClientRequest, ms: number): void {
  let timer: NodeJS.Timeout | undefined;
  outgoing.on('finish', () => {
    timer = setTimeout(() => outgoing.destroy(timeoutError('UND_ERR_HEADERS_TIMEOUT', ms)), ms);
  });
  const stop = () => clearTimeout(timer);
  outgoing.on('response', stop);
  outgoing.on('close', stop);
}

/** Fails the response body when its socket stays idle for `ms`; the socket's timer is reset for reuse. */
function watchBodyIdle(res: http.IncomingMessage, ms: number): void {
  const socket = res.socket;
  const onIdle = () => res.destroy(timeoutError('UND_ERR_BODY_TIMEOUT', ms));
  socket.setTimeout(ms, onIdle);
  res.once('close', () => {
    socket.setTimeout(0);
    socket.off('timeout', onIdle);
  });
}

function timeoutError(code: string, ms: number): Error {
  const what = code === 'UND_ERR_HEADERS_TIMEOUT' ? 'response headers' : 'response body data';
  return Object.assign(new Error(`no ${what} within ${ms} ms`), { code });
}

/**
 * The innermost layer: one request on the pool, headers normalised, network errors as
 * RegistryError. `mayResolveLocal` (the registry's target policy) says which URLs' connections
 * may reach local addresses; all others go through the lookup guard.
 */
export function createBaseRoundTrip(
  pool: ConnectionPool,
  mayResolveLocal: (url: URL) => boolean = () => false,
): RoundTrip {
  return (req) => (mayResolveLocal(new URL(req.url)) ? pool.requestLocal(req) : pool.request(req));
}

// Network failures worth another attempt: the peer went away or never answered.
const TEMPORARY_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Turns a thrown network error into a RegistryError that names the code but not the request headers. */
export function networkError(req: TransportRequest, err: unknown): RegistryError {
  if (err instanceof RegistryError) return err;
  const local = findCause(err, LocalAddressError);
  if (local)
    return new RegistryError({ method: req.method, url: req.url, reason: local.message, temporary: false });
  const code = errorCode(err);
  return new RegistryError({
    method: req.method,
    url: req.url,
    reason: code ? `connection failed (${code})` : 'connection failed',
    temporary: code !== undefined && TEMPORARY_NETWORK_CODES.has(code),
    cause: err,
  });
}

function findCause<T>(err: unknown, type: new (...args: never[]) => T): T | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof type) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  // undici wraps socket errors; the useful code may sit one or two causes down.
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
