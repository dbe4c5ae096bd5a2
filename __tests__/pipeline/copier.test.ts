import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../src/log.js';
import { createCopier } from '../../src/pipeline/copier.js';
import type { Credential, Keychain } from '../../src/registry/credentials/types.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type FakeGoogle, startFakeGoogle } from '../support/google.js';
import { buildRandomImage, pushBuiltImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

let google: FakeGoogle;
const writer = 'writer@my-project.iam.gserviceaccount.com';
const name = 'projects/my-project/locations/us/repositories/mirror';

beforeAll(async () => {
  google = await startFakeGoogle();
});
afterAll(async () => {
  await google?.stop();
});
beforeEach(() => {
  google.stats.requests.length = 0;
  google.repositories.set(name, { name, format: 'DOCKER', mode: 'STANDARD_REPOSITORY' });
  google.grant(writer, [
    'artifactregistry.repositories.get',
    'artifactregistry.repositories.uploadArtifacts',
  ]);
});

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warning: (m) => void warnings.push(m) };
}

const keychainOf = (credential: Credential): Keychain => ({ get: async () => credential });

describe('copier preflight', () => {
  it('runs the Artifact Registry preflight with an oauth2accesstoken credential', async () => {
    const logger = recordingLogger();
    const copier = createCopier({
      keychain: keychainOf({ username: 'oauth2accesstoken', password: google.mintToken(writer) }),
      logger,
      artifactRegistryApi: google.apiBase,
    });

    const result = await copier.preflight('us-docker.pkg.dev/my-project/mirror');
    await copier.close();

    expect([result, logger.warnings, google.stats.requests]).toEqual([
      { immutableTags: false, created: false },
      [],
      [`GET /v1/${name}`, `POST /v1/${name}:testIamPermissions`],
    ]);
  });

  it('skips the preflight with a warning when the credential is a JSON key, and never sends it to the API', async () => {
    const logger = recordingLogger();
    const copier = createCopier({
      keychain: keychainOf({ username: '_json_key', password: '{"type":"service_account"}' }),
      logger,
      artifactRegistryApi: google.apiBase,
    });

    const result = await copier.preflight('us-docker.pkg.dev/my-project/mirror');
    await copier.close();

    expect([result, logger.warnings, google.stats.requests]).toEqual([
      undefined,
      [
        'Artifact Registry preflight skipped for us-docker.pkg.dev/my-project/mirror: the credentials for us-docker.pkg.dev are not a Google access token (username oauth2accesstoken), which the Artifact Registry API needs; the push uses them as they are',
      ],
      [],
    ]);
  });
});

describe('copier across images', () => {
  // The source is the registry itself, the destination the same registry behind a recording
  // proxy: different registry names, so nothing is mounted from the source.
  let registry: TestRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'none' });
    proxy = await startFaultProxy(registry);
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('uploads a layer shared by two images copied at once only once, mounting it into the other repository', async () => {
    // Same seed, one platform each: the two layers are the same, the configs differ.
    const seed = Date.now();
    const [a, b] = await Promise.all([
      buildRandomImage({ seed, platforms: ['linux/amd64'], layers: 2, layerSize: 32 * 1024 }),
      buildRandomImage({ seed, platforms: ['linux/arm64'], layers: 2, layerSize: 32 * 1024 }),
    ]);
    await pushBuiltImage(registry, 'src/a:1', a);
    await pushBuiltImage(registry, 'src/b:1', b);
    const layers = a.blobs.filter((blob) => b.blobs.some((other) => other.digest === blob.digest));
    const copier = createCopier({
      keychain: anonymousKeychain,
      logger: silentLogger,
      plainHttp: [registry.host, proxy.host],
    });

    const results = await Promise.all([
      copier.copy(`${registry.host}/src/a:1`, `${proxy.host}/dst/a:1`),
      copier.copy(`${registry.host}/src/b:1`, `${proxy.host}/dst/b:1`),
    ]);
    await copier.close();

    const puts = (digest: string) =>
      proxy.requests.filter(
        (r) => r.method === 'PUT' && r.path.includes(`digest=${encodeURIComponent(digest)}`),
      );
    const mounts = proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('mount='));
    expect(layers.length).toBe(2);
    expect(layers.map((layer) => puts(layer.digest).length)).toEqual([1, 1]);
    expect(mounts.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.blobs).sort((x, y) => x.copied - y.copied)).toEqual([
      { copied: 1, skipped: 0, mounted: 2 },
      { copied: 3, skipped: 0, mounted: 0 },
    ]);
    expect(results.map((r) => r.digest)).toEqual([a.digest, b.digest]);
  });
});
