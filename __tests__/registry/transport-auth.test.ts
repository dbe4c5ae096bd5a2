import { describe, expect, it } from 'vitest';
import { parseReference } from '../../src/reference/index.js';
import { normaliseRegistryHost } from '../../src/registry/credentials/hosts.js';
import { withBearerAuth } from '../../src/registry/transport/auth-bearer.js';
import { createTransport, registryHost } from '../../src/registry/transport/index.js';
import { parseChallenge } from '../../src/registry/transport/ping.js';
import type { TransportRequest } from '../../src/registry/transport/types.js';
import { fakeInner, fixedKeychain, reply } from './transport-fakes.js';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const noRetry = { attempts: 1 };
// Every repository these tests address; the scope layer refuses any other.
const REPOSITORIES = ['dst', 'src', 'x', 'library/nginx'];

/** A registry on reg.example that wants Bearer tokens from auth.example, and a CDN host. */
function bearerRegistry(options: { tokenField?: 'token' | 'access_token'; rejectFirst?: string } = {}) {
  let issued = 0;
  let rejected = false;
  return fakeInner((req: TransportRequest) => {
    const url = new URL(req.url);
    if (url.host === 'auth.example') {
      issued++;
      return reply(
        200,
        {},
        JSON.stringify({ [options.tokenField ?? 'token']: `tok${issued}`, expires_in: 300 }),
      );
    }
    if (url.host === 'cdn.example') return reply(200, {}, 'blob');
    if (url.pathname === '/v2/' && !req.headers?.authorization)
      return reply(401, { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="reg"' });
    if (options.rejectFirst && !rejected && url.pathname === '/v2/dst/blobs/uploads/') {
      rejected = true;
      return reply(401, {
        'www-authenticate': `Bearer realm="https://auth.example/token",service="reg",scope="${options.rejectFirst}",error="insufficient_scope"`,
      });
    }
    if (url.pathname.startsWith('/v2/dst/blobs/sha256'))
      return reply(307, { location: 'https://cdn.example/x?sig=1' });
    return reply(200, {}, '{}');
  });
}

describe('bearer auth through createTransport', () => {
  it('pings, fetches one token with the push scope first and Basic credentials, and reuses it', async () => {
    const fake = bearerRegistry();
    const keychain = fixedKeychain({ 'reg.example': { username: 'u', password: 'p4ss' } });
    const t = createTransport({
      registry: 'reg.example',
      scopes: ['repository:dst:push,pull', 'repository:src:pull'],
      repositories: REPOSITORIES,
      keychain,
      base: fake.roundTrip,
      retry: noRetry,
    });

    await t.roundTrip({ method: 'HEAD', url: `${t.baseUrl}/v2/dst/manifests/1` });
    await t.roundTrip({ method: 'HEAD', url: `${t.baseUrl}/v2/dst/manifests/2` });

    expect(fake.seen.map((r) => [r.method, r.url, r.headers?.authorization])).toEqual([
      ['GET', 'https://reg.example/v2/', undefined],
      [
        'GET',
        'https://auth.example/token?service=reg&scope=repository%3Adst%3Apush%2Cpull&scope=repository%3Asrc%3Apull',
        basic('u', 'p4ss'),
      ],
      ['HEAD', 'https://reg.example/v2/dst/manifests/1', 'Bearer tok1'],
      ['HEAD', 'https://reg.example/v2/dst/manifests/2', 'Bearer tok1'],
    ]);
  });

  it('accepts access_token and asks anonymously when the keychain has nothing', async () => {
    const fake = bearerRegistry({ tokenField: 'access_token' });
    const t = createTransport({
      registry: 'reg.example',
      scopes: ['repository:src:pull'],
      repositories: REPOSITORIES,
      keychain: fixedKeychain({}),
      base: fake.roundTrip,
      retry: noRetry,
    });

    await t.roundTrip({ method: 'GET', url: `${t.baseUrl}/v2/src/tags/list` });

    expect(fake.seen[1]?.headers).toEqual({});
    expect(fake.seen[2]?.headers?.authorization).toBe('Bearer tok1');
  });

  it('on insufficient_scope puts the new scope first, refreshes credentials, and retries once', async () => {
    const fake = bearerRegistry({ rejectFirst: 'repository:dst:push' });
    const keychain = fixedKeychain({ 'reg.example': { username: 'u', password: 'p' } });
    const t = createTransport({
      registry: 'reg.example',
      scopes: ['repository:dst:pull'],
      repositories: REPOSITORIES,
      keychain,
      base: fake.roundTrip,
      retry: noRetry,
    });

    const res = await t.roundTrip({
      method: 'POST',
      url: `${t.baseUrl}/v2/dst/blobs/uploads/`,
      body: Buffer.alloc(0),
    });

    expect(res.status).toBe(200);
    expect(
      fake.seen
        .slice(1)
        .map((r) => `${r.method} ${decodeURIComponent(r.url)} ${r.headers?.authorization ?? '-'}`),
    ).toEqual([
      `GET https://auth.example/token?service=reg&scope=repository:dst:pull ${basic('u', 'p')}`,
      'POST https://reg.example/v2/dst/blobs/uploads/ Bearer tok1',
      `GET https://auth.example/token?service=reg&scope=repository:dst:push&scope=repository:dst:pull ${basic('u', 'p')}`,
      'POST https://reg.example/v2/dst/blobs/uploads/ Bearer tok2',
    ]);
    expect(keychain.calls).toEqual(['reg.example', 'reg.example refresh']);
  });

  it('follows a blob redirect to another origin without sending Authorization there', async () => {
    const fake = bearerRegistry();
    const t = createTransport({
      registry: 'reg.example',
      scopes: ['repository:dst:pull'],
      repositories: REPOSITORIES,
      keychain: fixedKeychain({}),
      base: fake.roundTrip,
      retry: noRetry,
    });

    const res = await t.roundTrip({ method: 'GET', url: `${t.baseUrl}/v2/dst/blobs/sha256:abc` });

    expect(res.status).toBe(200);
    expect(fake.seen.slice(2).map((r) => [r.url, r.headers?.authorization])).toEqual([
      ['https://reg.example/v2/dst/blobs/sha256:abc', 'Bearer tok1'],
      ['https://cdn.example/x?sig=1', undefined],
    ]);
  });

  it('refuses a token realm that is not https when the registry is', () => {
    const inner = fakeInner(() => reply(200));

    const build = () =>
      withBearerAuth(inner.roundTrip, {
        host: 'r',
        registry: 'r',
        realm: 'http://evil.example/t',
        scopes: [],
        keychain: fixedKeychain({}),
        tokenTransport: inner.roundTrip,
      });

    expect(build).toThrow('token realm http://evil.example must use https');
  });
  it('refuses a token realm on a link-local host before asking the keychain or sending anything there', async () => {
    const fake = fakeInner((req) =>
      req.headers?.authorization
        ? reply(200)
        : reply(401, { 'www-authenticate': 'Bearer realm="https://169.254.169.254/token",service="reg"' }),
    );
    const keychain = fixedKeychain({ 'reg.example': { username: 'u', password: 'p4ss' } });
    const t = createTransport({
      registry: 'reg.example',
      scopes: [],
      repositories: REPOSITORIES,
      keychain,
      base: fake.roundTrip,
      retry: noRetry,
    });

    const result = t.roundTrip({ method: 'GET', url: `${t.baseUrl}/v2/dst/tags/list` });

    await expect(result).rejects.toThrow(
      'token realm https://169.254.169.254 is a loopback or link-local host the registry may not send us to',
    );
    expect([fake.seen.map((r) => r.url), keychain.calls]).toEqual([['https://reg.example/v2/'], []]);
  });

  it("judges a token realm by the registry's own policy: a listed local host exempts only itself", async () => {
    const fake = fakeInner((req) => {
      const url = new URL(req.url);
      if (url.port === '7000') return reply(200, {}, '{"token":"t"}');
      if (req.headers?.authorization) return reply(200);
      // Each registry names the same local token server, with its own scheme.
      return reply(401, { 'www-authenticate': `Bearer realm="${url.protocol}//127.0.0.1:7000/token"` });
    });
    const transport = (registry: string, plainHttp: string[]) =>
      createTransport({
        registry,
        scopes: [],
        repositories: REPOSITORIES,
        keychain: fixedKeychain({}),
        base: fake.roundTrip,
        plainHttp,
        retry: noRetry,
      });
    // 127.0.0.1:7000 is listed (say, the local destination); reg.example may still not send us there.
    const remote = transport('reg.example', ['127.0.0.1:7000']);
    // The listed local registry may: its token server runs beside it.
    const local = transport('127.0.0.1:5000', ['127.0.0.1:5000']);

    const refusal = remote.roundTrip({ method: 'GET', url: `${remote.baseUrl}/v2/dst/tags/list` });
    await expect(refusal).rejects.toThrow('token realm https://127.0.0.1:7000 is a loopback');
    fake.seen.length = 0;
    const res = await local.roundTrip({ method: 'GET', url: `${local.baseUrl}/v2/dst/tags/list` });

    expect([res.status, fake.seen.map((r) => r.url)]).toEqual([
      200,
      ['http://127.0.0.1:5000/v2/', 'http://127.0.0.1:7000/token', 'http://127.0.0.1:5000/v2/dst/tags/list'],
    ]);
  });
});

describe('bearer token cache', () => {
  it('keeps a token with a lifetime beyond 24.8 days until it expires, by the clock', async () => {
    let clock = 1_000_000;
    let issued = 0;
    const fake = fakeInner((req) => {
      if (req.url.startsWith('https://auth.example/')) {
        issued++;
        return reply(200, {}, JSON.stringify({ token: `tok${issued}`, expires_in: 30 * 86_400 }));
      }
      return reply(200);
    });
    const rt = withBearerAuth(fake.roundTrip, {
      host: 'reg.example',
      registry: 'reg.example',
      realm: 'https://auth.example/token',
      scopes: ['repository:a:pull'],
      keychain: fixedKeychain({}),
      tokenTransport: fake.roundTrip,
      now: () => clock,
    });
    const send = async () => {
      await rt({ method: 'HEAD', url: 'https://reg.example/v2/a/manifests/1' });
      // Give a timer that was (wrongly) scheduled for the expiry the chance to fire.
      await new Promise((resolve) => setTimeout(resolve, 5));
    };

    await send();
    clock += 86_400_000;
    await send();
    clock += 30 * 86_400_000;
    await send();

    expect(fake.seen.filter((r) => r.url.includes('/v2/')).map((r) => r.headers?.authorization)).toEqual([
      'Bearer tok1',
      'Bearer tok1',
      'Bearer tok2',
    ]);
  });
});

describe('basic auth, schemes and Docker Hub', () => {
  it('sends Basic to the registry host but not to the host a blob GET is redirected to', async () => {
    const fake = fakeInner((req) => {
      const url = new URL(req.url);
      if (url.host === 'storage.example') return reply(200, {}, 'blob');
      if (!req.headers?.authorization) return reply(401, { 'www-authenticate': 'Basic realm="r"' });
      if (url.pathname.includes('/blobs/'))
        return reply(307, { location: 'https://storage.example/b?sig=1' });
      return reply(200);
    });
    const t = createTransport({
      registry: 'reg.example',
      scopes: [],
      repositories: REPOSITORIES,
      keychain: fixedKeychain({ 'reg.example': { username: 'a', password: 'b' } }),
      base: fake.roundTrip,
      retry: noRetry,
    });

    const res = await t.roundTrip({ method: 'GET', url: `${t.baseUrl}/v2/x/blobs/sha256:abc` });

    expect(res.status).toBe(200);
    expect(fake.seen.map((r) => [r.url, r.headers?.authorization])).toEqual([
      ['https://reg.example/v2/', undefined],
      ['https://reg.example/v2/x/blobs/sha256:abc', basic('a', 'b')],
      ['https://storage.example/b?sig=1', undefined],
    ]);
  });

  it('uses plain HTTP for listed hosts, sends Basic only to the registry host, and refreshes once on 401', async () => {
    let accepted = false;
    const fake = fakeInner((req) => {
      if (!req.headers?.authorization) return reply(401, { 'www-authenticate': 'Basic realm="r"' });
      if (!accepted) {
        accepted = true;
        return reply(401, { 'www-authenticate': 'Basic realm="r"' });
      }
      return reply(200);
    });
    const keychain = fixedKeychain({ '127.0.0.1:5000': { username: 'a', password: 'b' } });
    const t = createTransport({
      registry: '127.0.0.1:5000',
      scopes: [],
      repositories: REPOSITORIES,
      keychain,
      base: fake.roundTrip,
      plainHttp: ['127.0.0.1:5000'],
      retry: noRetry,
    });

    const res = await t.roundTrip({ method: 'GET', url: `${t.baseUrl}/v2/x/tags/list` });

    expect(t.baseUrl).toBe('http://127.0.0.1:5000');
    expect(res.status).toBe(200);
    expect(fake.seen.map((r) => [r.url, r.headers?.authorization])).toEqual([
      ['http://127.0.0.1:5000/v2/', undefined],
      ['http://127.0.0.1:5000/v2/x/tags/list', basic('a', 'b')],
      ['http://127.0.0.1:5000/v2/x/tags/list', basic('a', 'b')],
    ]);
    expect(keychain.calls).toEqual(['127.0.0.1:5000', '127.0.0.1:5000 refresh']);
  });

  it('treats every Docker Hub name alike in references, keychains and the transport', () => {
    const names = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'Registry.Hub.Docker.com'];

    const seen = names.map((n) => [
      parseReference(`${n}/library/nginx:1`).registry,
      normaliseRegistryHost(n),
      registryHost(n),
    ]);

    expect(seen).toEqual(names.map(() => ['docker.io', 'docker.io', 'registry-1.docker.io']));
  });

  it('talks to registry-1.docker.io over HTTPS for docker.io and asks the keychain for docker.io', async () => {
    const fake = fakeInner(() => reply(200));
    const t = createTransport({
      registry: 'docker.io',
      scopes: [],
      repositories: REPOSITORIES,
      keychain: fixedKeychain({}),
      base: fake.roundTrip,
      plainHttp: ['docker.io'],
    });

    await t.roundTrip({ method: 'HEAD', url: `${t.baseUrl}/v2/library/nginx/manifests/1` });

    expect(fake.seen.map((r) => r.url)).toEqual([
      'https://registry-1.docker.io/v2/',
      'https://registry-1.docker.io/v2/library/nginx/manifests/1',
    ]);
  });
});

describe('parseChallenge', () => {
  it('reads Bearer parameters including quoted commas and escapes', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://a/t",service="s",scope="repository:x:pull,push",error="insufficient_scope"',
      ),
    ).toEqual({
      scheme: 'bearer',
      realm: 'https://a/t',
      service: 's',
      scope: 'repository:x:pull,push',
      error: 'insufficient_scope',
    });
    expect(parseChallenge('bearer realm=https://a/t')).toEqual({ scheme: 'bearer', realm: 'https://a/t' });
    expect(parseChallenge('Basic realm="a \\"b\\""')).toEqual({ scheme: 'basic', realm: 'a "b"' });
    expect(parseChallenge('Bearer service="s"')).toEqual({ scheme: 'none' });
    expect(parseChallenge(undefined)).toEqual({ scheme: 'none' });
  });
});

