/** The transport's guards, each against a fake inner layer: scope, target policy, lookup, deadlines, referrer pages. */
import type { LookupFunction } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/reference/digest.js';
import { createRegistryClient } from '../../src/registry/client.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { MAX_MANIFEST_BYTES, MAX_REFERRER_PAGES } from '../../src/registry/limits.js';
import { parseRepository, parseTag } from '../../src/registry/names.js';
import { createTargetPolicy, isExempt, withTargetPolicy } from '../../src/registry/transport/address.js';
import {
  sleepUnlessAborted,
  withJobSignal,
  withRequestDeadline,
} from '../../src/registry/transport/deadline.js';
import { createGuardedLookup, LocalAddressError } from '../../src/registry/transport/lookup.js';
import { isInScope, OutOfScopeError, withRepositoryScope } from '../../src/registry/transport/scope.js';
import { fakeInner, reply } from './transport-fakes.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('repository scope', () => {
  it('allows exactly the API paths of the job repositories', () => {
    const repos = ['src/app'];
    const allowed = [
      '/v2/',
      `/v2/src/app/manifests/1.0`,
      `/v2/src/app/manifests/${D}`,
      `/v2/src/app/blobs/${D}`,
      '/v2/src/app/blobs/uploads/',
      '/v2/src/app/blobs/uploads/0b3d4c1e-8f7a-4b2c-9d1e-2f3a4b5c6d7e',
      `/v2/src/app/referrers/${D}`,
      '/v2/src/app/tags/list',
      // Not the Distribution API: where Artifact Registry puts upload sessions.
      '/artifacts-uploads/namespaces/p/repositories/r/uploads/AB-c_d=',
    ];
    const refused = [
      '/v2/other/app/manifests/1',
      '/v2/src/app/manifests/b/manifests/1',
      '/v2/src/app/manifests/..%2F..%2Fother',
      '/v2/src/application/manifests/1',
      '/v2/src/manifests/1',
      '/v2/_catalog',
      '/v2/src/app/blobs/uploads/a/b',
      '/v2/token',
      '/v2%2Fother%2Fapp%2Fmanifests%2F1',
      '//v2/other/app/manifests/1',
    ];

    expect(allowed.filter((p) => !isInScope(p, repos))).toEqual([]);
    expect(refused.filter((p) => isInScope(p, repos))).toEqual([]);
  });

  it('refuses a request the URL parser moved into another repository, before it is sent', async () => {
    const fake = fakeInner(() => reply(200));
    const rt = withRepositoryScope(fake.roundTrip, { host: 'reg.example', repositories: ['dst/app'] });

    const moved = rt({
      method: 'PUT',
      url: 'https://reg.example/v2/dst/app/manifests/../../../other/app/manifests/1',
    });
    const elsewhere = await rt({ method: 'GET', url: 'https://cdn.example/anything/at/all' });

    await expect(moved).rejects.toThrow(OutOfScopeError);
    await expect(moved).rejects.toThrow(
      'refusing PUT https://reg.example/v2/other/app/manifests/1: outside the repositories of this copy (dst/app)',
    );
    expect([elsewhere.status, fake.seen.map((r) => r.url)]).toEqual([
      200,
      ['https://cdn.example/anything/at/all'],
    ]);
  });
});

