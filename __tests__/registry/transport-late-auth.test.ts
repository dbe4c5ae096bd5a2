import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTransport } from '../../src/registry/transport/index.js';
import { fakeInner, fixedKeychain, reply } from './transport-fakes.js';

// Every repository these tests address; the scope layer refuses any other.
const REPOSITORIES = ['public', 'private'];

/** reg.example: `/v2/` and `public/` are anonymous, `private/` wants a Bearer token from auth.example. */
function mixedRegistry() {
  return fakeInner((req) => {
    const url = new URL(req.url);
    if (url.host === 'auth.example')
      return reply(200, {}, JSON.stringify({ token: 'tok1', expires_in: 300 }));
    if (url.pathname.startsWith('/v2/private/') && req.headers?.authorization !== 'Bearer tok1')
      return reply(401, { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="reg"' });
    return reply(200, { 'docker-content-digest': 'sha256:1' }, '{}');
  });
}

const lines = (seen: { method: string; url: string; headers?: Record<string, string> }[]) =>
  seen.map((r) => `${r.method} ${r.url} ${r.headers?.authorization ?? '-'}`);

describe('a 401 from a repository behind an anonymous /v2/', () => {
  it('switches to the challenge it names and sends the request again with a token', async () => {
    const fake = mixedRegistry();
    const t = createTransport({
      registry: 'reg.example',
      scopes: ['repository:private:pull'],
      repositories: REPOSITORIES,
      keychain: fixedKeychain({}),
      base: fake.roundTrip,
      retry: { attempts: 1 },
    });

    const pub = await t.roundTrip({ method: 'GET', url: 'https://reg.example/v2/public/manifests/1' });
    const priv = await t.roundTrip({ method: 'GET', url: 'https://reg.example/v2/private/manifests/1' });
    const again = await t.roundTrip({ method: 'HEAD', url: 'https://reg.example/v2/private/manifests/2' });

    expect([pub.status, priv.status, again.status]).toEqual([200, 200, 200]);
    expect(lines(fake.seen)).toEqual([
      'GET https://reg.example/v2/ -',
      'GET https://reg.example/v2/public/manifests/1 -',
      'GET https://reg.example/v2/private/manifests/1 -',
      'GET https://auth.example/token?service=reg&scope=repository%3Aprivate%3Apull -',
      'GET https://reg.example/v2/private/manifests/1 Bearer tok1',
      'HEAD https://reg.example/v2/private/manifests/2 Bearer tok1',
    ]);
  });

  it('returns the 401 of a streamed body, which cannot be sent twice', async () => {
    const fake = mixedRegistry();
    const t = createTransport({
      registry: 'reg.example',
      scopes: ['repository:private:push,pull'],
      repositories: REPOSITORIES,
      keychain: fixedKeychain({}),
      base: fake.roundTrip,
      retry: { attempts: 1 },
    });

    const res = await t.roundTrip({
      method: 'PUT',
      url: 'https://reg.example/v2/private/blobs/uploads/x',
      body: Readable.from([Buffer.from('data')]),
    });

    expect([res.status, lines(fake.seen)]).toEqual([
      401,
      ['GET https://reg.example/v2/ -', 'PUT https://reg.example/v2/private/blobs/uploads/x -'],
    ]);
  });
});
