/**
 * A plain-HTTP front for a (non-TLS) test registry that takes monolithic uploads, as the OCI
 * distribution spec describes them (`POST …/blobs/uploads/?digest=…` carrying the whole blob,
 * answered 201), which distribution 2.8 itself does not: it turns such a POST into the
 * registry's own POST and PUT. Everything else is forwarded as it is, `Location` headers
 * pointing back at the front. Records every request as the fault proxy does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './fault-proxy.js';
import type { TestRegistry } from './registry.js';

/** A running front. */
export interface MonolithicFront {
  /** "127.0.0.1:PORT" */
  host: string;
  /** Every request in arrival order (reset with `requests.length = 0`). */
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(target: URL, method: string, path: string, headers: http.OutgoingHttpHeaders, body?: Buffer) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function readAll(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** POST with the blob → the registry's POST, then PUT into its session; 201 like a registry that takes it. */
async function monolithic(target: URL, path: string, body: Buffer): Promise<Answer> {
  const url = new URL(path, target);
  const digest = url.searchParams.get('digest') ?? '';
  const opened = await send(target, 'POST', url.pathname, { 'content-length': '0' });
  const session = new URL(opened.headers.location ?? '', target);
  session.searchParams.set('digest', digest);
  const put = await send(
    target,
    'PUT',
    `${session.pathname}${session.search}`,
    {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
    },
    body,
  );
  if (put.status !== 201) return put;
  const repository = url.pathname.replace(/^\/v2\/(.*)\/blobs\/uploads\/$/, '$1');
  return {
    status: 201,
    headers: { location: `/v2/${repository}/blobs/${digest}`, 'docker-content-digest': digest },
    body: Buffer.alloc(0),
  };
}

/** Starts the front on a kernel-chosen port of 127.0.0.1. */
export async function startMonolithicFront(registry: TestRegistry): Promise<MonolithicFront> {
  const target = new URL(registry.url);
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      const body = await readAll(req);
      const isMonolithic =
        req.method === 'POST' && path.includes('/blobs/uploads/?') && path.includes('digest=');
      const { host: _host, ...headers } = req.headers;
      const answer =
        isMonolithic && body.length > 0
          ? await monolithic(target, path, body)
          : await send(target, req.method ?? 'GET', path, headers, body);
      requests.push({ method: req.method ?? 'GET', path, status: answer.status });
      const location = answer.headers.location;
      if (location?.startsWith(registry.url)) answer.headers.location = location.slice(registry.url.length);
      const { 'transfer-encoding': _te, connection: _c, ...out } = answer.headers;
      // A HEAD keeps the registry's Content-Length: it is the size of what was asked about.
      const length = req.method === 'HEAD' ? out['content-length'] : String(answer.body.length);
      res.writeHead(answer.status, { ...out, ...(length === undefined ? {} : { 'content-length': length }) });
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
