import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../src/registry/client.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { RegistryError } from '../../src/registry/transport/errors.js';
import type { TransportRequest } from '../../src/registry/transport/types.js';
import { fakeInner, reply } from './transport-fakes.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A registry that opens upload sessions and answers the blob PUT with `put`. */
function uploadRegistry(put: (req: TransportRequest) => ReturnType<typeof reply> | Error) {
  return fakeInner((req) => {
    const url = new URL(req.url);
    if (url.pathname === '/v2/') return reply(200);
    if (req.method === 'POST') return reply(202, { location: '/v2/dst/blobs/uploads/s1' });
    if (req.method === 'PUT') return put(req);
    return reply(202);
  });
}

/** A source body that has started but never ends, like a paused blob GET. */
function pausedSource(): PassThrough {
  const body = new PassThrough();
  body.write(Buffer.alloc(1024));
  return body;
}

describe('uploadBlob', () => {
  it.each([
    ['the PUT fails on the network', () => new RegistryError({ method: 'PUT', url: 'x', reason: 'reset' })],
    ['the PUT is answered with a status other than 201', () => reply(500)],
  ])('destroys the source body and cancels the session when %s', async (_, put) => {
    const fake = uploadRegistry(put);
    const client = createRegistryClient({
      registry: 'reg.example',
      scopes: [],
      keychain: anonymousKeychain,
      base: fake.roundTrip,
      retry: { attempts: 1 },
    });
    const body = pausedSource();

    const error = await client.uploadBlob('dst', { digest: DIGEST, size: 4096, body }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect([error instanceof RegistryError, body.destroyed]).toEqual([true, true]);
    expect(fake.seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'GET /v2/',
      'POST /v2/dst/blobs/uploads/',
      'PUT /v2/dst/blobs/uploads/s1',
      'DELETE /v2/dst/blobs/uploads/s1',
    ]);
  });
});
