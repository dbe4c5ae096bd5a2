import { describe, expect, it } from 'vitest';
import { createTargetPolicy, isLocalHost } from '../../src/registry/transport/address.js';
import { MAX_REDIRECTS, withRedirects } from '../../src/registry/transport/redirect.js';
import { fakeInner, reply } from './transport-fakes.js';

/** An inner layer answering each URL from `routes` (a redirect's Location, or 200). */
function redirecting(routes: Record<string, string>) {
  return fakeInner((req) => {
    const location = routes[req.url];
    return location ? reply(307, { location }) : reply(200, {}, 'blob');
  });
}

const auth = { authorization: 'Bearer secret' };

describe('withRedirects', () => {
  it('keeps Authorization on the same origin and drops it once the origin changes', async () => {
    const fake = redirecting({
      'https://reg.example/v2/a/blobs/x': '/v2/a/blobs/y',
      'https://reg.example/v2/a/blobs/y': 'https://cdn.example/y?sig=1',
      'https://cdn.example/y?sig=1': 'https://reg.example/v2/a/blobs/z',
    });

    const res = await withRedirects(fake.roundTrip)({
      method: 'GET',
      url: 'https://reg.example/v2/a/blobs/x',
      headers: { ...auth, accept: '*/*' },
    });

    expect(res.status).toBe(200);
    expect(fake.seen.map((r) => [r.url, r.headers])).toEqual([
      ['https://reg.example/v2/a/blobs/x', { ...auth, accept: '*/*' }],
      ['https://reg.example/v2/a/blobs/y', { ...auth, accept: '*/*' }],
      ['https://cdn.example/y?sig=1', { accept: '*/*' }],
      // Back on the registry's origin, the header dropped on the way is not restored.
      ['https://reg.example/v2/a/blobs/z', { accept: '*/*' }],
    ]);
  });

  it('refuses a downgrade from https to http without sending the request', async () => {
    const fake = redirecting({ 'https://reg.example/v2/a/blobs/x': 'http://cdn.example/y?sig=1' });

    const result = withRedirects(fake.roundTrip)({ method: 'GET', url: 'https://reg.example/v2/a/blobs/x' });

    await expect(result).rejects.toThrow(
      'https://reg.example/v2/a/blobs/x: refusing the redirect to http://cdn.example/y?sig=REDACTED: it downgrades https to http',
    );
    expect(fake.seen.length).toBe(1);
  });

  it('refuses a local target for a remote registry even when another local registry is exempted', async () => {
    // 127.0.0.1:5000 is exempted (a local destination); reg.example is judged by its own policy.
    const policy = createTargetPolicy('reg.example', 'https://reg.example', ['127.0.0.1:5000']);
    const fake = redirecting({
      'https://reg.example/v2/a/blobs/x': 'https://169.254.169.254/computeMetadata/v1/',
      'http://reg.example/v2/a/blobs/y': 'http://127.0.0.1:9000/y',
      'http://reg.example/v2/a/blobs/z': 'http://127.0.0.1:5000/v2/a/blobs/z',
    });
    const rt = withRedirects(fake.roundTrip, { isAllowedHost: policy.allows });

    const results = await Promise.all(
      [
        'https://reg.example/v2/a/blobs/x',
        'http://reg.example/v2/a/blobs/y',
        'http://reg.example/v2/a/blobs/z',
      ].map((url) =>
        rt({ method: 'GET', url }).then(
          () => 'followed',
          (e: unknown) => (e as Error).message,
        ),
      ),
    );

    expect(results.map((m) => m.replace(/^.*: refusing the redirect to /, ''))).toEqual([
      'https://169.254.169.254/computeMetadata/v1/: a loopback or link-local host',
      'http://127.0.0.1:9000/y: a loopback or link-local host',
      'http://127.0.0.1:5000/v2/a/blobs/z: a loopback or link-local host',
    ]);
    expect(fake.seen.map((r) => r.url).sort()).toEqual([
      'http://reg.example/v2/a/blobs/y',
      'http://reg.example/v2/a/blobs/z',
      'https://reg.example/v2/a/blobs/x',
    ]);
  });

  it('lets the exempted local registry itself redirect to another local port (its own storage)', async () => {
    const policy = createTargetPolicy('127.0.0.1:5000', 'http://127.0.0.1:5000', ['127.0.0.1:5000']);
    const fake = redirecting({ 'http://127.0.0.1:5000/v2/a/blobs/z': 'http://127.0.0.1:9000/z' });

    const res = await withRedirects(fake.roundTrip, { isAllowedHost: policy.allows })({
      method: 'GET',
      url: 'http://127.0.0.1:5000/v2/a/blobs/z',
    });

    expect([res.status, fake.seen.map((r) => r.url)]).toEqual([
      200,
      ['http://127.0.0.1:5000/v2/a/blobs/z', 'http://127.0.0.1:9000/z'],
    ]);
  });

  it(`gives up after ${MAX_REDIRECTS} redirects`, async () => {
    const fake = fakeInner((req) => reply(302, { location: `${req.url}x` }));

    const result = withRedirects(fake.roundTrip)({ method: 'HEAD', url: 'https://reg.example/a' });

    await expect(result).rejects.toThrow(`HEAD https://reg.example/a: more than ${MAX_REDIRECTS} redirects`);
    expect(fake.seen.length).toBe(MAX_REDIRECTS + 1);
  });
});

describe('isLocalHost', () => {
  it('recognises loopback and link-local literals and names, and nothing else', () => {
    const hosts = [
      '127.0.0.1',
      '127.9.9.9',
      '169.254.169.254',
      '0.0.0.0',
      '[::1]',
      '[fe80::1]',
      new URL('http://[::ffff:127.0.0.1]/').hostname,
      new URL('http://2130706433/').hostname,
      'localhost',
      'a.localhost',
      'metadata.google.internal',
      '10.0.0.1',
      '169.255.0.1',
      '[2001:db8::1]',
      'registry-1.docker.io',
      'localhost.example',
    ];

    expect(hosts.map((h) => [h, isLocalHost(h)])).toEqual([
      ['127.0.0.1', true],
      ['127.9.9.9', true],
      ['169.254.169.254', true],
      ['0.0.0.0', true],
      ['[::1]', true],
      ['[fe80::1]', true],
      ['[::ffff:7f00:1]', true],
      ['127.0.0.1', true],
      ['localhost', true],
      ['a.localhost', true],
      ['metadata.google.internal', true],
      ['10.0.0.1', false],
      ['169.255.0.1', false],
      ['[2001:db8::1]', false],
      ['registry-1.docker.io', false],
      ['localhost.example', false],
    ]);
  });
});
