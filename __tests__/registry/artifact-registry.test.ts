import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  parseArtifactRegistryDestination,
  preflightArtifactRegistry,
  UPLOAD_PERMISSION,
} from '../../src/registry/artifact-registry.js';
import { type FakeGoogle, startFakeGoogle } from '../support/google.js';

describe('parseArtifactRegistryDestination', () => {
  it('reads location, project and repository, ignoring an image path, tag or digest', () => {
    const expected = {
      location: 'europe-west4',
      project: 'my-project',
      repository: 'mirror',
      host: 'europe-west4-docker.pkg.dev',
    };

    expect(parseArtifactRegistryDestination('europe-west4-docker.pkg.dev/my-project/mirror')).toEqual(
      expected,
    );
    expect(
      parseArtifactRegistryDestination('europe-west4-docker.pkg.dev/my-project/mirror/library/nginx:1.25'),
    ).toEqual(expected);
    expect(parseArtifactRegistryDestination('europe-west4-docker.pkg.dev/my-project/mirror:1')).toEqual(
      expected,
    );
  });

  it.each([
    ['gcr.io/my-project/mirror', 'is not an Artifact Registry Docker host'],
    ['us-maven.pkg.dev/my-project/mirror', 'is not an Artifact Registry Docker host'],
    ['us-docker.pkg.dev/my-project', 'has no valid repository ID'],
    ['us-docker.pkg.dev/my-project/Mirror', 'has no valid repository ID'],
    ['us-docker.pkg.dev/P/mirror', 'has no valid project ID'],
  ])('refuses %s', (text, reason) => {
    const parse = () => parseArtifactRegistryDestination(text);

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      `"${text}" ${reason}${reason.includes('repository') ? ' (lowercase letters, digits, hyphens)' : ''}: expected LOCATION-docker.pkg.dev/PROJECT/REPOSITORY, for example us-docker.pkg.dev/my-project/mirror`,
    );
  });
});