describe('target policy', () => {
  it('matches an exemption on the exact host:port, or a bare host on every port', () => {
    expect([
      isExempt('127.0.0.1:5000', ['127.0.0.1:5000']),
      isExempt('127.0.0.1:5001', ['127.0.0.1:5000']),
      isExempt('127.0.0.1:5001', ['127.0.0.1']),
      isExempt('localhost:5000', ['127.0.0.1:5000']),
      isExempt('[::1]:5000', ['[::1]:5000']),
    ]).toEqual([true, false, true, false, true]);
  });

  it("lets a local registry the user named reach other local hosts, and nobody else's traffic", () => {
    const local = createTargetPolicy('127.0.0.1:5000', 'http://127.0.0.1:5000', ['127.0.0.1:5000']);
    const standIn = createTargetPolicy('us-docker.pkg.dev', 'http://127.0.0.1:5000', ['127.0.0.1:5000']);
    const remote = createTargetPolicy('reg.example', 'https://reg.example', ['127.0.0.1:5000']);
    const unnamed = createTargetPolicy('127.0.0.1:6000', 'https://127.0.0.1:6000', ['127.0.0.1:5000']);
    const urls = [
      'http://127.0.0.1:5000/v2/',
      'http://127.0.0.1:7000/token',
      'http://169.254.169.254/',
      'https://cdn.example/',
    ];

    expect([local, standIn, remote, unnamed].map((p) => urls.map((u) => p.allows(new URL(u))))).toEqual([
      [true, true, true, true],
      [true, false, false, true],
      [false, false, false, true],
      [false, false, false, true],
    ]);
  });

  it('refuses a local target on every request, whatever layer built it', async () => {
    const fake = fakeInner(() => reply(200));
    const policy = createTargetPolicy('reg.example', 'https://reg.example', []);

    const result = withTargetPolicy(
      fake.roundTrip,
      policy,
    )({ method: 'GET', url: 'http://[::ffff:7f00:1]:22/' });

    await expect(result).rejects.toThrow(
      'GET http://[::ffff:7f00:1]:22/: [::ffff:7f00:1] is a loopback, link-local or metadata host',
    );
    expect(fake.seen).toEqual([]);
  });
});

describe('createGuardedLookup', () => {
  const answering =
    (addresses: string[]): LookupFunction =>
    (_hostname, _options, callback) =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  const ask = (lookup: LookupFunction, all: boolean) =>
    new Promise<unknown>((resolve) =>
      lookup('name.example', { all }, (err, address, family) =>
        resolve(err ?? (all ? address : [address, family])),
      ),
    );

  it('passes public answers through in both forms net.connect asks for', async () => {
    const lookup = createGuardedLookup(answering(['93.184.216.34', '2606:2800::1']));

    expect([await ask(lookup, false), await ask(lookup, true)]).toEqual([
      ['93.184.216.34', 4],
      [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800::1', family: 6 },
      ],
    ]);
  });

  it.each([
    ['127.0.0.1'],
    ['10.0.0.1', '169.254.169.254'],
    ['::1'],
    ['::ffff:127.0.0.2'],
    ['fe80::1'],
    ['0.0.0.0'],
  ])('refuses a name when any answer is local: %s', async (...addresses) => {
    const error = await ask(createGuardedLookup(answering(addresses)), false);

    expect(error).toBeInstanceOf(LocalAddressError);
  });
});

describe('deadlines', () => {
  it('destroys a body that has not ended by the request deadline, with a temporary error', async () => {
    const body = new PassThrough();
    body.write('{"schema');
    const rt = withRequestDeadline(async (req) => ({ status: 200, headers: {}, body, url: req.url }), 50);

    const res = await rt({ method: 'GET', url: 'https://reg.example/v2/a/manifests/1' });
    const error = await res.body.toArray().then(
      () => undefined,
      (e: unknown) => e as Error & { temporary?: boolean },
    );

    expect([error?.message, error?.temporary]).toEqual([
      'GET https://reg.example/v2/a/manifests/1: no complete answer within 50 ms',
      true,
    ]);
  });

  it('leaves blob streams to the throughput watch', async () => {
    const body = new PassThrough();
    const rt = withRequestDeadline(async (req) => ({ status: 200, headers: {}, body, url: req.url }), 20);

    const res = await rt({ method: 'GET', url: 'https://reg.example/v2/a/blobs/x', stream: true });
    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(res.body.destroyed).toBe(false);
    body.destroy();
  });

  it("adds the copy's signal to every request but cleanup, and ends retry waits when it aborts", async () => {
    const controller = new AbortController();
    const fake = fakeInner(() => reply(200));
    const rt = withJobSignal(fake.roundTrip, controller.signal);

    await rt({ method: 'GET', url: 'https://r/v2/' });
    await rt({ method: 'DELETE', url: 'https://r/v2/a/blobs/uploads/x', detached: true });
    const waiting = sleepUnlessAborted(() => new Promise(() => {}), 60_000, controller.signal);
    controller.abort(new Error('deadline'));

    await expect(waiting).rejects.toThrow('deadline');
    await expect(rt({ method: 'GET', url: 'https://r/v2/' })).rejects.toThrow('deadline');
    expect(fake.seen.map((r) => r.signal !== undefined)).toEqual([true, false]);
  });
});

