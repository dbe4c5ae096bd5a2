import { describe, expect, it } from 'vitest';
import {
  parseConfigFile,
  parseTimeout,
  readNetworkEnvironment,
  resolveSettings,
  splitList,
} from '../src/config.js';
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
      timeoutMs: 30 * 60_000,
      refreshOnly: [],
      refreshIgnore: [],
      refreshMinAge: 0,
    });
  });

  it('reads the refresh settings: globs and a minimum age in m, h, d or w', () => {
    const settings = resolveSettings(
      {
        destination: 'us-docker.pkg.dev/p/m',
        'refresh-only': 'docker.io/library/*',
        'refresh-min-age': '3d',
      },
      { 'refresh-ignore': ['docker.io/library/busybox*'] },
    );
    expect([settings.refreshOnly, settings.refreshIgnore, settings.refreshMinAge]).toEqual([
      ['docker.io/library/*'],
      ['docker.io/library/busybox*'],
      3 * 86_400_000,
    ]);
    expect(() =>
      resolveSettings({ destination: 'us-docker.pkg.dev/p/m', 'refresh-min-age': '3 days' }),
    ).toThrow(
      'input "refresh-min-age" must be 0 or a whole number of m, h, d or w up to a year (e.g. 3d), got "3 days"',
    );
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
    [{ destination: 'x.io/p', jobs: '0' }, 'input "jobs" must be a whole number from 1 to 64, got "0"'],
    [
      { destination: 'x.io/p', platforms: 'linux' },
      'input "platforms" "linux" must be OS/ARCH or OS/ARCH/VARIANT, for example linux/arm64',
    ],
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

describe('list settings', () => {
  it('split on newlines and on commas outside braces, so brace globs stay whole', () => {
    const settings = resolveSettings({
      destination: 'x.io/p',
      include: 'k8s/{prod,staging}/*.yaml, charts/**\n# old\n{a,b}/Dockerfile',
      'allow-registries': 'ghcr.io,quay.io',
    });

    expect(settings.include).toEqual(['k8s/{prod,staging}/*.yaml', 'charts/**', '{a,b}/Dockerfile']);
    expect(settings.allowRegistries).toEqual(['ghcr.io', 'quay.io']);
  });

  it('a newline ends an item even inside an unclosed brace', () => {
    expect(splitList('a/{b,c\nd,e')).toEqual(['a/{b,c', 'd', 'e']);
  });

  it('reject an unbalanced brace glob with a ConfigError naming the setting', () => {
    expect(() =>
      resolveSettings({ destination: 'x.io/p', exclude: 'k8s/{prod,staging/*.yaml' }),
    ).toThrowError(
      new ConfigError(
        'input "exclude": "k8s/{prod,staging/*.yaml" has unbalanced braces; expected {a,b} pairs',
      ),
    );
    expect(() => resolveSettings({ destination: 'x.io/p' }, { 'ignore-images': ['nginx}'] })).toThrowError(
      new ConfigError(
        'config file key "ignore-images": "nginx}" has unbalanced braces; expected {a,b} pairs',
      ),
    );
  });

  it('AR_MIRROR_PLAIN_HTTP and the other network variables are read in one place', () => {
    expect(
      readNetworkEnvironment({
        AR_MIRROR_PLAIN_HTTP: ' 127.0.0.1:5000, localhost:5001 ,',
        AR_MIRROR_REGISTRY_ENDPOINTS: 'docker.io=http://127.0.0.1:5002/',
      }),
    ).toEqual({
      plainHttp: ['127.0.0.1:5000', 'localhost:5001'],
      endpoints: { 'docker.io': 'http://127.0.0.1:5002' },
      artifactRegistryApi: undefined,
    });
  });
});

describe('registry-credentials', () => {
  it('is refused in the config file, with a message saying to use a secret through the input', () => {
    const text = 'destination: x.io/p\nregistry-credentials:\n  ghcr.io: bot:hunter2\n';

    expect(() => parseConfigFile(text, '.github/ar-mirror.yml')).toThrowError(
      new ConfigError(
        '.github/ar-mirror.yml: key "registry-credentials" would put passwords in the repository; store them in a secret and pass it to the registry-credentials input',
      ),
    );
  });

  it('is never taken from file settings, even when they hold it', () => {
    const settings = resolveSettings({ destination: 'x.io/p' }, { 'registry-credentials': 'ghcr.io=bot:pw' });

    expect(settings.registryCredentials).toEqual({});
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

  it('refuses a value of the wrong YAML type, naming the key and what it takes', () => {
    expect(() => parseConfigFile('pin-digest: "false"', 'c.yml')).toThrowError(
      new ConfigError('c.yml: key "pin-digest": expected true or false, got "false"'),
    );
    expect(() => parseConfigFile('jobs: 100', 'c.yml')).toThrowError(
      new ConfigError('c.yml: key "jobs": expected a whole number from 1 to 64, got 100'),
    );
  });

  it('refuses a glob list of exclusions only, naming the key', () => {
    expect(() => resolveSettings({ destination: 'x.io/p' }, { exclude: ['!vendor/**'] })).toThrowError(
      new ConfigError(
        'config file key "exclude": every pattern starts with "!", so nothing would match; add a pattern to exclude from, e.g. "**"',
      ),
    );
  });
});

describe('parseTimeout', () => {
  it('reads seconds, minutes and hours, and defaults to 30 minutes', () => {
    expect(['90s', '30m', '2h', '45', '', undefined].map((v) => parseTimeout(v, 'input "timeout"'))).toEqual([
      90_000, 1_800_000, 7_200_000, 45_000, 1_800_000, 1_800_000,
    ]);
  });

  it.each(['0s', '25h', '10 m', '1.5h', '-1m', 'soon'])('refuses %j, naming the setting', (value) => {
    expect(() => parseTimeout(value, '--timeout')).toThrow(
      `--timeout must be a duration from 1s to 24h such as 90s, 30m or 2h, got "${value}"`,
    );
  });
});