describe('preflightArtifactRegistry against a fake Artifact Registry API', () => {
  let google: FakeGoogle;
  const writer = 'writer@my-project.iam.gserviceaccount.com';
  const dest = parseArtifactRegistryDestination('us-docker.pkg.dev/my-project/mirror');
  const name = 'projects/my-project/locations/us/repositories/mirror';
  const sleeps: number[] = [];
  const options = (
    identity = writer,
    extra: Partial<Parameters<typeof preflightArtifactRegistry>[1]> = {},
  ) => {
    const token = google.mintToken(identity);
    return {
      accessToken: async () => token,
      apiBase: google.apiBase,
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      ...extra,
    };
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: unknown) => ({ type: (err as Error).constructor.name, message: (err as Error).message }),
    );

  beforeAll(async () => {
    google = await startFakeGoogle();
  });
  afterAll(async () => {
    await google?.stop();
  });
  beforeEach(() => {
    google.repositories.clear();
    google.stats.requests.length = 0;
    sleeps.length = 0;
    google.grant(writer, ['artifactregistry.repositories.get', UPLOAD_PERMISSION]);
  });

  it('passes for a standard Docker repository the caller can push to, reading immutableTags', async () => {
    google.repositories.set(name, { name, format: 'DOCKER', mode: 'STANDARD_REPOSITORY' });
    const immutable = parseArtifactRegistryDestination('us-docker.pkg.dev/my-project/pinned');
    const pinned = 'projects/my-project/locations/us/repositories/pinned';
    google.repositories.set(pinned, {
      name: pinned,
      format: 'DOCKER',
      dockerConfig: { immutableTags: true },
    });

    const result = await preflightArtifactRegistry(dest, options());
    const immutableResult = await preflightArtifactRegistry(immutable, options());

    expect(result).toEqual({ immutableTags: false, created: false });
    expect(immutableResult).toEqual({ immutableTags: true, created: false });
    expect(google.stats.requests.slice(0, 2)).toEqual([
      `GET /v1/${name}`,
      `POST /v1/${name}:testIamPermissions`,
    ]);
  });

  it('explains how to create a missing repository', async () => {
    const result = await failure(preflightArtifactRegistry(dest, options()));

    expect(result).toEqual({
      type: 'ArtifactRegistryError',
      message: `Artifact Registry repository ${name} does not exist. Create it with "gcloud artifacts repositories create mirror --repository-format=docker --location=us --project=my-project", or enable create-repository`,
    });
  });

  it('creates a missing repository when asked, polling the operation until done', async () => {
    google.grant(writer, [
      'artifactregistry.repositories.get',
      'artifactregistry.repositories.create',
      UPLOAD_PERMISSION,
    ]);
    google.setOperationPolls(2);

    const result = await preflightArtifactRegistry(dest, options(writer, { createRepository: true }));

    expect(result).toEqual({ immutableTags: false, created: true });
    expect(google.repositories.get(name)).toMatchObject({
      name,
      format: 'DOCKER',
      mode: 'STANDARD_REPOSITORY',
    });
    expect(sleeps).toEqual([1000, 1000]);
    expect(
      google.stats.requests.map((line) => line.replace(/operations\/[-0-9a-f]+$/, 'operations/ID')),
    ).toEqual([
      `GET /v1/${name}`,
      'POST /v1/projects/my-project/locations/us/repositories',
      'GET /v1/projects/my-project/locations/us/operations/ID',
      'GET /v1/projects/my-project/locations/us/operations/ID',
      `POST /v1/${name}:testIamPermissions`,
    ]);
  });

  it('gives up on an operation that is never done, after the given number of polls', async () => {
    google.grant(writer, [
      'artifactregistry.repositories.get',
      'artifactregistry.repositories.create',
      UPLOAD_PERMISSION,
    ]);
    google.setOperationPolls(100);

    const result = await failure(
      preflightArtifactRegistry(dest, options(writer, { createRepository: true, pollAttempts: 3 })),
    );

    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect(result?.message).toMatch(
      new RegExp(
        `^creating Artifact Registry repository ${name}: the operation projects/my-project/locations/us/operations/[-0-9a-f]+ was not done after 3 polls$`,
      ),
    );
  });

  it('says which role creating a repository needs', async () => {
    const result = await failure(
      preflightArtifactRegistry(dest, options(writer, { createRepository: true })),
    );

    expect(result).toEqual({
      type: 'ArtifactRegistryError',
      message: `creating Artifact Registry repository ${name}: permission denied (403): Permission 'artifactregistry.repositories.create' denied on resource '//artifactregistry.googleapis.com/projects/my-project/locations/us' (or it may not exist). Grant the identity roles/artifactregistry.admin on project my-project, or create the repository yourself`,
    });
  });

  it.each([
    [
      'MAVEN',
      'STANDARD_REPOSITORY',
      `has format MAVEN, not DOCKER: images can only be pushed to a Docker repository; choose or create one with --repository-format=docker`,
    ],
    [
      'DOCKER',
      'REMOTE_REPOSITORY',
      'is a REMOTE_REPOSITORY: remote and virtual repositories are read-only; mirror into a standard repository',
    ],
    [
      'DOCKER',
      'VIRTUAL_REPOSITORY',
      'is a VIRTUAL_REPOSITORY: remote and virtual repositories are read-only; mirror into a standard repository',
    ],
  ])('refuses a %s repository in mode %s', async (format, mode, reason) => {
    google.repositories.set(name, { name, format, mode });

    const result = await failure(preflightArtifactRegistry(dest, options()));

    expect(result).toEqual({
      type: 'ArtifactRegistryError',
      message: `Artifact Registry repository ${name} ${reason}`,
    });
  });

  it('names the role to grant when uploadArtifacts is missing', async () => {
    const reader = 'reader@my-project.iam.gserviceaccount.com';
    google.grant(reader, ['artifactregistry.repositories.get']);
    google.repositories.set(name, { name, format: 'DOCKER', mode: 'STANDARD_REPOSITORY' });

    const result = await failure(preflightArtifactRegistry(dest, options(reader)));

    expect(result).toEqual({
      type: 'ArtifactRegistryError',
      message: `the credentials cannot push to Artifact Registry repository ${name}: artifactregistry.repositories.uploadArtifacts is not granted. Grant the identity roles/artifactregistry.writer on the repository`,
    });
  });

  it('reports a permission denied on reading the repository with the role to grant', async () => {
    google.repositories.set(name, { name, format: 'DOCKER' });

    const result = await failure(preflightArtifactRegistry(dest, options('nobody@example.com')));

    expect(result).toEqual({
      type: 'ArtifactRegistryError',
      message: `reading ${name}: permission denied (403): Permission 'artifactregistry.repositories.get' denied on resource '//artifactregistry.googleapis.com/${name}' (or it may not exist). Grant the identity roles/artifactregistry.writer on the repository (or on project my-project), and check that the repository exists`,
    });
  });

  it('reports a rejected token without quoting it', async () => {
    const token = 'ya29.not-a-token-the-fake-issued-1234567890';

    const result = await failure(
      preflightArtifactRegistry(dest, { accessToken: async () => token, apiBase: google.apiBase }),
    );

    expect(result).toEqual({
      type: 'ArtifactRegistryError',
      message: `reading ${name}: the Google access token was rejected (401); check the credentials (google-github-actions/auth or GOOGLE_APPLICATION_CREDENTIALS)`,
    });
  });
});

describe('preflightArtifactRegistry against an API that misbehaves', () => {
  // `/huge/…` streams up to 32 MiB of JSON-less bytes as fast as the client reads;
  // `/silent/…` accepts the request and never answers.
  let server: http.Server;
  let apiUrl = '';
  let hugeBytesSent = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (!req.url?.startsWith('/huge/')) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (hugeBytesSent < 32 * 1024 * 1024 && !res.destroyed) {
          hugeBytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const dest = parseArtifactRegistryDestination('us-docker.pkg.dev/my-project/mirror');
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (err: unknown) => (err as Error).message,
    );

  it('reads at most 64 KiB of an answer and leaves the rest unread', async () => {
    const result = await failure(
      preflightArtifactRegistry(dest, { accessToken: async () => 't', apiBase: `${apiUrl}/huge` }),
    );

    expect(result).toBe(
      'Artifact Registry repository projects/my-project/locations/us/repositories/mirror has format unknown, not DOCKER: images can only be pushed to a Docker repository; choose or create one with --repository-format=docker',
    );
    expect(hugeBytesSent).toBeLessThan(8 * 1024 * 1024);
  });

  it('gives up on an API that never answers', async () => {
    const result = await failure(
      preflightArtifactRegistry(dest, {
        accessToken: async () => 't',
        apiBase: `${apiUrl}/silent`,
        timeoutMs: 100,
      }),
    );

    expect(result).toBe(
      `GET ${apiUrl}/silent/projects/my-project/locations/us/repositories/mirror: no answer within 100 ms`,
    );
  });
});
