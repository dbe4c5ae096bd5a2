import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/reference/digest.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { parseRepository } from '../../src/registry/names.js';
import { RegistryError } from '../../src/registry/transport/errors.js';
import type { TransportRequest } from '../../src/registry/transport/types.js';
import { fakeInner, reply } from './transport-fakes.js';

const DIGEST = parseDigest(`sha256:${'a'.repeat(64)}`);
const DST = parseRepository('dst');

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
      repositories: [DST],
      keychain: anonymousKeychain,
      base: fake.roundTrip,
      retry: { attempts: 1 },
    });
    const body = pausedSource();

    const error = await client.uploadBlob(DST, { digest: DIGEST, size: 4096, body }).then(
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

describe('upload Location policy', () => {
  const METADATA = 'http://169.254.169.254/computeMetadata/v1/s1?_state=opaque';
  const refusal = (method: string, path: string) =>
    `${method} https://reg.example${path}: 202 refusing the upload Location http://169.254.169.254/computeMetadata/v1/s1?_state=REDACTED: a loopback or link-local host the registry may not send us to`;
  const clientFor = (location: string) => {
    const fake = fakeInner((req) => {
      if (new URL(req.url).pathname === '/v2/') return reply(200);
      if (req.method === 'POST') return reply(202, { location });
      return reply(req.method === 'PUT' ? 201 : 204);
    });
    const client = createRegistryClient({
      registry: 'reg.example',
      scopes: [],
      repositories: [DST],
      keychain: anonymousKeychain,
      base: fake.roundTrip,
      retry: { attempts: 1 },
    });
    return { fake, client };
  };
  const sent = (seen: TransportRequest[]) => seen.map((r) => `${r.method} ${new URL(r.url).origin}`);

  it('refuses an upload session on a link-local host before sending anything there', async () => {
    const { fake, client } = clientFor(METADATA);
    const body = pausedSource();

    const error = await client.uploadBlob(DST, { digest: DIGEST, size: 4096, body }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect([error instanceof RegistryError, (error as Error).message, body.destroyed]).toEqual([
      true,
      refusal('POST', '/v2/dst/blobs/uploads/'),
      true,
    ]);
    expect(sent(fake.seen)).toEqual(['GET https://reg.example', 'POST https://reg.example']);
  });

  it('refuses the session a refused mount opens on a link-local host', async () => {
    const { fake, client } = clientFor(METADATA);

    const error = await client.mountBlob(DST, DIGEST, parseRepository('other')).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect([error instanceof RegistryError, (error as Error).message]).toEqual([
      true,
      refusal('POST', `/v2/dst/blobs/uploads/?mount=${encodeURIComponent(DIGEST)}&from=other`),
    ]);
    expect(sent(fake.seen)).toEqual(['GET https://reg.example', 'POST https://reg.example']);
  });

  it('follows an upload session to another public host (storage the registry fronts)', async () => {
    const { fake, client } = clientFor('https://uploads.example/s1?_state=opaque');
    const content = Buffer.from('layer');
    const digest = sha256Digest(content);

    await client.uploadBlob(DST, { digest, size: content.length, body: Readable.from([content]) });

    expect(sent(fake.seen)).toEqual([
      'GET https://reg.example',
      'POST https://reg.example',
      'PUT https://uploads.example',
    ]);
  });
});
