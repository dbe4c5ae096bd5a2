import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRandomImage, MEDIA_TYPES, type PushedImage, pushRandomImage } from './images.js';
import { type RegistryMode, rawRequest, scopeForPath, startRegistry, type TestRegistry } from './registry.js';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const ALL_MANIFEST_TYPES = [...Object.values(MEDIA_TYPES.oci), ...Object.values(MEDIA_TYPES.docker)].join(
  ', ',
);

/** Reads the image back through the harness and checks every digest and size the registry reports. */
async function expectReadable(registry: TestRegistry, repository: string, image: PushedImage): Promise<void> {
  const tag = image.reference.slice(image.reference.lastIndexOf(':') + 1);
  const top = await registry.fetch(`/v2/${repository}/manifests/${tag}`, {
    headers: { accept: ALL_MANIFEST_TYPES },
  });
  expect([
    top.status,
    top.headers['docker-content-digest'],
    top.headers['content-type'],
    sha256(top.body),
  ]).toEqual([200, image.digest, image.mediaType, image.digest]);
  for (const manifest of image.manifests) {
    const res = await registry.fetch(`/v2/${repository}/manifests/${manifest.digest}`, {
      headers: { accept: manifest.mediaType },
    });
    expect([res.status, sha256(res.body)]).toEqual([200, manifest.digest]);
  }
  for (const blob of image.blobs) {
    const res = await registry.fetch(`/v2/${repository}/blobs/${blob.digest}`, { method: 'HEAD' });
    expect([res.status, res.headers['content-length']]).toEqual([200, String(blob.size)]);
  }
}

describe('image builder', () => {
  it('is deterministic for a seed and shares the first layers across platforms', async () => {
    const options = {
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      layers: 3,
      layerSize: 1024,
      seed: 7,
    };

    const first = await buildRandomImage(options);
    const second = await buildRandomImage(options);
    const other = await buildRandomImage({ ...options, seed: 8 });

    expect(second.digest).toBe(first.digest);
    expect(other.digest).not.toBe(first.digest);
    // 3 configs + 1 shared layer + 3 platforms × 2 own layers.
    expect(first.blobs).toHaveLength(10);
    expect(first.manifests.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    const index = JSON.parse(first.bytes.toString('utf8'));
    expect(index.mediaType).toBe(MEDIA_TYPES.oci.index);
    expect(index.manifests.map((m: { digest: string }) => m.digest)).toEqual(
      first.manifests.map((m) => m.digest),
    );
  });

  it('builds a single manifest without an index by default', async () => {
    const image = await buildRandomImage({ format: 'docker', layers: 1, layerSize: 10, seed: 1 });

    const manifest = JSON.parse(image.bytes.toString('utf8'));

    expect(image.mediaType).toBe(MEDIA_TYPES.docker.manifest);
    expect(image.manifests.map((m) => m.digest)).toEqual([image.digest]);
    expect(manifest.config.mediaType).toBe(MEDIA_TYPES.docker.config);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      MEDIA_TYPES.docker.layer,
    ]);
    expect(image.blobs.map((b) => b.digest)).toEqual([manifest.config.digest, manifest.layers[0].digest]);
  });
});

describe('scopeForPath', () => {
  it('maps request paths to the scope the harness user asks for', () => {
    expect(scopeForPath('/v2/')).toBeUndefined();
    expect(scopeForPath('/v2/_catalog')).toBe('registry:catalog:*');
    expect(scopeForPath('/v2/lib/app/blobs/uploads/abc')).toBe('repository:lib/app:pull,push,delete');
    expect(scopeForPath('/v2/a/manifests/1')).toBe('repository:a:pull,push,delete');
  });
});

const MODES: RegistryMode[] = ['none', 'basic', 'token', 'tls', 'basic+tls', 'token+tls'];

describe.each(MODES)('registry in %s mode', (mode) => {
  let registry: TestRegistry;
  const isAuth = mode.startsWith('basic') || mode.startsWith('token');
  const isTls = mode === 'tls' || mode.endsWith('+tls');

  beforeAll(async () => {
    registry = await startRegistry({ mode });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('answers /v2/ anonymously as the mode requires, and to the harness with 200', async () => {
    const anonymous = await rawRequest(new URL('/v2/', registry.url), { ca: registry.caPem });
    const harness = await registry.fetch('/v2/');

    expect(registry.url).toBe(`${isTls ? 'https' : 'http'}://${registry.host}`);
    expect(anonymous.status).toBe(isAuth ? 401 : 200);
    const challenge = anonymous.headers['www-authenticate'];
    if (mode.startsWith('basic')) expect(challenge).toBe('Basic realm="ar-mirror-test"');
    if (mode.startsWith('token')) {
      expect(challenge).toBe(`Bearer realm="${registry.tokenRealm}",service="ar-mirror-test-registry"`);
    }
    expect(harness.status).toBe(200);
  });

  it.runIf(isAuth)('refuses an anonymous push', async () => {
    const res = await rawRequest(new URL('/v2/lib/anon/blobs/uploads/', registry.url), {
      method: 'POST',
      ca: registry.caPem,
    });

    expect(res.status).toBe(401);
  });

  it.each(['oci', 'docker'] as const)(
    'stores a pushed %s image with the digests the builder computed',
    async (format) => {
      const repository = `lib/${format}`;

      const image = await pushRandomImage(registry, `${repository}:1`, {
        platforms: ['linux/amd64', 'linux/arm64'],
        format,
      });

      expect(image.reference).toBe(`${registry.host}/${repository}:1`);
      expect(image.mediaType).toBe(MEDIA_TYPES[format].index);
      await expectReadable(registry, repository, image);
    },
  );

  it.runIf(isTls)('serves a certificate that only the throwaway CA verifies', async () => {
    const untrusted = rawRequest(new URL('/v2/', registry.url));

    await expect(untrusted).rejects.toThrow(/self[- ]signed|unable to verify|unable to get local issuer/i);
    expect(registry.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
