import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadMonolithic } from '../../src/registry/blob-monolithic.js';
import { copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { computeDigest, DigestMismatchError } from '../../src/registry/digest.js';
import { ALL_SHORTCUTS, createCopySession } from '../../src/registry/session.js';
import { RegistryError } from '../../src/registry/transport/index.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { type MonolithicFront, startMonolithicFront } from '../support/monolithic-front.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { fakeInner, reply } from './transport-fakes.js';

// The source is read straight from the registry; the destination is the same registry behind
// the recording proxy (distribution itself: it answers a monolithic POST with 202 and drops the
// body), or behind a front that takes monolithic uploads as the spec describes them.
let registry: TestRegistry;
let proxy: FaultProxy;
let front: MonolithicFront;
let image: PushedImage;
let other: PushedImage;
let run = 0;

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  [proxy, front] = await Promise.all([startFaultProxy(registry), startMonolithicFront(registry)]);
  // Configs of a few hundred bytes, layers of 4 KiB and 40 KiB: below and above the 16 KiB threshold used here.
  image = await pushRandomImage(registry, 'src/mono:1', { layers: 2, layerSize: 4096, sharedLayers: 0 });
  other = await pushRandomImage(registry, 'src/mono:2', { layers: 1, layerSize: 40_000 });
});
afterAll(async () => {
  await Promise.all([proxy?.stop(), front?.stop()]);
  await registry?.stop();
});
beforeEach(() => {
  run++;
  proxy.requests.length = 0;
  front.requests.length = 0;
});

const session = () => createCopySession({ shortcuts: { ...ALL_SHORTCUTS, monolithicMaxBytes: 16 * 1024 } });
const copy = (s: ReturnType<typeof session>, from: string, to: string) =>
  copyImage(`${registry.host}/${from}`, to, {
    keychain: anonymousKeychain,
    plainHttp: [registry.host, proxy.host, front.host],
    session: s,
  });
const digestParam = (path: string) => decodeURIComponent(/[?&]digest=([^&]+)/.exec(path)?.[1] ?? '');

describe('monolithic uploads', () => {
  it('falls back into the session a refusing registry opens, and asks that host only once per run', async () => {
    const s = session();

    const first = await copy(s, 'src/mono:1', `${proxy.host}/mono/${run}/a:1`);
    const second = await copy(s, 'src/mono:2', `${proxy.host}/mono/${run}/b:1`);
    await s.close();

    const monolithicPosts = proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('digest='));
    const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'));
    expect([first.digest, second.digest]).toEqual([image.digest, other.digest]);
    expect(monolithicPosts.map((r) => r.status)).toEqual([202]);
    // The refused blob went into the 202's session: every blob is PUT exactly once.
    expect(puts.map((r) => digestParam(r.path)).sort()).toEqual(
      [...image.blobs, ...other.blobs].map((b) => b.digest).sort(),
    );
    for (const blob of [...image.blobs]) {
      const stored = await registry.fetch(`/v2/mono/${run}/a/blobs/${blob.digest}`, { method: 'HEAD' });
      expect([blob.digest, stored.status]).toEqual([blob.digest, 200]);
    }
  });

  it('sends each small blob in one POST once the registry has taken one, and streams the larger ones', async () => {
    const s = session();
    const blobWrites = () =>
      front.requests
        .filter((r) => (r.method === 'POST' || r.method === 'PUT') && r.path.includes('/blobs/uploads/'))
        .map(
          (r) => `${r.method} ${r.path.includes('digest=') ? digestParam(r.path) : 'session'} ${r.status}`,
        );

    const first = await copy(s, 'src/mono:1', `${front.host}/mono/${run}/a:1`);
    const duringProbe = blobWrites();
    front.requests.length = 0;
    const second = await copy(s, 'src/mono:2', `${front.host}/mono/${run}/b:1`);
    await s.close();

    // The first small blob tries; blobs starting while it is out are streamed as before.
    const tried = duringProbe.filter((w) => w.startsWith('POST sha256:'));
    expect([first.digest, tried.length, tried[0]?.endsWith(' 201')]).toEqual([image.digest, 1, true]);
    const [small, large] = [
      other.blobs.filter((b) => b.size <= 16 * 1024),
      other.blobs.filter((b) => b.size > 16 * 1024),
    ];
    expect([second.digest, large.length]).toEqual([other.digest, 1]);
    expect(blobWrites().sort()).toEqual(
      [...small.map((b) => `POST ${b.digest} 201`), 'POST session 202', `PUT ${large[0]!.digest} 201`].sort(),
    );
  });
});

