/**
 * docs/security.md, Registry: time, hosts and schemes a registry may not choose. Deadlines bound
 * slow registries (rule 7); an exemption covers only the registry it names, and names resolving
 * to loopback are refused when the connection is made (rule 8); upload Locations may not
 * downgrade https. The hostile source is reached as `hostile.example` through an endpoint, so it
 * is not an exempted local registry, and the destination is a real registry behind a recording proxy.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCopyCommand } from '../../src/commands/copy.js';
import { type CopyOptions, copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { createConnectionPool } from '../../src/registry/transport/base.js';
import { startCanary } from '../support/canary.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import {
  type HostileRegistry,
  type HostileRegistryOptions,
  startHostileRegistry,
} from '../support/hostile-registry.js';
import { pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
let dst: FaultProxy;
let hostile: HostileRegistry | undefined;
let run = 0;

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  dst = await startFaultProxy(registry);
});
afterAll(async () => {
  await dst?.stop();
  await registry?.stop();
});
afterEach(async () => {
  await hostile?.stop();
  hostile = undefined;
  dst.requests.length = 0;
});

const SOURCE = 'hostile.example/src/app:1';

async function start(options: HostileRegistryOptions): Promise<HostileRegistry> {
  hostile = await startHostileRegistry(options);
  return hostile;
}

async function copyFrom(h: HostileRegistry, extra: Partial<CopyOptions> = {}) {
  const repo = `net${++run}/app`;
  const options: CopyOptions = {
    keychain: anonymousKeychain,
    plainHttp: [dst.host],
    endpoints: { 'hostile.example': h.url },
    retry: { sleep: async () => {}, attempts: 2 },
    ...extra,
  };
  const error = await copyImage(SOURCE, `${dst.host}/${repo}:1`, options).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  return { repo, error, prefix: `copying ${SOURCE} → ${dst.host}/${repo}:1: ` };
}

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const err: string[] = [];
  const code = await runCopyCommand(argv, {
    stdout: () => {},
    stderr: (s) => err.push(s),
    isTTY: false,
    env: { HOME: registry.dataDir, DOCKER_CONFIG: registry.dataDir, ...env },
  });
  return { code, stderr: err.join('') };
}

const writes = () => dst.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

/** A resolver that sends every `*.test` name to 127.0.0.1, as a hostile DNS zone would. */
const loopbackZone: LookupFunction = (hostname, options, callback) => {
  if (!hostname.endsWith('.test')) return dns.lookup(hostname, options, callback);
  if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  return callback(null, '127.0.0.1', 4);
};

describe('rule 7: deadlines', () => {
  it('gives up on a manifest trickled a byte at a time once its request deadline passes', async () => {
    const h = await start({ misbehaviour: 'slow-manifest', tickMs: 20 });

    const { error, prefix } = await copyFrom(h, { requestDeadlineMs: 300 });

    // The destination lacks the tag, so the manifest is fetched by tag without waiting for a HEAD.
    expect(error?.message).toBe(
      `${prefix}fetching source manifest: GET ${h.url}/v2/src/app/manifests/1: no complete answer within 300 ms`,
    );
    expect(writes()).toEqual([]);
  });

  it('ends the whole copy at --timeout, whatever the source does (the real CLI)', async () => {
    const h = await start({ misbehaviour: 'slow-manifest', tickMs: 100 });
    const repo = `net${++run}/app`;

    const { code, stderr } = await cli(
      [SOURCE, `${dst.host}/${repo}:1`, '--plain-http', dst.host, '--timeout', '2s'],
      {
        AR_MIRROR_REGISTRY_ENDPOINTS: `hostile.example=${h.url}`,
      },
    );

    expect([code, stderr.trim().split('\n').at(-1)]).toEqual([
      1,
      `ar-mirror copy: copying ${SOURCE} → ${dst.host}/${repo}:1: the copy did not finish within 2 s (the timeout setting)`,
    ]);
    expect(writes()).toEqual([]);
  });

  it('retries, then fails, a blob that moves slower than the minimum throughput, committing nothing', async () => {
    const h = await start({ misbehaviour: 'slow-blob', tickMs: 20 });
    const layer = h.image.blobs.find((b) => b.size > 1024)!;

    const { error, prefix, repo } = await copyFrom(h, { minThroughput: { bytes: 4096, windowMs: 200 } });

    expect(error?.message).toMatch(
      new RegExp(
        `^${prefix}uploading blob ${layer.digest}: the blob moved \\d+ bytes in 200 ms, less than the minimum of 4096$`,
      ),
    );
    const layerGets = h.requests.filter((r) => r.method === 'GET' && r.path.endsWith(layer.digest));
    const blob = await registry.fetch(`/v2/${repo}/blobs/${layer.digest}`, { method: 'HEAD' });
    expect([layerGets.length, blob.status]).toEqual([2, 404]);
    expect(dst.requests.filter((r) => r.method === 'DELETE').length).toBe(2);
  });
});

