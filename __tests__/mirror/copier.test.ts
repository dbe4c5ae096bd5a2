import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../src/log.js';
import { createCopier } from '../../src/mirror/copier.js';
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
  beforeEach(() => {
    proxy.setRules([]);
    proxy.requests.length = 0;
  });

  /** Two images under `repo/a:1` and `repo/b:1` sharing their two layers (one seed, one platform each). */
  async function twoImages(seed: number, repo: string) {
    const [a, b] = await Promise.all([
      buildRandomImage({ seed, platforms: ['linux/amd64'], layers: 2, layerSize: 32 * 1024 }),
      buildRandomImage({ seed, platforms: ['linux/arm64'], layers: 2, layerSize: 32 * 1024 }),
    ]);
    await pushBuiltImage(registry, `${repo}/a:1`, a);
    await pushBuiltImage(registry, `${repo}/b:1`, b);
    const layers = a.blobs.filter((blob) => b.blobs.some((other) => other.digest === blob.digest));
    return { a, b, layers };
  }
  const puts = (digest: string) =>
    proxy.requests.filter(
      (r) => r.method === 'PUT' && r.path.includes(`digest=${encodeURIComponent(digest)}`),
    );
  const mounts = () => proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('mount='));

  it('uploads a layer shared by two images copied at once only once, mounting it into the other repository', async () => {
    const { a, b, layers } = await twoImages(1, 'shared');
    const copier = createCopier({
      keychain: anonymousKeychain,
      logger: silentLogger,
      plainHttp: [registry.host, proxy.host],
    });

    const results = await Promise.all([
      copier.copy(`${registry.host}/shared/a:1`, `${proxy.host}/shared-dst/a:1`),
      copier.copy(`${registry.host}/shared/b:1`, `${proxy.host}/shared-dst/b:1`),
    ]);
    await copier.close();

    expect(layers.length).toBe(2);
    expect(layers.map((layer) => puts(layer.digest).length)).toEqual([1, 1]);
    expect(mounts().map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.blobs).sort((x, y) => x.copied - y.copied)).toEqual([
      { copied: 1, skipped: 0, mounted: 2 },
      { copied: 3, skipped: 0, mounted: 0 },
    ]);
    expect(results.map((r) => r.digest)).toEqual([a.digest, b.digest]);
  });

  it('uploads a shared layer itself when the registry refuses to mount it from the other repository', async () => {
    // Artifact Registry repositories in different projects, or per-project permissions, answer 403.
    const { a, b, layers } = await twoImages(2, 'refused');
    proxy.setRules([
      {
        match: (r) => r.method === 'POST' && r.path.includes('mount='),
        action: 'status',
        status: 403,
        body: '{"errors":[{"code":"DENIED","message":"permission denied"}]}',
      },
    ]);
    const logger = recordingLogger();
    const copier = createCopier({
      keychain: anonymousKeychain,
      logger,
      plainHttp: [registry.host, proxy.host],
    });

    const results = await Promise.all([
      copier.copy(`${registry.host}/refused/a:1`, `${proxy.host}/refused-dst/a:1`),
      copier.copy(`${registry.host}/refused/b:1`, `${proxy.host}/refused-dst/b:1`),
    ]);
    await copier.close();

    expect(layers.length).toBe(2);
    expect(results.map((r) => [r.digest, r.blobs])).toEqual([
      [a.digest, { copied: 3, skipped: 0, mounted: 0 }],
      [b.digest, { copied: 3, skipped: 0, mounted: 0 }],
    ]);
    expect(mounts().map((r) => r.status)).toEqual([403, 403]);
    expect(layers.map((layer) => puts(layer.digest).map((r) => r.status))).toEqual([
      [201, 201],
      [201, 201],
    ]);
    // Which copy sent a layer first is a race: the warning names the other one's repository.
    const warning = (digest: string) =>
      new RegExp(
        `^mount failed, uploading: ${digest} from refused-dst/([ab]): POST http://${proxy.host}/v2/refused-dst/(?!\\1)[ab]/blobs/uploads/\\?mount=${encodeURIComponent(digest)}&from=refused-dst%2F\\1: 403 DENIED \\(permission denied\\)$`,
      );
    const sorted = [...layers].map((l) => l.digest).sort();
    expect([...logger.warnings].sort()).toEqual(sorted.map((d) => expect.stringMatching(warning(d))));
  });
});
