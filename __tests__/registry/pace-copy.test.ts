import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { createCopySession } from '../../src/registry/session.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// The source is read straight from the registry, the destination is written through the proxy,
// which counts the blob PUTs in flight: each is held until `threshold` are, or briefly (the
// fallback only ends a wave that cannot get there; the test looks at counts, not at time).
let registry: TestRegistry;
let proxy: FaultProxy;
let small: PushedImage;
let wide: PushedImage;
let run = 0;
let inFlight = 0;
let most = 0;
let threshold = 4;
let waiting: (() => void)[] = [];

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  proxy = await startFaultProxy(registry);
  small = await pushRandomImage(registry, 'src/small:1', { layers: 1, layerSize: 4096 });
  wide = await pushRandomImage(registry, 'src/wide:1', { layers: 7, layerSize: 4096, sharedLayers: 0 });
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});
beforeEach(() => {
  run++;
  proxy.setRules([]);
  proxy.requests.length = 0;
  proxy.onEvent = (e) => {
    if (e.method !== 'PUT' || !e.path.includes('/blobs/uploads/')) return;
    inFlight += e.type === 'arrive' ? 1 : -1;
    most = Math.max(most, inFlight);
    if (inFlight >= threshold) release();
  };
});

const release = () => {
  for (const go of waiting.splice(0)) go();
};
const isUpload = (r: { method: string; path: string }) =>
  r.method === 'PUT' && r.path.includes('/blobs/uploads/');

/** Holds every blob PUT until `n` are in flight (or 150 ms have passed), counting the most at once. */
function holdUploads(n: number) {
  [inFlight, most, waiting, threshold] = [0, 0, [], n];
  proxy.setRules([
    {
      match: isUpload,
      action: 'forward',
      holdUntil: () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 150);
          if (inFlight >= threshold) release();
        }),
    },
  ]);
}

const copy = (session: ReturnType<typeof createCopySession>, from: string, to: string) =>
  copyImage(`${registry.host}/${from}`, `${proxy.host}/${to}`, {
    keychain: anonymousKeychain,
    plainHttp: [registry.host, proxy.host],
    retry: { sleep: async () => {}, attempts: 3 },
    session,
  });

/** The most blob uploads in flight at once while `wide` is copied in `session`. */
async function widest(session: ReturnType<typeof createCopySession>, name: string): Promise<number> {
  holdUploads(4);
  const result = await copy(session, 'src/wide:1', `pace/${run}/${name}:1`);
  expect(result.digest).toBe(wide.digest);
  return most;
}

describe('the pace of a run', () => {
  it('lets fewer transfers run at once after the registry answered 429', async () => {
    const throttled = createCopySession({ jobs: 4 });
    const layer = small.blobs.find((b) => b.size > 1000)!.digest;
    proxy.setRules([
      {
        match: (r) => isUpload(r) && r.path.includes(encodeURIComponent(layer)),
        times: 2,
        action: 'status',
        status: 429,
        headers: { 'retry-after': '0' },
        body: '{"errors":[{"code":"TOOMANYREQUESTS"}]}',
      },
    ]);

    const first = await copy(throttled, 'src/small:1', `pace/${run}/small:1`);
    const limitAfter429 = throttled.pace(proxy.host).limit;
    const afterThrottle = await widest(throttled, 'after');
    const unthrottled = await widest(createCopySession({ jobs: 4 }), 'control');

    expect([first.digest, limitAfter429 < 4, afterThrottle < 4, unthrottled]).toEqual([
      small.digest,
      true,
      true,
      4,
    ]);
  });

  it('queues a dozen transfers on one copy deadline without a listener warning', async () => {
    const many = await pushRandomImage(registry, 'src/many:1', {
      layers: 15,
      layerSize: 2048,
      sharedLayers: 0,
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    // Two slots, sixteen blobs: the rest wait for a slot, each listening to the copy's deadline.
    holdUploads(2);

    const result = await copy(createCopySession({ jobs: 2 }), 'src/many:1', `pace/${run}/many:1`);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);

    expect([result.digest, most, warnings]).toEqual([many.digest, 2, []]);
  });
});
