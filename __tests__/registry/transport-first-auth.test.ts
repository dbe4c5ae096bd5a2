import { describe, expect, it } from 'vitest';
import {
  createRegistryAuth,
  createTransport,
  type RegistryAuth,
} from '../../src/registry/transport/index.js';
import type { TransportRequest } from '../../src/registry/transport/types.js';
import { fakeInner, fixedKeychain, reply } from './transport-fakes.js';

const REPOSITORIES = ['dst', 'src'];

/** reg.example: Bearer tokens from auth.example for every API request without one; or anonymous. */
function registry(mode: 'bearer' | 'anonymous') {
  let issued = 0;
  return fakeInner((req: TransportRequest) => {
    const url = new URL(req.url);
    if (url.host === 'auth.example') {
      issued++;
      return reply(200, {}, JSON.stringify({ token: `tok${issued}`, expires_in: 300 }));
    }
    if (mode === 'bearer' && !req.headers?.authorization)
      return reply(401, { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="reg"' });
    return reply(200, { 'docker-content-digest': `sha256:${'a'.repeat(64)}` });
  });
}

const transport = (fake: ReturnType<typeof registry>, auth: RegistryAuth, scopes = ['repository:src:pull']) =>
  createTransport({
    registry: 'reg.example',
    scopes,
    repositories: REPOSITORIES,
    keychain: fixedKeychain({ 'reg.example': { username: 'u', password: 'p' } }),
    base: fake.roundTrip,
    retry: { attempts: 1 },
    auth,
  });
const log = (fake: ReturnType<typeof registry>) =>
  fake.seen.map((r) => `${r.method} ${r.url.replace(/\?.*/, '')} ${r.headers?.authorization ?? '-'}`);

describe('first-request auth (no /v2/ ping)', () => {
  it('sends nothing but the request itself to an anonymous registry', async () => {
    const fake = registry('anonymous');
    const t = transport(fake, createRegistryAuth('first-request'));

    await t.roundTrip({ method: 'HEAD', url: `${t.baseUrl}/v2/src/manifests/1` });
    await t.roundTrip({ method: 'HEAD', url: `${t.baseUrl}/v2/src/manifests/2` });

    expect(log(fake)).toEqual([
      'HEAD https://reg.example/v2/src/manifests/1 -',
      'HEAD https://reg.example/v2/src/manifests/2 -',
    ]);
  });

  it('takes the challenge from the first 401, and requests arriving meanwhile wait instead of collecting their own', async () => {
    const fake = registry('bearer');
    const t = transport(fake, createRegistryAuth('first-request'));

    await Promise.all([
      t.roundTrip({ method: 'HEAD', url: `${t.baseUrl}/v2/src/manifests/1` }),
      t.roundTrip({ method: 'HEAD', url: `${t.baseUrl}/v2/src/manifests/2` }),
    ]);

    expect(log(fake)).toEqual([
      'HEAD https://reg.example/v2/src/manifests/1 -',
      'GET https://auth.example/token Basic dTpw',
      'HEAD https://reg.example/v2/src/manifests/1 Bearer tok1',
      'HEAD https://reg.example/v2/src/manifests/2 Bearer tok1',
    ]);
  });

  it("gives a later transport of the run the learned challenge and the scope's token", async () => {
    const fake = registry('bearer');
    const auth = createRegistryAuth('first-request');
    const first = transport(fake, auth);
    await first.roundTrip({ method: 'HEAD', url: `${first.baseUrl}/v2/src/manifests/1` });
    fake.seen.length = 0;

    const same = transport(fake, auth);
    await same.roundTrip({ method: 'HEAD', url: `${same.baseUrl}/v2/src/manifests/2` });
    const other = transport(fake, auth, ['repository:dst:push,pull']);
    await other.roundTrip({ method: 'HEAD', url: `${other.baseUrl}/v2/dst/manifests/1` });

    expect(log(fake)).toEqual([
      'HEAD https://reg.example/v2/src/manifests/2 Bearer tok1',
      // Another scope needs its own token, but no challenge round trip.
      'GET https://auth.example/token Basic dTpw',
      'HEAD https://reg.example/v2/dst/manifests/1 Bearer tok2',
    ]);
  });

  it('shares one ping between the transports of a run that ping', async () => {
    const fake = registry('bearer');
    const auth = createRegistryAuth('ping');
    const a = transport(fake, auth);
    const b = transport(fake, auth);

    await Promise.all([
      a.roundTrip({ method: 'HEAD', url: `${a.baseUrl}/v2/src/manifests/1` }),
      b.roundTrip({ method: 'HEAD', url: `${b.baseUrl}/v2/src/manifests/2` }),
    ]);

    expect(log(fake).filter((line) => line.includes('/v2/ ') || line.includes('auth.example'))).toEqual([
      'GET https://reg.example/v2/ -',
      'GET https://auth.example/token Basic dTpw',
    ]);
  });
});
