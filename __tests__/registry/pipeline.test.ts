import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CopyOptions, copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { type FaultProxy, type ProxyEvent, startFaultProxy } from '../support/fault-proxy.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// One registry behind two recording proxies (source and destination), so each side's requests
// are seen apart, in the order they arrived and were answered.
let registry: TestRegistry;
let src: FaultProxy;
let dst: FaultProxy;
let image: PushedImage;
let run = 0;

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  [src, dst] = await Promise.all([startFaultProxy(registry), startFaultProxy(registry)]);
  image = await pushRandomImage(registry, 'src/pipe:1', {
    platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    layers: 3,
    layerSize: 4096,
    sharedLayers: 0,
  });
});
afterAll(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await registry?.stop();
});
beforeEach(() => {
  run++;
  for (const proxy of [src, dst]) {
    proxy.setRules([]);
    proxy.requests.length = 0;
    proxy.events.length = 0;
    proxy.onEvent = undefined;
  }
});

const options = (): CopyOptions => ({ keychain: anonymousKeychain, plainHttp: [src.host, dst.host] });

/** The config and layer digests of one platform manifest, read from the registry directly. */
async function blobsOf(manifestDigest: string): Promise<string[]> {
  const res = await registry.fetch(`/v2/src/pipe/manifests/${manifestDigest}`, {
    headers: { accept: image.manifests[0]!.mediaType },
  });
  const manifest = JSON.parse(res.body.toString()) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  return [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
}

/**
 * A promise settled when `proxy` sees an event `matches` accepts, or after `fallbackMs` at the
 * latest, so a test of an engine that never sends it ends (and fails on its order assertions)
 * instead of hanging.
 */
function whenSeen(proxy: FaultProxy, matches: (e: ProxyEvent) => boolean, fallbackMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, fallbackMs);
    const previous = proxy.onEvent;
    proxy.onEvent = (event) => {
      previous?.(event);
      if (matches(event)) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
}

const count = (type: ProxyEvent['type']) =>
  [...src.events, ...dst.events].filter((e) => e.type === type).length;
const arrivals = () => count('arrive');

/** Waits (boundedly) until both proxies have answered everything that arrived, and a little more. */
async function quiet(): Promise<void> {
  for (let i = 0; i < 50 && count('answer') < arrivals(); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
}

const index = (events: ProxyEvent[], type: ProxyEvent['type'], path: (p: string) => boolean) =>
  events.findIndex((e) => e.type === type && path(e.path));

describe('pipelined copy', () => {
  it("starts the first child's blob transfers while a later child's manifest is still on its way", async () => {
    const [first, , last] = image.manifests.map((m) => m.digest) as [string, string, string];
    const firstBlobs = await blobsOf(first);
    const isFirstBlobGet = (e: ProxyEvent) =>
      e.type === 'arrive' && e.method === 'GET' && firstBlobs.some((d) => e.path.endsWith(`/blobs/${d}`));
    const lastManifest = (path: string) => path.endsWith(`/manifests/${last}`);
    // The last child's manifest is answered only once a blob GET of the first child has arrived.
    src.setRules([
      {
        match: (r) => r.method === 'GET' && lastManifest(r.path),
        action: 'forward',
        holdUntil: whenSeen(src, isFirstBlobGet),
      },
    ]);
    // That child's existence checks are answered only once all of them have arrived.
    const isFirstHead = (r: { method: string; path: string }) =>
      r.method === 'HEAD' && firstBlobs.some((d) => r.path.endsWith(`/blobs/${d}`));
    let heads = 0;
    dst.setRules([
      {
        match: isFirstHead,
        action: 'forward',
        holdUntil: whenSeen(
          dst,
          (e) => e.type === 'arrive' && isFirstHead(e) && ++heads === firstBlobs.length,
        ),
      },
    ]);

    const result = await copyImage(`${src.host}/src/pipe:1`, `${dst.host}/pipe/${run}:1`, options());

    const blobGet = src.events.findIndex(isFirstBlobGet);
    const lastAnswered = index(src.events, 'answer', lastManifest);
    const headsOfFirst = firstBlobs.map((d) => index(dst.events, 'arrive', (p) => p.endsWith(`/blobs/${d}`)));
    expect([result.digest, blobGet >= 0, blobGet < lastAnswered]).toEqual([image.digest, true, true]);
    // Every existence check of the first child had gone out together, before any was answered.
    const firstHeadAnswer = index(dst.events, 'answer', (p) =>
      firstBlobs.some((d) => p.endsWith(`/blobs/${d}`)),
    );
    expect(headsOfFirst.every((i) => i >= 0 && i < firstHeadAnswer)).toBe(true);
  });

  it('reads blobs early but writes nothing when a later child turns out bad, and leaves nothing in flight', async () => {
    const [first, , last] = image.manifests.map((m) => m.digest) as [string, string, string];
    const firstBlobs = await blobsOf(first);
    const isFirstBlobGet = (e: ProxyEvent) =>
      e.type === 'arrive' && e.method === 'GET' && firstBlobs.some((d) => e.path.endsWith(`/blobs/${d}`));
    // Held until the first child's blobs are being read, then corrupted (on every retry too).
    const seen = whenSeen(src, isFirstBlobGet);
    src.setRules([
      {
        match: (r) => r.method === 'GET' && r.path.endsWith(`/manifests/${last}`),
        action: 'corrupt-body',
        holdUntil: seen,
      },
    ]);

    const error = await copyImage(`${src.host}/src/pipe:1`, `${dst.host}/pipe/${run}:1`, options()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    const atFailure = arrivals();
    await quiet();
    expect(error?.message).toContain(
      `fetching manifest ${last}: GET http://${src.host}/v2/src/pipe/manifests/${last}: manifest content has digest`,
    );
    expect(src.events.some(isFirstBlobGet)).toBe(true);
    expect(dst.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    // Every request the copy sent had arrived when it failed: none was sent after.
    expect(arrivals()).toBe(atFailure);
  });

  it('fetches the source manifest as soon as the destination lacks the tag, not after the source HEAD', async () => {
    const isTopHead = (r: { method: string; path: string }) =>
      r.method === 'HEAD' && r.path === '/v2/src/pipe/manifests/1';
    const isTagGet = (e: ProxyEvent) =>
      e.type === 'arrive' && e.method === 'GET' && e.path === '/v2/src/pipe/manifests/1';
    // The source's HEAD is answered only once the GET by tag has arrived.
    src.setRules([{ match: isTopHead, action: 'forward', holdUntil: whenSeen(src, isTagGet) }]);

    const result = await copyImage(`${src.host}/src/pipe:1`, `${dst.host}/pipe/${run}:1`, options());

    const headAnswered = index(src.events, 'answer', (p) => p === '/v2/src/pipe/manifests/1');
    const getArrived = src.events.findIndex(isTagGet);
    expect([result.digest, getArrived >= 0, getArrived < headAnswered]).toEqual([image.digest, true, true]);
    // One manifest GET per manifest: the top one by tag, each child by digest.
    const gets = src.requests.filter((r) => r.method === 'GET' && r.path.includes('/manifests/'));
    expect(gets.map((r) => r.path).sort()).toEqual(
      [
        '/v2/src/pipe/manifests/1',
        ...image.manifests.map((m) => `/v2/src/pipe/manifests/${m.digest}`),
      ].sort(),
    );
  });

  it('sends no source manifest GET when the destination already has the digest', async () => {
    const target = `${dst.host}/pipe/${run}:1`;
    await copyImage(`${src.host}/src/pipe:1`, target, options());
    src.requests.length = 0;

    const again = await copyImage(`${src.host}/src/pipe:1`, target, options());

    const manifests = src.requests.filter((r) => r.path.includes('/manifests/'));
    expect([again.digest, manifests.map((r) => `${r.method} ${r.path}`)]).toEqual([
      image.digest,
      ['HEAD /v2/src/pipe/manifests/1'],
    ]);
  });

  it('fails a cold copy whose manifest GET is refused only once its source HEAD is answered', async () => {
    const top = '/v2/src/pipe/manifests/1';
    src.setRules([
      {
        match: (r) => r.method === 'HEAD' && r.path === top,
        action: 'forward',
        holdUntil: () => new Promise((r) => setTimeout(r, 400)),
      },
      { match: (r) => r.method === 'GET' && r.path === top, action: 'status', status: 400 },
    ]);

    const error = await copyImage(`${src.host}/src/pipe:1`, `${dst.host}/pipe/${run}:1`, options()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toContain(`fetching source manifest: GET http://${src.host}${top}: 400`);
    // Nothing of the copy was still in flight when it failed.
    expect(count('answer')).toBe(arrivals());
  });
});
