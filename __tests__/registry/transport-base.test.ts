import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionPool } from '../../src/registry/transport/base.js';
import { RegistryError } from '../../src/registry/transport/errors.js';

// A plain-HTTP "registry" that accepts connections and answers as `behaviour` says: never
// (headers never come), or with headers and half a body and then silence.
let server: net.Server;
let port = 0;
const sockets = new Set<net.Socket>();
let behaviour: 'silent' | 'stall-body' = 'silent';

beforeAll(async () => {
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => {
      if (behaviour === 'stall-body') socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nhalf');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('plain-HTTP requests', () => {
  it('fail with a temporary error when the registry accepts the connection and never answers', async () => {
    behaviour = 'silent';
    const pool = createConnectionPool({ headersTimeoutMs: 50, bodyTimeoutMs: 5000 });

    const error = await pool.request({ method: 'GET', url: `http://127.0.0.1:${port}/v2/` }).then(
      () => undefined,
      (e: unknown) => e as RegistryError,
    );
    await pool.close();

    expect([error instanceof RegistryError, error?.message, error?.temporary]).toEqual([
      true,
      `GET http://127.0.0.1:${port}/v2/: connection failed (UND_ERR_HEADERS_TIMEOUT)`,
      true,
    ]);
  });

  it('fail the body when it stays idle', async () => {
    behaviour = 'stall-body';
    const pool = createConnectionPool({ headersTimeoutMs: 5000, bodyTimeoutMs: 50 });
    const res = await pool.request({ method: 'GET', url: `http://127.0.0.1:${port}/v2/x/blobs/y` });
    const chunks: string[] = [];

    const error = await (async () => {
      for await (const chunk of res.body) chunks.push(String(chunk));
    })().then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    await pool.close();

    expect([res.status, chunks, error?.code, error?.message]).toEqual([
      200,
      ['half'],
      'UND_ERR_BODY_TIMEOUT',
      'no response body data within 50 ms',
    ]);
  });
});
