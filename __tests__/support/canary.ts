/**
 * Small server helpers of the hostile-registry harness: a loopback canary that records every
 * request it gets (what a registry must never make us reach), and listen/close on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
}

/** A plain HTTP server on 127.0.0.1 that records every request and answers `{"token":"canary"}`. */
export interface Canary {
  url: string;
  host: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

/** Listens on a kernel-chosen port of 127.0.0.1 and returns it. */
export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every connection it holds. */
export function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Appends `req` (method, path, Authorization) to `list`. */
export function record(list: SeenRequest[], req: http.IncomingMessage): void {
  const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/' };
  if (req.headers.authorization) seen.authorization = req.headers.authorization;
  list.push(seen);
}

/** Starts the canary on a kernel-chosen port of 127.0.0.1. */
export async function startCanary(): Promise<Canary> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    record(requests, req);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"canary"}'));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, requests, stop: () => close(server) };
}