describe('rule 8: an exemption covers only the registry it names', () => {
  it.each([
    ['a loopback canary on any port', 'canary'],
    ['the exempted destination itself', 'destination'],
  ] as const)(
    "refuses a remote source's token realm at %s, sending it nothing (the real CLI)",
    async (_, where) => {
      const destinationRealm = `http://${dst.host}/token`;
      const h = await start({
        misbehaviour: 'realm-to-loopback',
        ...(where === 'destination' ? { target: destinationRealm } : {}),
      });
      const realm = new URL(where === 'destination' ? destinationRealm : `${h.canary.url}/token`);
      const repo = `net${++run}/app`;

      const { code, stderr } = await cli(
        [SOURCE, `${dst.host}/${repo}:1`, '--plain-http', dst.host, '--src-creds', 'someone:s3cret-pass'],
        { AR_MIRROR_REGISTRY_ENDPOINTS: `hostile.example=${h.url}` },
      );

      expect(code).toBe(1);
      expect(stderr).toContain(
        `ar-mirror copy: copying ${SOURCE} → ${dst.host}/${repo}:1: resolving source: token realm ${realm.origin} is a loopback or link-local host the registry may not send us to`,
      );
      const tokenRequests = dst.requests.filter((r) => r.path.startsWith('/token'));
      expect([h.canary.requests, tokenRequests, writes()]).toEqual([[], [], []]);
    },
  );

  it("refuses a remote source's blob redirect to a loopback host", async () => {
    const h = await start({ misbehaviour: 'redirect-to-loopback' });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toMatch(
      new RegExp(
        `^${prefix}uploading blob sha256:[0-9a-f]{64}: ${h.url}/v2/src/app/blobs/sha256:[0-9a-f]{64}: refusing the redirect to ${h.canary.url}/blob: a loopback or link-local host$`,
      ),
    );
    expect(h.canary.requests).toEqual([]);
  });

  it('refuses, when connecting, a realm whose DNS name resolves to loopback', async () => {
    const canary = await startCanary();
    const realm = `http://loopback.test:${canary.host.split(':')[1]}/token`;
    const h = await start({ misbehaviour: 'realm-to-loopback', target: realm });
    const pool = createConnectionPool({ lookup: loopbackZone });

    const { error, prefix } = await copyFrom(h, { pool }).finally(() =>
      Promise.all([pool.close(), canary.stop()]),
    );

    expect(error?.message).toBe(
      `${prefix}resolving source: GET ${realm}?service=hostile&scope=repository%3Asrc%2Fapp%3Apull: loopback.test resolves to 127.0.0.1, a loopback, link-local or metadata address; refusing to connect`,
    );
    expect(canary.requests).toEqual([]);
  });

  it('reaches an exempted registry by a DNS name that resolves to loopback (its exact host:port)', async () => {
    const image = await pushRandomImage(registry, 'dnsrc/app:1', { layers: 1, layerSize: 1024 });
    const named = `registry.test:${registry.host.split(':')[1]}`;
    const pool = createConnectionPool({ lookup: loopbackZone });

    const result = await copyImage(`${named}/dnsrc/app:1`, `${named}/dnsdst/app:1`, {
      keychain: anonymousKeychain,
      plainHttp: [named],
      pool,
    }).finally(() => pool.close());

    expect(result.digest).toBe(image.digest);
  });
});

describe('upload Locations follow the no-downgrade rule of redirects', () => {
  it('refuses an https registry sending the upload to plain http elsewhere, sending nothing there', async () => {
    const h = await start({ misbehaviour: 'location-downgrade', tls: true });
    await pushRandomImage(registry, 'locsrc/app:1', { layers: 1, layerSize: 2048 });

    const error = await copyImage(`${dst.host}/locsrc/app:1`, `${h.host}/dst/app:1`, {
      keychain: anonymousKeychain,
      plainHttp: [dst.host],
      // The user's own local TLS registry: exempted, so only the downgrade rule is in play.
      endpoints: { [h.host]: h.url },
      ca: h.caPem!,
      retry: { sleep: async () => {}, attempts: 1 },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toMatch(
      new RegExp(
        `refusing the upload Location ${h.canary.url}/upload/[0-9a-f]+: it downgrades https to http$`,
      ),
    );
    expect(h.canary.requests).toEqual([]);
  });
});

describe('a local registry nobody exempted', () => {
  it('is never contacted, even when a reference names it literally', async () => {
    const h = await start({ misbehaviour: 'none', tls: true });
    const repo = `net${++run}/app`;

    const error = await copyImage(`${h.host}/src/app:1`, `${dst.host}/${repo}:1`, {
      keychain: anonymousKeychain,
      plainHttp: [dst.host],
      ca: h.caPem!,
      retry: { attempts: 1 },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toBe(
      `copying ${h.host}/src/app:1 → ${dst.host}/${repo}:1: resolving source: GET ${h.url}/v2/: 127.0.0.1 is a loopback, link-local or metadata host, and only a registry named in --plain-http (AR_MIRROR_PLAIN_HTTP) or AR_MIRROR_REGISTRY_ENDPOINTS may be reached there`,
    );
    expect([h.requests, writes()]).toEqual([[], []]);
  });
});
