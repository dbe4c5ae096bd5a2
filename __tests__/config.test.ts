import { describe, expect, it } from 'vitest';
import { parseConfigFile, resolveSettings } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('resolveSettings', () => {
  it('applies every default', () => {
    expect(resolveSettings({ destination: 'us-docker.pkg.dev/proj/mirror' })).toEqual({
      destination: 'us-docker.pkg.dev/proj/mirror',
      mode: 'commit',
      pinDigest: true,
      pathTemplate: '{registry}/{repository}',
      platforms: [],
      signatures: true,
      include: [],
      exclude: [],
      allowRegistries: [],
      firstPartyRegistries: [],
      ignoreImages: [],
      registryCredentials: {},
      createRepository: false,
      failOn: 'error',
      scanAll: false,
      jobs: 4,
    });
  });

  it('lets explicit values win over the config file, and empty inputs fall through to it', () => {
    const settings = resolveSettings(
      { destination: '', mode: 'suggest', 'pin-digest': '', exclude: 'vendor/**\n  legacy/**  ' },
      {
        destination: 'europe-docker.pkg.dev/p-1/m/',
        mode: 'report',
        'pin-digest': false,
        platforms: ['linux/amd64'],
      },
    );
    expect(settings.destination).toBe('europe-docker.pkg.dev/p-1/m');
    expect(settings.mode).toBe('suggest');
    expect(settings.pinDigest).toBe(false);
    expect(settings.exclude).toEqual(['vendor/**', 'legacy/**']);
    expect(settings.platforms).toEqual(['linux/amd64']);
  });

  it.each([
    [{}, 'input "destination" is required, e.g. us-docker.pkg.dev/PROJECT/REPOSITORY'],
    [{ destination: 'nginx' }, 'input "destination": destination "nginx" is not a registry prefix'],
    [
      { destination: 'x.io/p', mode: 'push' },
      'input "mode": expected one of commit, suggest, copy, report, got "push"',
    ],
    [{ destination: 'x.io/p', 'pin-digest': 'yes' }, 'input "pin-digest": expected true or false, got "yes"'],
    [{ destination: 'x.io/p', jobs: '0' }, 'input "jobs": expected a whole number from 1 to 64, got "0"'],
    [{ destination: 'x.io/p', platforms: 'linux' }, 'input "platforms": "linux" is not a platform'],
    [
      { destination: 'x.io/p', 'fail-on': 'warn' },
      'input "fail-on": expected one of error, unmirrored, never, got "warn"',
    ],
  ])('rejects %j', (raw, message) => {
    expect(() => resolveSettings(raw)).toThrowError(ConfigError);
    expect(() => resolveSettings(raw)).toThrow(message);
  });

  it('parses registry credentials without echoing passwords in errors', () => {
    const settings = resolveSettings({
      destination: 'x.io/p',
      'registry-credentials': 'ghcr.io=bot:s3cr:et\n# comment\n\nquay.io = robot+x:tok',
    });
    expect(settings.registryCredentials).toEqual({
      'ghcr.io': { username: 'bot', password: 's3cr:et' },
      'quay.io': { username: 'robot+x', password: 'tok' },
    });
    let message = '';
    try {
      resolveSettings({ destination: 'x.io/p', 'registry-credentials': 'ghcr.io=hunter2-no-colon' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('input "registry-credentials": credentials for ghcr.io must be USERNAME:PASSWORD');
  });
});

describe('parseConfigFile', () => {
  it('reads known keys', () => {
    expect(
      parseConfigFile('destination: us-docker.pkg.dev/p/r\nignore-images: [busybox]\n', 'cfg.yml'),
    ).toEqual({
      destination: 'us-docker.pkg.dev/p/r',
      'ignore-images': ['busybox'],
    });
    expect(parseConfigFile('', 'cfg.yml')).toEqual({});
  });

  it('names the file and the problem', () => {
    expect(() => parseConfigFile('destinaton: x', '.github/ar-mirror.yml')).toThrow(
      '.github/ar-mirror.yml: unknown key "destinaton"',
    );
    expect(() => parseConfigFile('- a', 'c.yml')).toThrow('c.yml: expected a mapping of settings');
    expect(() => parseConfigFile('a: [', 'c.yml')).toThrow('c.yml: not valid YAML');
  });
});
