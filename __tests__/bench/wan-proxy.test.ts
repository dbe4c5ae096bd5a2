import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPacer, type PaceClock } from '../../bench/pace.js';
import { classifyRequest } from '../../bench/request-counts.js';
import { startWanProxy, type WanProxy } from '../../bench/wan-proxy.js';
import { rawRequest, startRegistry, type TestRegistry } from '../support/registry.js';

const DELAY_MS = 50;
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A clock that only moves when a pacer sleeps, so pacing is checked without timing anything. */
function virtualClock(): PaceClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('createPacer', () => {
  it('lets bytes through unchanged, taking (size - bucket) / rate of clock time', async () => {
    const clock = virtualClock();
    const pacer = createPacer({ bytesPerSecond: 1_000_000, burstBytes: 100_000, clock });
    const input = randomBytes(1_000_000);

    const output = drain(pacer);
    for (let offset = 0; offset < input.length; offset += 70_000)
      pacer.write(input.subarray(offset, offset + 70_000));
    pacer.end();

    expect((await output).equals(input)).toBe(true);
    // 900,000 bytes beyond the bucket at 1,000 bytes per ms.
    expect(clock.now()).toBeCloseTo(900, 6);
  });

  it('asks for the next chunk only once the current one is released (backpressure, no buffering)', async () => {
    const pacer = createPacer({
      bytesPerSecond: 1_000,
      burstBytes: 64 * 1024,
      clock: { now: () => 0, sleep: () => new Promise(() => {}) },
    });
    const released: Buffer[] = [];
    pacer.on('data', (chunk: Buffer) => released.push(chunk));

    pacer.write(Buffer.alloc(128 * 1024));
    pacer.write(Buffer.alloc(128 * 1024));
    await new Promise((resolve) => setImmediate(resolve));

    // What the bucket holds goes out; the rest of the first chunk waits on the (never-ending)
    // sleep, and both chunks still count as the writable side's (none has been acknowledged).
    expect(Buffer.concat(released).length).toBe(64 * 1024);
    expect(pacer.writableLength).toBe(256 * 1024);
  });
});

describe('classifyRequest', () => {
  it('names each Distribution API call', () => {
    const digest = `sha256:${'a'.repeat(64)}`;

    expect(classifyRequest('GET', '/v2/')).toBe('ping');
    expect(classifyRequest('GET', '/__token/token?scope=repository:a:pull')).toBe('token');
    expect(classifyRequest('HEAD', '/v2/a/b/manifests/1')).toBe('manifest HEAD');
    expect(classifyRequest('GET', `/v2/a/manifests/${digest}`)).toBe('manifest GET');
    expect(classifyRequest('PUT', '/v2/a/manifests/latest')).toBe('manifest PUT');
    expect(classifyRequest('HEAD', `/v2/a/blobs/${digest}`)).toBe('blob HEAD');
    expect(classifyRequest('GET', `/v2/a/blobs/${digest}`)).toBe('blob GET');
    expect(classifyRequest('POST', `/v2/a/blobs/uploads/?digest=${digest}`)).toBe('upload POST');
    expect(classifyRequest('PATCH', '/v2/a/blobs/uploads/u1?_state=x')).toBe('upload PATCH');
    expect(classifyRequest('PUT', `/v2/a/blobs/uploads/u1?_state=x&digest=${digest}`)).toBe('upload PUT');
    expect(classifyRequest('GET', '/v2/a/tags/list')).toBe('other');
  });
});

