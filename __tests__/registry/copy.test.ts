import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CopyOptions, copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { buildRandomImage, pushBuiltImage, pushManifest, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// One registry; the destination is reached through the recording proxy, so source and
// destination are different hosts (no cross-repository mounts) and every destination request is seen.
let registry: TestRegistry;
let proxy: FaultProxy;
const small = { layers: 2, layerSize: 2048, sharedLayers: 1 };
const options = (): CopyOptions => ({ keychain: anonymousKeychain, plainHttp: [registry.host, proxy.host] });

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  proxy = await startFaultProxy(registry);
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

/** The destination requests, without the ping, as `METHOD path` with the upload session ids elided. */
function destinationLog(): string[] {
  return proxy.requests
    .filter((r) => r.path !== '/v2/')
    .map(
      (r) => `${r.method} ${r.path.replace(/uploads\/[^?]+\?.*digest=([^&]+).*/, 'uploads/ID?digest=$1')}`,
    );
}

describe('copyImage between registries', () => {
  it('copies a 3-platform OCI index byte for byte: blobs, children, then the index under its tag', async () => {
    const image = await pushRandomImage(registry, 'src/oci:1', {
      ...small,
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    });
    proxy.requests.length = 0;

    const result = await copyImage(`${registry.host}/src/oci:1`, `${proxy.host}/dst/oci:1`, options());

    expect(result).toEqual({
      source: `${registry.host}/src/oci:1`,
      destination: `${proxy.host}/dst/oci:1`,
      digest: image.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      blobs: { copied: image.blobs.length, skipped: 0, mounted: 0 },
      bytes: image.blobs.reduce((sum, b) => sum + b.size, 0),
      signatures: [],
      foreignLayers: [],
      platformSubset: false,
      verified: { sourceDigest: image.digest, destinationDigest: image.digest },
    });
    const log = destinationLog();
    const uploads = log.filter((l) => l.startsWith('PUT /v2/dst/oci/blobs/uploads/'));
    // 3 configs + 1 shared layer + 3 own layers, each sent exactly once.
    expect(uploads.sort()).toEqual(
      image.blobs
        .map((b) => `PUT /v2/dst/oci/blobs/uploads/ID?digest=${encodeURIComponent(b.digest)}`)
        .sort(),
    );
    const manifestPuts = log.filter((l) => l.startsWith('PUT /v2/dst/oci/manifests/'));
    expect(manifestPuts.slice(0, 3).sort()).toEqual(
      image.manifests.map((m) => `PUT /v2/dst/oci/manifests/${m.digest}`).sort(),
    );
    expect(manifestPuts.slice(3)).toEqual(['PUT /v2/dst/oci/manifests/1']);
    const lastUpload = log.findLastIndex((l) => l.includes('/blobs/'));
    const firstManifestPut = log.findIndex((l) => l.startsWith('PUT /v2/dst/oci/manifests/'));
    expect(lastUpload).toBeLessThan(firstManifestPut);
    expect(log.at(-1)).toBe('HEAD /v2/dst/oci/manifests/1');
    expect(log.at(-2)).toBe('PUT /v2/dst/oci/manifests/1');
  });

  it('copies an index nested in an index: each child lands before the index that lists it', async () => {
    const inner = await buildRandomImage({ ...small, platforms: ['linux/amd64', 'linux/arm64'] });
    await pushBuiltImage(registry, 'src/nest:inner', inner);
    const outer = {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      bytes: Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [{ mediaType: inner.mediaType, size: inner.bytes.length, digest: inner.digest }],
        }),
      ),
    };
    const outerDigest = await pushManifest(registry, 'src/nest', '1', outer);
    proxy.requests.length = 0;

    const result = await copyImage(`${registry.host}/src/nest:1`, `${proxy.host}/dst/nest:1`, options());

    expect(result.verified).toEqual({ sourceDigest: outerDigest, destinationDigest: outerDigest });
    expect(destinationLog().filter((l) => l.startsWith('PUT /v2/dst/nest/manifests/'))).toEqual([
      ...inner.manifests.map((m) => `PUT /v2/dst/nest/manifests/${m.digest}`),
      `PUT /v2/dst/nest/manifests/${inner.digest}`,
      'PUT /v2/dst/nest/manifests/1',
    ]);
  });

  it('copies a 3-platform Docker manifest list with its exact digest, and a second copy moves no blob', async () => {
    const image = await pushRandomImage(registry, 'src/docker:2', {
      ...small,
      format: 'docker',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/s390x'],
    });

    const first = await copyImage(`${registry.host}/src/docker:2`, `${proxy.host}/dst/docker`, options());
    proxy.requests.length = 0;
    const second = await copyImage(`${registry.host}/src/docker:2`, `${proxy.host}/dst/docker`, options());

    expect([first.digest, first.mediaType, first.destination]).toEqual([
      image.digest,
      'application/vnd.docker.distribution.manifest.list.v2+json',
      `${proxy.host}/dst/docker:2`,
    ]);
    expect(second).toEqual({ ...first, blobs: { copied: 0, skipped: 0, mounted: 0 }, bytes: 0 });
    expect(destinationLog()).toEqual([
      'HEAD /v2/dst/docker/manifests/2',
      `GET /v2/dst/docker/manifests/${image.digest}`,
    ]);
  });

  it('skips blobs the destination already has', async () => {
    const image = await pushRandomImage(registry, 'src/partial:1', { ...small, layers: 3 });
    await copyImage(`${registry.host}/src/partial:1`, `${proxy.host}/dst/partial:old`, options());

    const result = await copyImage(
      `${registry.host}/src/partial:1`,
      `${proxy.host}/dst/partial:new`,
      options(),
    );

    expect([result.blobs, result.bytes, result.platforms]).toEqual([
      { copied: 0, skipped: image.blobs.length, mounted: 0 },
      0,
      ['linux/amd64'],
    ]);
  });

  it('keeps only the selected platforms in a new index and says so', async () => {
    const image = await pushRandomImage(registry, 'src/subset:1', {
      ...small,
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    });

    const result = await copyImage(`${registry.host}/src/subset:1`, `${proxy.host}/dst/subset:1`, {
      ...options(),
      platforms: ['linux/arm/v7'],
    });

    const stored = await registry.fetch('/v2/dst/subset/manifests/1', {
      headers: { accept: image.mediaType },
    });
    const child = image.manifests.find((m) => m.platform?.architecture === 'arm')!;
    expect(JSON.parse(stored.body.toString()).manifests.map((m: { digest: string }) => m.digest)).toEqual([
      child.digest,
    ]);
    expect([result.platforms, result.platformSubset, result.verified.sourceDigest]).toEqual([
      ['linux/arm/v7'],
      true,
      image.digest,
    ]);
    expect(result.digest).not.toBe(image.digest);
    expect(result.verified.destinationDigest).toBe(stored.headers['docker-content-digest']);
    expect(result.blobs.copied).toBe(3); // the arm/v7 config, the shared layer and its own layer
  });

  it('names a platform the index does not have', async () => {
    await pushRandomImage(registry, 'src/noplat:1', { ...small, platforms: ['linux/amd64', 'linux/arm64'] });

    const copy = copyImage(`${registry.host}/src/noplat:1`, `${proxy.host}/dst/noplat:1`, {
      ...options(),
      platforms: ['windows/amd64'],
    });

    await expect(copy).rejects.toThrow(
      `copying ${registry.host}/src/noplat:1 → ${proxy.host}/dst/noplat:1: platform windows/amd64 not in the source index (it has linux/amd64, linux/arm64)`,
    );
  });

  it('mounts blobs across repositories of the same registry', async () => {
    const image = await pushRandomImage(registry, 'src/mount:1', small);

    const result = await copyImage(
      `${registry.host}/src/mount:1`,
      `${registry.host}/other/mount:1`,
      options(),
    );

    expect([result.digest, result.blobs]).toEqual([
      image.digest,
      { copied: 0, skipped: 0, mounted: image.blobs.length },
    ]);
  });

  it('copies cosign signature tags and the referrers fallback tag with --signatures', async () => {
    const image = await pushRandomImage(registry, 'src/signed:1', small);
    const hex = image.digest.slice('sha256:'.length);
    const sig = await pushRandomImage(registry, `src/signed:sha256-${hex}.sig`, {
      layers: 1,
      layerSize: 256,
    });
    const fallback = await pushRandomImage(registry, `src/signed:sha256-${hex}`, {
      layers: 1,
      layerSize: 256,
      index: true,
    });

    const result = await copyImage(`${registry.host}/src/signed:1`, `${proxy.host}/dst/signed:1`, {
      ...options(),
      signatures: true,
    });

    expect(result.signatures).toEqual([`sha256-${hex}.sig`, `sha256-${hex}`]);
    const heads = await Promise.all(
      [`sha256-${hex}.sig`, `sha256-${hex}`].map((tag) =>
        registry.fetch(`/v2/dst/signed/manifests/${tag}`, {
          method: 'HEAD',
          headers: {
            accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json',
          },
        }),
      ),
    );
    expect(heads.map((h) => h.headers['docker-content-digest'])).toEqual([sig.digest, fallback.digest]);
  });
  it('with immutable tags, refuses to move an existing tag before uploading anything', async () => {
    const wanted = await pushRandomImage(registry, 'src/immutable:1', small);
    const existing = await pushRandomImage(registry, 'dst/immutable:1', small);
    proxy.requests.length = 0;

    const copy = copyImage(`${registry.host}/src/immutable:1`, `${proxy.host}/dst/immutable:1`, {
      ...options(),
      immutableTags: true,
    });

    await expect(copy).rejects.toThrow(
      `copying ${registry.host}/src/immutable:1 → ${proxy.host}/dst/immutable:1: tag 1 already points at ${existing.digest} and the repository has immutable tags; the source is ${wanted.digest}: mirror it under a new tag, or delete the old tag first`,
    );
    expect(destinationLog()).toEqual(['HEAD /v2/dst/immutable/manifests/1']);
  });

  it('with immutable tags, checks the new index of a platform subset against the tag', async () => {
    await pushRandomImage(registry, 'src/immutable-subset:1', {
      ...small,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    const existing = await pushRandomImage(registry, 'dst/immutable-subset:1', small);
    proxy.requests.length = 0;

    const copy = copyImage(
      `${registry.host}/src/immutable-subset:1`,
      `${proxy.host}/dst/immutable-subset:1`,
      { ...options(), immutableTags: true, platforms: ['linux/arm64'] },
    );

    await expect(copy).rejects.toThrow(`tag 1 already points at ${existing.digest}`);
    expect(destinationLog()).toEqual(['HEAD /v2/dst/immutable-subset/manifests/1']);
  });

  it('with immutable tags, copies to a new tag and leaves a tag with the same digest alone', async () => {
    const image = await pushRandomImage(registry, 'src/immutable-ok:1', small);

    const first = await copyImage(`${registry.host}/src/immutable-ok:1`, `${proxy.host}/dst/immutable-ok:1`, {
      ...options(),
      immutableTags: true,
    });
    const again = await copyImage(`${registry.host}/src/immutable-ok:1`, `${proxy.host}/dst/immutable-ok:1`, {
      ...options(),
      immutableTags: true,
    });

    // A single-manifest image reports its platform from the config, on the full and the fast path.
    expect([first.verified.destinationDigest, first.blobs.copied, first.platforms]).toEqual([
      image.digest,
      image.blobs.length,
      ['linux/amd64'],
    ]);
    expect([again.verified.destinationDigest, again.blobs, again.platforms]).toEqual([
      image.digest,
      { copied: 0, skipped: 0, mounted: 0 },
      ['linux/amd64'],
    ]);
  });
});
