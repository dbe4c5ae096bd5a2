import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../src/log.js';
import { createCopier } from '../../src/pipeline/copier.js';
import type { Credential, Keychain } from '../../src/registry/credentials/types.js';
import { type FakeGoogle, startFakeGoogle } from '../support/google.js';

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
