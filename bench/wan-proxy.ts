/**
 * A reverse proxy that makes a local registry look like one across the internet, for
 * `npm run bench:copy`: every response head is held back by a fixed delay (the round trip), and
 * every body stream, request and response alike, is paced to a fixed per-stream rate (bench/pace.ts),
 * streamed with backpressure and never buffered whole. Plain HTTP on both sides.
 *
 * Registry `Location` headers are rewritten to point back at the proxy, so upload sessions keep
 * going through it; with `tokenOrigin`, the `WWW-Authenticate` realm is rewritten to
 * `PROXY/__token/…` and token requests go through the same link. Every request is counted by kind
 * (bench/request-counts.ts): `counts()` or `GET /__counts` on the proxy.
 *
 * With `tls`, the proxy speaks HTTPS and offers HTTP/2 (ALPN, HTTP/1.1 still accepted) to its
 * clients, so bench/h2.ts can compare the two protocols over a shaped link; the registry behind
 * it stays plain HTTP.
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { createPacer } from './pace.js';
import {
  classifyRequest,
  createRequestCounter,
  type RequestCounter,
  type RequestCounts,
  type RequestKind,
  TOKEN_PREFIX,
} from './request-counts.js';

/** One direction-independent link: latency per request and throughput per stream. */
export interface LinkProfile {
  /** Added to every request, before the response head is forwarded. */
  delayMs: number;
  /** Rate of each body stream (request or response), bytes per second (MB = 10^6 bytes). */
  bytesPerSecond: number;
  /**
   * Added once more to the first request on each new client connection (a TCP handshake costs
   * one round trip). Default: 0, as in issue 12's measurement.
   */
  handshakeMs?: number;
}

/** The two ends of a copy. */
export interface WanProfile {
  source: LinkProfile;
  destination: LinkProfile;
}

/**
 * The profiles of issue 12: `wan1` is a registry 40 ms away (Docker Hub from a runner) copied to
 * one 20 ms away (Artifact Registry), 25 MB/s per stream; `wan2` is a slow link at both ends.
 */
export const WAN_PROFILES: Readonly<Record<'wan1' | 'wan2', WanProfile>> = {
  wan1: {
    source: { delayMs: 40, bytesPerSecond: 25e6 },
    destination: { delayMs: 20, bytesPerSecond: 25e6 },
  },
  wan2: {
    source: { delayMs: 80, bytesPerSecond: 10e6 },
    destination: { delayMs: 80, bytesPerSecond: 10e6 },
  },
};

/** Options of {@link startWanProxy}. */
export interface WanProxyOptions extends LinkProfile {
  /** The registry's origin, `http://127.0.0.1:PORT`. */
  target: string;
  /** The token server's origin (token-auth registries); its realm is then served through the proxy. Default: none. */
  tokenOrigin?: string;
  /** Bucket size of each stream's pacer (see PacerOptions.burstBytes). Default: the pacer's. */
  burstBytes?: number;
  /** Serve HTTPS (HTTP/2 or HTTP/1.1) with this key and certificate (PEM). Default: plain HTTP. */
  tls?: { key: string; cert: string };
}

/** One request's timeline, in the proxy process's performance.now() milliseconds. */
export interface TraceEntry {
  kind: RequestKind;
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  status: number;
  /** The client connection it came on (numbered from 1 in order of arrival). */
  connection: number;
  /** When the request head arrived. */
  start: number;
  /** When the response head was sent (after the delay). */
  head?: number;
  /** When the response body was sent completely. */
  end?: number;
}

/** A running proxy. */
export interface WanProxy {
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** "127.0.0.1:PORT" */
  host: string;
  /** The requests since the start or the last reset. */
  counts(): RequestCounts;
  /** Every request since the start or the last reset, in order of arrival. */
  trace(): TraceEntry[];
  /** Clears the counts and the trace. */
  reset(): void;
  stop(): Promise<void>;
}

// Hop-by-hop headers belong to one connection and are not forwarded (RFC 9110 §7.6.1); HTTP/2
// forbids them, and its pseudo-headers (`:path`) are no HTTP/1.1 headers.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
  'transfer-encoding',
  'host',
]);

/** A request or response of either protocol (HTTP/2 through its compatibility API). */
type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

interface Context {
  options: WanProxyOptions;
  target: URL;
  proxyUrl: string;
  agent: http.Agent;
  counter: RequestCounter;
  /** Client connections (HTTP/2 sessions or sockets): their number and how many requests they have carried. */
  connections: WeakMap<object, { id: number; requests: number }>;
  connectionCount: number;
  trace: TraceEntry[];
}

function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !name.startsWith(':')) out[name] = value;
  }
  return out;
}

