import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdcTokenSource, createKeychain } from '../../src/registry/credentials/index.js';
import {
  FAKE_OIDC_REQUEST_TOKEN,
  FAKE_WIF_PRINCIPAL,
  type FakeGoogle,
  startFakeGoogle,
} from '../support/google.js';

describe('Google Application Default Credentials from an external_account file (Workload Identity Federation)', () => {
  let google: FakeGoogle;
  let dir: string;
  const serviceAccount = 'mirror@my-project.iam.gserviceaccount.com';
  const noDockerConfig = () => path.join(dir, 'no-docker-config');

  beforeAll(async () => {
    google = await startFakeGoogle();
    dir = await mkdtemp(path.join(os.tmpdir(), 'ar-mirror-adc-'));
  });
  afterAll(async () => {
    await google?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    Object.assign(google.stats, { oidcRequests: 0, stsExchanges: 0, impersonations: 0 });
    google.stats.requests.length = 0;
  });

  it('exchanges the GitHub OIDC token at STS, impersonates the service account, and caches the token', async () => {
    const file = await google.writeExternalAccountFile(dir, { serviceAccount });
    const source = createAdcTokenSource({ env: { GOOGLE_APPLICATION_CREDENTIALS: file } });

    const first = await source.getAccessToken();
    const second = await source.getAccessToken();

    expect(first).toMatch(/^ya29\.fake-/);
    expect(second).toBe(first);
    expect(google.stats.requests).toEqual([
      'GET /oidc',
      'POST /v1/token',
      `POST /v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
    ]);
    // The token works against the fake Artifact Registry API as the service account.
    google.grant(serviceAccount, ['artifactregistry.repositories.get']);
    const res = await fetch(`${google.apiBase}/projects/p/locations/us/repositories/r`, {
      headers: { authorization: `Bearer ${first}` },
    });
    expect(res.status).toBe(404);
  });

  it('gives a fresh token on refresh, and serves it through the keychain as oauth2accesstoken', async () => {
    const file = await google.writeExternalAccountFile(dir);
    const secrets: string[] = [];
    const logger = {
      group: <T>(_name: string, fn: () => Promise<T>) => fn(),
      info: () => {},
      debug: () => {},
      warning: () => {},
      secret: (value: string) => secrets.push(value),
      isDebug: false,
    };
    const env = { GOOGLE_APPLICATION_CREDENTIALS: file, DOCKER_CONFIG: noDockerConfig() };
    const keychain = createKeychain({ env, google: 'adc', logger });

    const first = await keychain.get('us-docker.pkg.dev');
    const refreshed = await keychain.get('us-docker.pkg.dev', { refresh: true });

    expect(first?.username).toBe('oauth2accesstoken');
    expect(refreshed?.username).toBe('oauth2accesstoken');
    expect(refreshed?.password).not.toBe(first?.password);
    expect(secrets).toEqual([
      first?.password,
      `oauth2accesstoken:${first?.password}`,
      refreshed?.password,
      `oauth2accesstoken:${refreshed?.password}`,
    ]);
    expect(google.stats.stsExchanges).toBe(2);
    expect(google.stats.impersonations).toBe(0);
    // Without impersonation the token belongs to the federated principal itself.
    google.grant(FAKE_WIF_PRINCIPAL, ['artifactregistry.repositories.get']);
    const res = await fetch(`${google.apiBase}/projects/p/locations/us/repositories/r`, {
      headers: { authorization: `Bearer ${refreshed?.password}` },
    });
    expect(res.status).toBe(404);
  });

  it('fails with a message that holds neither the request token nor the subject token', async () => {
    const file = await google.writeExternalAccountFile(dir);
    const broken = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8'));
    // A rejected STS exchange: the audience is not a workload identity pool.
    broken.audience = 'not-a-pool';
    const brokenFile = path.join(dir, 'broken.json');
    await writeFile(brokenFile, JSON.stringify(broken));
    const source = createAdcTokenSource({ env: { GOOGLE_APPLICATION_CREDENTIALS: brokenFile } });

    const error = await source.getAccessToken().then(
      () => undefined,
      (err: unknown) => err as Error,
    );

    expect(
      error?.message.startsWith(
        `could not get a Google access token from the credentials file ${brokenFile}: `,
      ),
    ).toBe(true);
    expect(error?.message).not.toContain(FAKE_OIDC_REQUEST_TOKEN);
    expect(error?.message).not.toMatch(/eyJ/);
    expect(error?.cause).toBeUndefined();
    expect(google.stats.stsExchanges).toBe(1);
  });
});
