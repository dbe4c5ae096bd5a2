import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createCopier } from '../../src/mirror/copier.js';
import type { Keychain } from '../../src/registry/credentials/types.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// A registry that wants Bearer tokens, read through one proxy and written through another (two
// registry names, so two auth states and no mounts); its token server logs every token request.
let registry: TestRegistry;
let src: FaultProxy;
let dst: FaultProxy;
const images: PushedImage[] = [];

beforeAll(async () => {
  registry = await startRegistry({ mode: 'token' });
  [src, dst] = await Promise.all([startFaultProxy(registry), startFaultProxy(registry)]);
  for (const tag of ['1', '2'])
    images.push(
      await pushRandomImage(registry, `src/run:${tag}`, {
        platforms: ['linux/amd64', 'linux/arm64'],
        layers: 2,
        layerSize: 4096,
      }),
    );
});
afterAll(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await registry?.stop();
});
beforeEach(() => {
  for (const proxy of [src, dst]) proxy.requests.length = 0;
  registry.tokenRequests!.length = 0;
});

const keychain: Keychain = {
  get: async () => ({ username: registry.username!, password: registry.password! }),
};
// '127.0.0.1' (no port) also lets the token realm on this machine through.
const copier = () => createCopier({ keychain, logger: silentLogger, plainHttp: ['127.0.0.1'] });
const all = () => [...src.requests, ...dst.requests];

describe('the copies of one run', () => {
  it('learn each registry’s auth once, without a ping, and reuse its tokens for every image', async () => {
    const run = copier();

    const results = [];
    for (const tag of ['1', '2'])
      results.push(await run.copy(`${src.host}/src/run:${tag}`, `${dst.host}/dst/run:${tag}`));
    await run.close();

    expect(results.map((r) => r.digest)).toEqual(images.map((i) => i.digest));
    // The source and the destination are first asked at the same time: their order varies.
    expect(registry.tokenRequests!.map((t) => t.scopes.join(' ')).sort()).toEqual([
      'repository:dst/run:push,pull',
      'repository:src/run:pull',
    ]);
    // One 401 per registry (its first request), and no GET /v2/.
    expect([all().filter((r) => r.status === 401).length, all().filter((r) => r.path === '/v2/')]).toEqual([
      2,
      [],
    ]);
  });

  // Issue 12's goal for a multi-platform image (a single-manifest one reads its config for its platform label).
  it('re-copies an index with token auth in 6 requests, none of them a source manifest GET', async () => {
    const run = copier();

    const again = await run.copy(`${src.host}/src/run:1`, `${dst.host}/dst/run:1`);
    await run.close();

    const sourceGets = src.requests.filter((r) => r.method === 'GET' && r.path.includes('/manifests/'));
    expect([again.digest, again.blobs]).toEqual([images[0]!.digest, { copied: 0, skipped: 0, mounted: 0 }]);
    expect([sourceGets, all().length + registry.tokenRequests!.length]).toEqual([[], 6]);
  });
});
