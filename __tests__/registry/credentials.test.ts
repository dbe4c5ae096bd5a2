import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import {
  createKeychain,
  createStaticTokenSource,
  isGoogleRegistryHost,
  normaliseRegistryHost,
  parseCredentialFlag,
  runCredentialHelper,
} from '../../src/registry/credentials/index.js';
import { isIdentityToken } from '../../src/registry/credentials/types.js';

/** A logger that remembers secrets and warnings, so tests can check what was registered. */
function recordingLogger(): Logger & { secrets: string[]; warnings: string[] } {
  const secrets: string[] = [];
  const warnings: string[] = [];
  return {
    secrets,
    warnings,
    group: (_name, fn) => fn(),
    info: () => {},
    debug: () => {},
    warning: (message) => warnings.push(message),
    secret: (value) => secrets.push(value),
    isDebug: false,
  };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => (err as Error).message,
  );

describe('parseCredentialFlag', () => {
  it('splits at the first colon, so passwords may contain colons', () => {
    expect(parseCredentialFlag('user:pa:ss', '--src-creds')).toEqual({ username: 'user', password: 'pa:ss' });
  });

  it.each([
    ['s3cret-no-colon', "has no ':'"],
    [':s3cret-value', 'the user name is empty'],
    ['user:', 'the password is empty'],
  ])('refuses %s without echoing it', (text, reason) => {
    const parse = () => parseCredentialFlag(text, '--dest-creds');

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      `--dest-creds must be USER:PASSWORD, but ${reason === "has no ':'" ? "it has no ':'" : reason}`,
    );
  });
});

describe('registry host names', () => {
  it('normalises URLs, case and every Docker Hub alias', () => {
    expect(
      ['https://index.docker.io/v1/', 'registry-1.docker.io', 'HTTP://Reg.example:5000/path', 'ghcr.io'].map(
        normaliseRegistryHost,
      ),
    ).toEqual(['docker.io', 'docker.io', 'reg.example:5000', 'ghcr.io']);
  });

  it('recognises Google registries', () => {
    expect(
      ['us-docker.pkg.dev', 'gcr.io', 'eu.gcr.io', 'pkg.dev.example.com', 'notgcr.io', 'ghcr.io'].map(
        isGoogleRegistryHost,
      ),
    ).toEqual([true, true, true, false, false, false]);
  });
});