describe('monolithic uploads under faults', () => {
  it('restart a small blob whose source read is cut, or whose POST loses its connection or meets a 503', async () => {
    const [source, destination] = await Promise.all([
      startFaultProxy(registry),
      startFaultProxy({ url: `http://${front.host}` }),
    ]);
    const s = session();
    const config = image.blobs.find((b) => b.size < 2000)!;
    const isMonolithic = (r: { method: string; path: string }) =>
      r.method === 'POST' && r.path.includes('digest=');
    source.setRules([
      {
        match: (r) => r.method === 'GET' && r.path.endsWith(`/blobs/${config.digest}`),
        times: 1,
        action: 'cut-body',
        afterBytes: 10,
      },
    ]);
    destination.setRules([
      { match: isMonolithic, times: 1, action: 'drop-connection' },
      { match: isMonolithic, times: 1, action: 'status', status: 503 },
    ]);

    try {
      const result = await copyImage(
        `${source.host}/src/mono:1`,
        `${destination.host}/mono/${run}/faults:1`,
        {
          keychain: anonymousKeychain,
          plainHttp: [source.host, destination.host],
          retry: { sleep: async () => {}, attempts: 3 },
          session: s,
        },
      );

      expect([result.digest, result.blobs.copied]).toEqual([image.digest, image.blobs.length]);
      // The cut read, then at least one whole new attempt of that blob (a POST fault restarts a blob too).
      expect(
        source.requests.filter((r) => r.path.endsWith(`/blobs/${config.digest}`)).length,
      ).toBeGreaterThanOrEqual(2);
      expect(
        destination.requests
          .filter(isMonolithic)
          .map((r) => r.status)
          .slice(0, 2),
      ).toEqual([0, 503]);
    } finally {
      await s.close();
      await Promise.all([source.stop(), destination.stop()]);
    }
    for (const blob of image.blobs) {
      const stored = await registry.fetch(`/v2/mono/${run}/faults/blobs/${blob.digest}`, { method: 'HEAD' });
      expect([blob.digest, stored.status]).toEqual([blob.digest, 200]);
    }
  });
});

describe('uploadMonolithic', () => {
  const bytes = Buffer.from('a small blob');
  const blob = { digest: computeDigest(bytes), size: bytes.length, bytes };
  const endpoint = (handler: Parameters<typeof fakeInner>[0]) => {
    const fake = fakeInner(handler);
    return { fake, endpoint: { rt: fake.roundTrip, url: 'https://reg.example/v2/x/blobs/uploads/' } };
  };

  it('posts anew and PUTs into that session when the registry refuses the form of the request', async () => {
    const { fake, endpoint: e } = endpoint((req, i) =>
      i === 0
        ? reply(405)
        : req.method === 'POST'
          ? reply(202, { location: '/v2/x/blobs/uploads/s1' })
          : reply(201),
    );

    const outcome = await uploadMonolithic(e, blob);

    expect([outcome, fake.seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)]).toEqual([
      'refused',
      ['POST /v2/x/blobs/uploads/', 'POST /v2/x/blobs/uploads/', 'PUT /v2/x/blobs/uploads/s1'],
    ]);
  });

  it('throws, without a fallback, on a refusal of us or of the moment (401, 429)', async () => {
    for (const status of [401, 429]) {
      const { fake, endpoint: e } = endpoint(() => reply(status));

      const error = await uploadMonolithic(e, blob).catch((err: unknown) => err);

      expect([error instanceof RegistryError && error.status, fake.seen.length]).toEqual([status, 1]);
    }
  });

  it('refuses a registry that says it stored other content', async () => {
    const { endpoint: e } = endpoint(() =>
      reply(201, { 'docker-content-digest': `sha256:${'b'.repeat(64)}` }),
    );

    await expect(uploadMonolithic(e, blob)).rejects.toThrow(DigestMismatchError);
  });
});