describe('identity tokens at the realm', () => {
  it('POSTs grant_type=refresh_token, masks every token, and uses a rotated refresh token next time', async () => {
    let issued = 0;
    const fake = fakeInner((req) => {
      if (req.url.startsWith('https://auth.example/')) {
        issued++;
        const body = { access_token: `acc${issued}`, refresh_token: `rot${issued}`, expires_in: 300 };
        return reply(200, {}, JSON.stringify(body));
      }
      // The first access token is refused once, so the layer asks the realm again.
      return req.headers?.authorization === 'Bearer acc1' ? reply(401) : reply(200);
    });
    const secrets: string[] = [];
    const rt = withBearerAuth(fake.roundTrip, {
      host: 'reg.example',
      registry: 'reg.example',
      realm: 'https://auth.example/token',
      service: 'reg',
      scopes: ['repository:a:pull'],
      keychain: fixedKeychain({ 'reg.example': { username: '<token>', password: 'idt-0' } }),
      tokenTransport: fake.roundTrip,
      secret: (value) => secrets.push(value),
    });

    const res = await rt({ method: 'HEAD', url: 'https://reg.example/v2/a/manifests/1' });

    const form = (token: string) =>
      `grant_type=refresh_token&refresh_token=${token}&service=reg&scope=repository%3Aa%3Apull&client_id=ar-mirror`;
    const tokenRequests = fake.seen
      .filter((r) => r.url.startsWith('https://auth.example/'))
      .map((r) => [r.method, r.headers?.['content-type'], String(r.body)]);
    expect(res.status).toBe(200);
    expect(tokenRequests).toEqual([
      ['POST', 'application/x-www-form-urlencoded', form('idt-0')],
      ['POST', 'application/x-www-form-urlencoded', form('rot1')],
    ]);
    expect(fake.seen.at(-1)?.headers?.authorization).toBe('Bearer acc2');
    expect(secrets).toEqual(expect.arrayContaining(['idt-0', 'acc1', 'rot1', 'acc2', 'rot2']));
  });
});