describe('createKeychain with a Docker config and credential helpers', () => {
  let dir: string;
  let binDir: string;
  let env: NodeJS.ProcessEnv;
  const helperLog = () => path.join(dir, 'helper.log');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ar-mirror-creds-'));
    binDir = path.join(dir, 'bin');
    await writeFile(path.join(dir, 'placeholder'), '');
    await (await import('node:fs/promises')).mkdir(binDir);
    // A real executable speaking the docker-credential-helpers protocol: server URL on stdin, JSON out.
    const helper = [
      '#!/bin/sh',
      'read -r server',
      `echo "$server" >> "${path.join(dir, 'helper.log')}"`,
      'case "$server" in',
      '  helped.example) printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret-1"}\' "$server" ;;',
      '  https://index.docker.io/v1/) printf \'{"ServerURL":"%s","Username":"hub-user","Secret":"hub-secret-2"}\' "$server" ;;',
      '  identity.example) printf \'{"ServerURL":"%s","Username":"<token>","Secret":"refresh-token-3"}\' "$server" ;;',
      '  broken.example) echo "leaked-secret-4"; exit 3 ;;',
      '  slow.example) sleep 5 ;;',
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac',
    ].join('\n');
    await writeFile(path.join(binDir, 'docker-credential-fake'), `${helper}\n`);
    await chmod(path.join(binDir, 'docker-credential-fake'), 0o755);
    env = { PATH: `${binDir}:${process.env.PATH}`, HOME: dir, DOCKER_CONFIG: dir };
    const config = {
      auths: {
        'https://index.docker.io/v1/': {},
        'inline.example': { auth: Buffer.from('inline-user:inline:pass').toString('base64') },
        'https://split.example/v2/': { username: 'split-user', password: 'split-pass' },
        'token.example': { identitytoken: 'identity-token-5' },
        'explicit.example': { auth: Buffer.from('config-user:config-pass').toString('base64') },
      },
      credHelpers: { 'helped.example': 'fake', 'identity.example': 'fake', 'broken.example': 'fake' },
      credsStore: 'fake',
    };
    await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds inline auths (base64 or split fields, URL keys) and registers the secrets', async () => {
    const logger = recordingLogger();
    const keychain = createKeychain({ env, logger });

    const inline = await keychain.get('inline.example');
    const split = await keychain.get('split.example');

    expect(inline).toEqual({ username: 'inline-user', password: 'inline:pass' });
    expect(split).toEqual({ username: 'split-user', password: 'split-pass' });
    expect(logger.secrets).toEqual([
      'inline:pass',
      'inline-user:inline:pass',
      'split-pass',
      'split-user:split-pass',
    ]);
  });

  it('prefers explicit credentials, keyed by any spelling of the host', async () => {
    const logger = recordingLogger();
    const keychain = createKeychain({
      env,
      logger,
      explicit: { 'https://Explicit.example/': { username: 'flag-user', password: 'flag-pass' } },
    });

    expect(await keychain.get('explicit.example')).toEqual({ username: 'flag-user', password: 'flag-pass' });
    expect(logger.secrets).toEqual(['flag-pass', 'flag-user:flag-pass']);
  });

  it('runs credHelpers and credsStore helpers, with Docker Hub under its historical URL', async () => {
    await rm(helperLog(), { force: true });
    const logger = recordingLogger();
    const keychain = createKeychain({ env, logger });

    const helped = await keychain.get('helped.example');
    const hub = await keychain.get('registry-1.docker.io');
    const none = await keychain.get('unknown.example');
    const cached = await keychain.get('helped.example');
    const refreshed = await keychain.get('helped.example', { refresh: true });

    expect([helped, hub, none, cached, refreshed]).toEqual([
      { username: 'helper-user', password: 'helper-secret-1' },
      { username: 'hub-user', password: 'hub-secret-2' },
      undefined,
      { username: 'helper-user', password: 'helper-secret-1' },
      { username: 'helper-user', password: 'helper-secret-1' },
    ]);
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(helperLog(), 'utf8')).split('\n')).toEqual([
      'helped.example',
      'https://index.docker.io/v1/',
      'unknown.example',
      'helped.example',
      '',
    ]);
    expect(logger.secrets).toEqual([
      'helper-secret-1',
      'helper-user:helper-secret-1',
      'hub-secret-2',
      'hub-user:hub-secret-2',
      'helper-secret-1',
      'helper-user:helper-secret-1',
      'helper-secret-1',
      'helper-user:helper-secret-1',
    ]);
  });

  it("returns identity tokens (a helper's <token> user, a config identitytoken) as identity-token credentials, masked", async () => {
    const logger = recordingLogger();
    const keychain = createKeychain({ env, logger });

    const fromHelper = await keychain.get('identity.example');
    const fromConfig = await keychain.get('token.example');

    expect([fromHelper, fromConfig]).toEqual([
      { username: '<token>', password: 'refresh-token-3' },
      { username: '<token>', password: 'identity-token-5' },
    ]);
    expect([isIdentityToken(fromHelper), isIdentityToken(fromConfig)]).toEqual([true, true]);
    expect(logger.warnings).toEqual([]);
    expect(logger.secrets).toEqual([
      'refresh-token-3',
      '<token>:refresh-token-3',
      'identity-token-5',
      '<token>:identity-token-5',
    ]);
  });

  it('reports a failing helper without its output', async () => {
    const keychain = createKeychain({ env });

    const message = await failure(keychain.get('broken.example'));

    expect(message).toBe('credential helper docker-credential-fake for broken.example exited with code 3');
  });

  it('reports a missing helper and a helper that does not answer in time', async () => {
    const missing = await failure(runCredentialHelper('absent', 'x.example', { env }));
    const slow = await failure(runCredentialHelper('fake', 'slow.example', { env, timeoutMs: 200 }));

    expect(missing).toBe('credential helper docker-credential-absent for x.example: it is not on PATH');
    expect(slow).toBe(
      'credential helper docker-credential-fake for slow.example did not answer within 200 ms',
    );
  });

  it('uses a Google token for Google hosts only, after the Docker config, refreshing on request', async () => {
    const logger = recordingLogger();
    let issued = 0;
    const google = {
      getAccessToken: async (options?: { refresh?: boolean }) =>
        `ya29.token-${++issued}-${options?.refresh ?? false}`,
    };
    const keychain = createKeychain({
      env: { ...env, DOCKER_CONFIG: path.join(dir, 'none') },
      logger,
      google,
    });

    const first = await keychain.get('europe-docker.pkg.dev');
    const refreshed = await keychain.get('eu.gcr.io', { refresh: true });
    const other = await keychain.get('ghcr.io');

    expect([first, refreshed, other]).toEqual([
      { username: 'oauth2accesstoken', password: 'ya29.token-1-false' },
      { username: 'oauth2accesstoken', password: 'ya29.token-2-true' },
      undefined,
    ]);
    expect(logger.secrets).toEqual([
      'ya29.token-1-false',
      'oauth2accesstoken:ya29.token-1-false',
      'ya29.token-2-true',
      'oauth2accesstoken:ya29.token-2-true',
    ]);
  });

  it('gives a static Google token as is', async () => {
    const keychain = createKeychain({
      env: { DOCKER_CONFIG: path.join(dir, 'none') },
      google: createStaticTokenSource('ya29.static'),
    });

    expect(await keychain.get('us-docker.pkg.dev')).toEqual({
      username: 'oauth2accesstoken',
      password: 'ya29.static',
    });
  });

  it('refuses a config that is not JSON, or a helper name that could be a path, without quoting values', async () => {
    const bad = path.join(dir, 'bad');
    const evil = path.join(dir, 'evil');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(bad);
    await mkdir(evil);
    await writeFile(path.join(bad, 'config.json'), '{"auths": {"x": {"auth": "c2VjcmV0LXZhbHVl"}}');
    await writeFile(
      path.join(evil, 'config.json'),
      JSON.stringify({ credHelpers: { 'x.example': '../../bin/sh' } }),
    );

    const notJson = await failure(createKeychain({ dockerConfigDir: bad }).get('x'));
    const badName = await failure(createKeychain({ dockerConfigDir: evil }).get('x.example'));

    expect(notJson).toBe(`Docker config ${path.join(bad, 'config.json')} is not valid JSON`);
    expect(badName).toBe(
      `Docker config ${path.join(evil, 'config.json')}: invalid credential helper name "../../bin/sh"`,
    );
  });
});
