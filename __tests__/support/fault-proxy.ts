/**
 * A plain-HTTP proxy in front of a (non-TLS) test registry that records every request and
 * injects faults on demand: an arbitrary status (429 with Retry-After, 503), a response body
 * cut after N bytes, a corrupted body (one flipped byte: a wrong digest) or a dropped
 * connection, or a response held back until the test releases it. `Location` headers are
 * rewritten to point back at the proxy, so upload sessions keep flowing through it. `events`
 * says when each request arrived and when its answer was complete, so tests can see which
 * requests were in flight together (order, not time).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestRegistry } from './registry.js';

/** One request as the proxy answered it; `path` includes the query, `status` 0 = connection dropped. */
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

/** A fault and the requests it applies to (the first matching rule with `times` left wins). */
export type FaultRule = {
  match: (req: { method: string; path: string }) => boolean;
  /** How many matching requests get the fault. Default: all of them. */
  times?: number;
  /**
   * Handles the request only once this settles (or the promise this returns, called as the
   * request arrives); tests bound it with their own fallback. Default: at once.
   */
  holdUntil?: Promise<unknown> | (() => Promise<unknown>);
} & (
  | { action: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { action: 'cut-body'; afterBytes: number }
  | { action: 'corrupt-body' }
  | { action: 'drop-connection' }
  /** No fault: forwarded as it is (with `holdUntil`, late). */
  | { action: 'forward' }
);

/** A request arriving, or its answer having been sent completely, in order. */
export interface ProxyEvent {
  type: 'arrive' | 'answer';
  method: string;
  path: string;
}

/** A running proxy. */
export interface FaultProxy {
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** "127.0.0.1:PORT" */
  host: string;
  /** Every request in arrival order (reset with `requests.length = 0`). */
  requests: RecordedRequest[];
  /** Arrivals and complete answers in the order they happened (reset with `events.length = 0`). */
  events: ProxyEvent[];
  /** Called with every event as it happens. Default: none. */
  onEvent?: ((event: ProxyEvent) => void) | undefined;
  /** Replaces the rules; their `times` counters start afresh. */
  setRules(rules: FaultRule[]): void;
  stop(): Promise<void>;
}

// Hop-by-hop headers belong to one connection and must not be forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer']);

function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** Streams the body but stops after `limit` bytes and kills the socket, keeping the full Content-Length. */
function cutAfter(upstream: http.IncomingMessage, res: http.ServerResponse, limit: number): void {
  let sent = 0;
  const cut = () => {
    upstream.destroy();
    // Flush what was written, then close the connection mid-body (the client sees a short body).
    const socket = res.socket;
    socket?.end(() => socket.destroy());
  };
  if (limit === 0) {
    res.flushHeaders();
    cut();
    return;
  }
  upstream.on('data', (chunk: Buffer) => {
    if (sent >= limit) return;
    const part = chunk.subarray(0, limit - sent);
    sent += part.length;
    res.write(part);
    if (sent >= limit) cut();
  });
  upstream.on('end', () => res.end());
}

/** Flips every bit of the first body byte: same length, different digest. */
function corrupt(upstream: http.IncomingMessage, res: http.ServerResponse): void {
  let done = false;
  upstream.on('data', (chunk: Buffer) => {
    if (!done && chunk.length > 0) {
      done = true;
      const copy = Buffer.from(chunk);
      copy[0] = copy[0]! ^ 0xff;
      res.write(copy);
      return;
    }
    res.write(chunk);
  });
  upstream.on('end', () => res.end());
}

/** What forwarding needs to know about both ends. */
interface Route {
  target: string;
  targetUrl: URL;
  proxyUrl: string;
  agent: http.Agent;
  requests: RecordedRequest[];
}

function forward(
  route: Route,
  exchange: { req: http.IncomingMessage; res: http.ServerResponse; record: RecordedRequest },
  rule?: FaultRule,
): void {
  const { req, res, record } = exchange;
  const { targetUrl } = route;
  const headers = { ...forwardable(req.headers), host: targetUrl.host };
  const options = {
    host: targetUrl.hostname,
    port: targetUrl.port,
    method: req.method,
    path: req.url,
    headers,
  };
  const upstreamReq = http.request({ ...options, agent: route.agent }, (upstream) => {
    const out = forwardable(upstream.headers);
    const location = upstream.headers.location;
    if (location?.startsWith(route.target))
      out.location = route.proxyUrl + location.slice(route.target.length);
    record.status = upstream.statusCode ?? 0;
    route.requests.push(record);
    res.writeHead(record.status, out);
    if (rule?.action === 'cut-body') return cutAfter(upstream, res, rule.afterBytes);
    if (rule?.action === 'corrupt-body') return corrupt(upstream, res);
    upstream.pipe(res);
  });
  upstreamReq.on('error', () => {
    record.status = 502;
    route.requests.push(record);
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  req.pipe(upstreamReq);
}

/** Answers from the rule alone (status, dropped connection); false when the request must be forwarded. */
function answerLocally(
  route: Route,
  exchange: { req: http.IncomingMessage; res: http.ServerResponse; record: RecordedRequest },
  rule?: FaultRule,
): boolean {
  const { req, res, record } = exchange;
  if (rule?.action === 'drop-connection') {
    route.requests.push(record);
    req.socket.destroy();
    return true;
  }
  if (rule?.action !== 'status') return false;
  record.status = rule.status;
  route.requests.push(record);
  // Read the request body so the client is not stuck writing into a full socket buffer.
  req.resume();
  req.on('end', () => res.writeHead(rule.status, rule.headers).end(rule.body));
  return true;
}

/** Starts the proxy on a kernel-chosen port of 127.0.0.1, forwarding to `target` (a registry, or another proxy). */
export async function startFaultProxy(target: Pick<TestRegistry, 'url'>): Promise<FaultProxy> {
  const targetUrl = new URL(target.url);
  if (targetUrl.protocol !== 'http:') throw new Error('the fault proxy only fronts plain-HTTP registries');
  const route: Route = {
    target: target.url,
    targetUrl,
    proxyUrl: '',
    agent: new http.Agent({ keepAlive: true }),
    requests: [],
  };
  let rules: (FaultRule & { left: number })[] = [];
  const pickRule = (method: string, path: string) => {
    const rule = rules.find((candidate) => candidate.left > 0 && candidate.match({ method, path }));
    if (rule) rule.left--;
    return rule;
  };
  const events: ProxyEvent[] = [];
  const emit = (event: ProxyEvent) => {
    events.push(event);
    proxy.onEvent?.(event);
  };
  const server = http.createServer((req, res) => {
    const record: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
    emit({ type: 'arrive', method: record.method, path: record.path });
    res.on('finish', () => emit({ type: 'answer', method: record.method, path: record.path }));
    const rule = pickRule(record.method, record.path);
    const go = () => {
      if (!answerLocally(route, { req, res, record }, rule)) forward(route, { req, res, record }, rule);
    };
    const hold = typeof rule?.holdUntil === 'function' ? rule.holdUntil() : rule?.holdUntil;
    if (hold) hold.then(go, go);
    else go();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  route.proxyUrl = `http://127.0.0.1:${port}`;
  const proxy: FaultProxy = {
    url: route.proxyUrl,
    host: `127.0.0.1:${port}`,
    requests: route.requests,
    events,
    onEvent: undefined,
    setRules(next) {
      rules = next.map((rule) => ({ ...rule, left: rule.times ?? Number.POSITIVE_INFINITY }));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        route.agent.destroy();
      }),
  };
  return proxy;
}