/** Points the registry's `Location` and the token realm back at the proxy. */
function rewriteHeaders(ctx: Context, headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out = forwardable(headers);
  const origin = ctx.target.origin;
  const location = headers.location;
  if (location?.startsWith(origin)) out.location = ctx.proxyUrl + location.slice(origin.length);
  const challenge = headers['www-authenticate'];
  const tokenOrigin = ctx.options.tokenOrigin;
  if (tokenOrigin && challenge)
    out['www-authenticate'] = challenge
      .split(`realm="${tokenOrigin}`)
      .join(`realm="${ctx.proxyUrl}${TOKEN_PREFIX}`);
  return out;
}

/** Where a request goes: token requests to the token server, everything else to the registry. */
function upstreamUrl(ctx: Context, path: string): URL {
  const tokenOrigin = ctx.options.tokenOrigin;
  if (tokenOrigin && path.startsWith(`${TOKEN_PREFIX}/`))
    return new URL(path.slice(TOKEN_PREFIX.length), tokenOrigin);
  return new URL(path, ctx.target);
}

function pacer(ctx: Context, direction: 'in' | 'out') {
  const { bytesPerSecond, burstBytes } = ctx.options;
  return createPacer({
    bytesPerSecond,
    ...(burstBytes !== undefined ? { burstBytes } : {}),
    onBytes: (n) => ctx.counter.bytes(direction, n),
  });
}

/** Holds the delay before the head, then streams the body through this stream's own pacer. */
function answer(ctx: Context, exchange: { req: Req; res: Res; entry: TraceEntry }, delayMs: number) {
  const { req, res, entry } = exchange;
  const { method, path } = entry;
  res.on('finish', () => {
    entry.end = performance.now();
  });
  const target = upstreamUrl(ctx, path);
  const upstreamReq = http.request(target, {
    method,
    headers: { ...forwardable(req.headers), host: target.host },
    agent: ctx.agent,
  });
  upstreamReq.on('response', (upstream) => {
    const status = upstream.statusCode ?? 502;
    const headers = rewriteHeaders(ctx, upstream.headers);
    setTimeout(() => {
      const digestHeader = upstream.headers['docker-content-digest'];
      const contentDigest = Array.isArray(digestHeader) ? digestHeader[0] : digestHeader;
      ctx.counter.record({ method, path, status, contentDigest });
      entry.status = status;
      entry.head = performance.now();
      res.writeHead(status, headers);
      pipeline(upstream, pacer(ctx, 'out'), res as NodeJS.WritableStream, () => {});
    }, delayMs);
  });
  upstreamReq.on('error', () => {
    ctx.counter.record({ method, path, status: 502 });
    entry.status = 502;
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  pipeline(req, pacer(ctx, 'in'), upstreamReq, (err) => {
    if (err) upstreamReq.destroy();
  });
}

function handle(ctx: Context, req: Req, res: Res): void {
  if (req.url === '/__counts') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ctx.counter.snapshot()));
    return;
  }
  // HTTP/2 streams of one session share a connection.
  const key: object = 'stream' in req ? (req.stream.session ?? req.socket) : req.socket;
  let connection = ctx.connections.get(key);
  if (!connection) {
    connection = { id: ++ctx.connectionCount, requests: 0 };
    ctx.connections.set(key, connection);
  }
  connection.requests++;
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  const entry: TraceEntry = {
    kind: classifyRequest(method, path),
    method,
    path,
    status: 0,
    connection: connection.id,
    start: performance.now(),
  };
  ctx.trace.push(entry);
  const handshake = connection.requests === 1 ? (ctx.options.handshakeMs ?? 0) : 0;
  answer(ctx, { req, res, entry }, ctx.options.delayMs + handshake);
}

/** Starts the proxy on a kernel-chosen port of 127.0.0.1, in front of `options.target`. */
export async function startWanProxy(options: WanProxyOptions): Promise<WanProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error('the WAN proxy only fronts plain-HTTP registries');
  const ctx: Context = {
    options,
    target,
    proxyUrl: '',
    agent: new http.Agent({ keepAlive: true }),
    counter: createRequestCounter(),
    connections: new WeakMap(),
    connectionCount: 0,
    trace: [],
  };
  const server = options.tls
    ? http2.createSecureServer({ ...options.tls, allowHTTP1: true }, (req, res) => handle(ctx, req, res))
    : http.createServer((req, res) => handle(ctx, req, res));
  const sockets = new Set<{ destroy(): void }>();
  server.on(
    options.tls ? 'secureConnection' : 'connection',
    (socket: { destroy(): void; once: (e: string, f: () => void) => void }) => {
      ctx.counter.connection();
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ctx.proxyUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url: ctx.proxyUrl,
    host: `127.0.0.1:${port}`,
    counts: () => ctx.counter.snapshot(),
    trace: () => [...ctx.trace],
    reset: () => {
      ctx.counter.reset();
      ctx.trace = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        ctx.agent.destroy();
      }),
  };
}
