import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { ALL_SHORTCUTS, type CopySession, createCopySession } from '../../src/registry/session.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// The source is read straight from the registry; the destination is the same registry behind
// the recording proxy (another host: nothing can be mounted), with every shortcut but monolithic uploads.
let registry: TestRegistry;
let proxy: FaultProxy;
let image: PushedImage;
let session: CopySession;
let run = 0;

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  proxy = await startFaultProxy(registry);
  image = await pushRandomImage(registry, 'src/fresh:1', {
    platforms: ['linux/amd64', 'linux/arm64'],
    layers: 2,
    layerSize: 4096,
  });
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});
beforeEach(() => {
  run++;
  proxy.setRules([]);
  proxy.requests.length = 0;
  session = createCopySession({ shortcuts: { ...ALL_SHORTCUTS, monolithicMaxBytes: 0 } });
});

const copy = (to: string) =>
  copyImage(`${registry.host}/src/fresh:1`, `${proxy.host}/${to}`, {
    keychain: anonymousKeychain,
    plainHttp: [registry.host, proxy.host],
    session,
  });
const blobHeads = () => proxy.requests.filter((r) => r.method === 'HEAD' && r.path.includes('/blobs/'));
const blobPuts = () => proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'));
async function stored(repo: string): Promise<number[]> {
  return Promise.all(
    image.blobs.map(
      async (b) => (await registry.fetch(`/v2/${repo}/blobs/${b.digest}`, { method: 'HEAD' })).status,
    ),
  );
}

describe('a destination repository that does not exist yet', () => {
  it('is asked about once, and then no blob is looked up in it', async () => {
    const repo = `fresh/${run}`;

    const result = await copy(`${repo}:1`);

    expect([result.digest, result.blobs.copied]).toEqual([image.digest, image.blobs.length]);
    expect(proxy.requests.filter((r) => r.path.includes('/tags/list')).map((r) => r.status)).toEqual([404]);
    expect([blobHeads(), blobPuts().length]).toEqual([[], image.blobs.length]);
    expect(await stored(repo)).toEqual(image.blobs.map(() => 200));
  });

  it('costs only uploads when the answer was wrong: the image is complete anyway', async () => {
    const repo = `fresh/${run}`;
    await copy(`${repo}:0`);
    // A later run: it has not sent these blobs itself.
    session = createCopySession({ shortcuts: { ...ALL_SHORTCUTS, monolithicMaxBytes: 0 } });
    proxy.requests.length = 0;
    // The repository holds every blob, but the registry claims it does not exist.
    proxy.setRules([
      {
        match: (r) => r.path.includes('/tags/list'),
        action: 'status',
        status: 404,
        body: '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}',
      },
    ]);

    const result = await copy(`${repo}:1`);

    expect([result.digest, result.blobs.copied, blobHeads()]).toEqual([image.digest, image.blobs.length, []]);
    expect(blobPuts().map((r) => r.status)).toEqual(image.blobs.map(() => 201));
    expect(await stored(repo)).toEqual(image.blobs.map(() => 200));
  });

  it('is not trusted on any other answer: a 404 without NAME_UNKNOWN keeps the HEADs', async () => {
    const repo = `fresh/${run}`;
    proxy.setRules([{ match: (r) => r.path.includes('/tags/list'), action: 'status', status: 404 }]);

    const result = await copy(`${repo}:1`);

    expect([result.digest, blobHeads().length]).toEqual([image.digest, image.blobs.length]);
  });

  it('keeps the HEADs where a blob could be mounted (same registry), and on Google registries', async () => {
    const repo = `fresh/${run}`;
    const result = await copyImage(`${proxy.host}/src/fresh:1`, `${proxy.host}/${repo}:1`, {
      keychain: anonymousKeychain,
      plainHttp: [proxy.host],
      session,
    });

    expect([result.digest, result.blobs.mounted]).toEqual([image.digest, image.blobs.length]);
    expect(blobHeads().filter((r) => r.path.startsWith(`/v2/${repo}/`)).length).toBe(image.blobs.length);
    expect([
      session.trustsFreshRepositories('europe-docker.pkg.dev'),
      session.trustsFreshRepositories('gcr.io'),
      session.trustsFreshRepositories('ghcr.io'),
    ]).toEqual([false, false, true]);
  });
});