describe('startWanProxy', () => {
  let registry: TestRegistry;
  let proxy: WanProxy;

  beforeAll(async () => {
    registry = await startRegistry({ mode: 'none' });
    proxy = await startWanProxy({ target: registry.url, delayMs: DELAY_MS, bytesPerSecond: 50e6 });
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });
  beforeEach(() => proxy.reset());

  const send = async (path: string, init: Parameters<typeof rawRequest>[1] = {}) => {
    const started = performance.now();
    const res = await rawRequest(new URL(path, proxy.url), init);
    return { ...res, ms: performance.now() - started };
  };

  it('delays every request, keeps upload sessions on the proxy and moves bodies intact', async () => {
    const blob = randomBytes(300_000);
    const digest = sha256(blob);

    const post = await send('/v2/lib/app/blobs/uploads/', { method: 'POST' });
    const session = new URL(post.headers.location ?? '');
    session.searchParams.set('digest', digest);
    const put = await send(session.href, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.length) },
      body: PassThrough.from(blob),
    });
    const get = await send(`/v2/lib/app/blobs/${digest}`);

    expect(session.origin).toBe(proxy.url);
    expect([post.status, put.status, get.status]).toEqual([202, 201, 200]);
    expect(get.body.equals(blob)).toBe(true);
    for (const { ms } of [post, put, get]) expect(ms).toBeGreaterThanOrEqual(DELAY_MS);
    // The trace agrees; libuv's timers run on a millisecond clock, so allow 1 ms of rounding.
    const trace = proxy.trace();
    expect(trace.map((e) => e.kind)).toEqual(['upload POST', 'upload PUT', 'blob GET']);
    for (const e of trace) expect((e.head ?? 0) - e.start).toBeGreaterThanOrEqual(DELAY_MS - 1);
    expect(proxy.counts()).toMatchObject({
      total: 3,
      byKind: { 'upload POST': 1, 'upload PUT': 1, 'blob GET': 1 },
      bytesIn: blob.length,
      bytesOut: blob.length,
    });
  });

  it('counts by kind and spots a manifest or blob fetched twice', async () => {
    const config = Buffer.from(
      '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: sha256(config),
          size: config.length,
        },
        layers: [],
      }),
    );
    const post = await registry.fetch('/v2/lib/dup/blobs/uploads/', { method: 'POST' });
    const session = new URL(post.headers.location ?? '', registry.url);
    session.searchParams.set('digest', sha256(config));
    await registry.fetch(session.href, { method: 'PUT', body: config });
    const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' };
    const type = { 'content-type': 'application/vnd.oci.image.manifest.v1+json' };

    await send('/v2/');
    await send('/v2/lib/dup/manifests/1', { method: 'PUT', headers: type, body: manifest });
    await send('/v2/lib/dup/manifests/1', { method: 'HEAD', headers: accept });
    await send('/v2/lib/dup/manifests/1', { headers: accept });
    await send(`/v2/lib/dup/manifests/${sha256(manifest)}`, { headers: accept });
    await send(`/v2/lib/dup/blobs/${sha256(config)}`, { method: 'HEAD' });
    await send(`/v2/lib/dup/blobs/${sha256(config)}`);
    await send(`/v2/lib/dup/blobs/${sha256(config)}`);
    const snapshot = await send('/__counts');

    expect(JSON.parse(snapshot.body.toString('utf8'))).toMatchObject({
      total: 8,
      byKind: {
        ping: 1,
        'manifest PUT': 1,
        'manifest HEAD': 1,
        'manifest GET': 2,
        'blob HEAD': 1,
        'blob GET': 2,
      },
      // The tag and the digest name the same manifest: the second GET is a second pull.
      duplicateManifestGets: 1,
      duplicateBlobGets: 1,
    });
  });
});

describe('startWanProxy with a handshake round trip', () => {
  it('adds it to the first request of each connection only', async () => {
    const registry = await startRegistry({ mode: 'none' });
    const proxy = await startWanProxy({
      target: registry.url,
      delayMs: 5,
      handshakeMs: 80,
      bytesPerSecond: 50e6,
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`${proxy.url}/v2/`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    try {
      const statuses = [await get(), await get()];

      const [first, second] = proxy.trace();
      expect(statuses).toEqual([200, 200]);
      expect(first?.connection).toBe(second?.connection);
      expect((first?.head ?? 0) - (first?.start ?? 0)).toBeGreaterThanOrEqual(85 - 1);
      expect(proxy.counts().connections).toBe(1);
    } finally {
      agent.destroy();
      await proxy.stop();
      await registry.stop();
    }
  });
});

describe('startWanProxy in front of a token-auth registry', () => {
  it('sends the token realm through the proxy and counts token requests', async () => {
    const registry = await startRegistry({ mode: 'token' });
    const proxy = await startWanProxy({
      target: registry.url,
      tokenOrigin: new URL(registry.tokenRealm ?? '').origin,
      delayMs: DELAY_MS,
      bytesPerSecond: 50e6,
    });
    try {
      const ping = await rawRequest(new URL('/v2/', proxy.url));
      const realm = /realm="([^"]+)"/.exec(ping.headers['www-authenticate'] ?? '')?.[1] ?? '';
      const tokenUrl = new URL(realm);
      tokenUrl.searchParams.set('scope', 'repository:lib/app:pull');
      const token = await rawRequest(tokenUrl);

      expect(ping.status).toBe(401);
      expect(tokenUrl.origin).toBe(proxy.url);
      expect(token.status).toBe(200);
      expect(proxy.counts()).toMatchObject({ total: 2, byKind: { ping: 1, token: 1 } });
    } finally {
      await proxy.stop();
      await registry.stop();
    }
  });
});
