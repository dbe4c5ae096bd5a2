/** The registry flags copy and migrate share: which credentials go to which registry. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/commands/io.js';
import { explicitCredentials, readRegistryFlags } from '../../src/commands/registry-flags.js';
import { MirrorError } from '../../src/errors.js';

const flags = (srcCreds: string[], destCreds?: string) =>
  readRegistryFlags({ 'src-creds': srcCreds, ...(destCreds ? { 'dest-creds': destCreds } : {}) }, {});

describe('--src-creds', () => {
  it('accepts a plain USER:PASS when nothing needs copying (an already-mirrored tree)', () => {
    expect(explicitCredentials(flags(['u:p']), [], 'us-docker.pkg.dev')).toEqual({});
  });

  it('HOST=USER:PASS goes to that host only; the password may hold = and :', () => {
    const parsed = flags(['ghcr.io=bot:ghp_x=y:z', 'registry.local:5000=me:pw']);

    const explicit = explicitCredentials(parsed, ['ghcr.io', 'docker.io', 'quay.io'], 'us-docker.pkg.dev');

    expect(explicit).toEqual({
      'ghcr.io': { username: 'bot', password: 'ghp_x=y:z' },
      'registry.local:5000': { username: 'me', password: 'pw' },
    });
  });

  it('a plain USER:PASS goes to the one source registry, and --dest-creds to the destination', () => {
    const parsed = flags(['me:tok=en'], 'oauth2accesstoken:ya29');

    expect(explicitCredentials(parsed, ['ghcr.io', 'ghcr.io'], 'us-docker.pkg.dev')).toEqual({
      'ghcr.io': { username: 'me', password: 'tok=en' },
      'us-docker.pkg.dev': { username: 'oauth2accesstoken', password: 'ya29' },
    });
  });

  it('a plain USER:PASS with several source registries is a usage error naming them, not a leak', () => {
    const parsed = flags(['me:secret']);

    const call = () => explicitCredentials(parsed, ['quay.io', 'ghcr.io', 'index.docker.io'], 'x.io');

    expect(call).toThrowError(
      new UsageError(
        '--src-creds USER:PASS would go to every source registry (docker.io, ghcr.io, quay.io); give HOST=USER:PASS for each',
      ),
    );
  });

  it('usage errors are MirrorErrors, named UsageError', () => {
    const error = new UsageError('x');

    expect(error).toBeInstanceOf(MirrorError);
    expect(error.name).toBe('UsageError');
  });

  it('errors never echo the password', () => {
    expect(() => flags(['ghcr.io=:secret'])).toThrowError(
      new UsageError('--src-creds ghcr.io= must be USER:PASSWORD, but the user name is empty'),
    );
    expect(() => flags(['a:b', 'c:d'])).toThrowError(
      new UsageError('--src-creds USER:PASS may be given once; use HOST=USER:PASS'),
    );
  });
});