describe('referrers listing', () => {
  const client = (handler: Parameters<typeof fakeInner>[0]) => {
    const fake = fakeInner(handler);
    return {
      fake,
      client: createRegistryClient({
        registry: 'reg.example',
        scopes: [],
        repositories: ['src/app'],
        keychain: anonymousKeychain,
        base: fake.roundTrip,
        retry: { attempts: 1 },
      }),
    };
  };
  const page = (digests: string[], next?: string) =>
    reply(
      200,
      next ? { link: `<${next}>; rel="next"` } : {},
      JSON.stringify({
        manifests: digests.map((d) => ({
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: d,
          size: 1,
        })),
      }),
    );
  const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
  const subject = parseDigest(D);

  it('follows next pages on the same path and de-duplicates by digest', async () => {
    const { client: c } = client((req) => {
      const url = new URL(req.url);
      if (url.pathname === '/v2/') return reply(200);
      return url.searchParams.get('last')
        ? page([digest(2), digest(1)])
        : page([digest(1)], `/v2/src/app/referrers/${D}?last=1`);
    });

    const found = await c.referrers(parseRepository('src/app'), subject);

    expect(found?.map((d) => d.digest)).toEqual([digest(1), digest(2)]);
  });

  it('refuses a next page on another path, and stops after the page limit', async () => {
    const elsewhere = client((req) =>
      new URL(req.url).pathname === '/v2/' ? reply(200) : page([digest(1)], '/v2/other/app/referrers/x'),
    ).client;
    let n = 0;
    const endless = client((req) =>
      new URL(req.url).pathname === '/v2/'
        ? reply(200)
        : page([digest(++n)], `/v2/src/app/referrers/${D}?last=${n}`),
    );

    await expect(elsewhere.referrers(parseRepository('src/app'), subject)).rejects.toThrow(
      'the referrers listing links to a next page on another path',
    );
    await expect(endless.client.referrers(parseRepository('src/app'), subject)).rejects.toThrow(
      `the referrers listing has more than ${MAX_REFERRER_PAGES} pages`,
    );
    expect(endless.fake.seen.length).toBe(MAX_REFERRER_PAGES + 1);
  });
});

describe('manifest size', () => {
  const client = (body: Buffer, headers: Record<string, string>) => {
    const fake = fakeInner((req) =>
      new URL(req.url).pathname === '/v2/'
        ? reply(200)
        : { ...reply(200, headers), body: Readable.from([body]) },
    );
    return createRegistryClient({
      registry: 'reg.example',
      scopes: [],
      repositories: ['src/app'],
      keychain: anonymousKeychain,
      base: fake.roundTrip,
      retry: { attempts: 1 },
    });
  };
  const big = Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x20);

  it('refuses a manifest over 4 MiB, whether it announces its length or not', async () => {
    const announced = client(big, { 'content-length': String(big.length) });
    const unannounced = client(big, {});

    await expect(announced.getManifest(parseRepository('src/app'), parseTag('1'))).rejects.toThrow(
      `manifest 1 is ${MAX_MANIFEST_BYTES + 1} bytes; the limit is ${MAX_MANIFEST_BYTES}`,
    );
    await expect(unannounced.getManifest(parseRepository('src/app'), parseTag('1'))).rejects.toThrow(
      `manifest 1 is larger than ${MAX_MANIFEST_BYTES} bytes`,
    );
  });
});
