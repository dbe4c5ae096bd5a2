/**
 * Identity tokens (OAuth2 refresh tokens) from Docker's config.json (`identitytoken`) and from
 * credential helpers (the `<token>` user) are exchanged at the registry's token realm with
 * grant_type=refresh_token, against the real registry in token mode with anonymous pull off.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCopyCommand } from '../../src/commands/copy.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
let image: PushedImage;
let dir: string;
let run = 0;

beforeAll(async () => {
  registry = await startRegistry({ mode: 'token', anonymousPull: false });
  image = await pushRandomImage(registry, 'idsrc/app:1', { layers: 1, layerSize: 2048 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'ar-mirror-identity-'));
});
afterAll(async () => {
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  registry.tokenRequests!.length = 0;
});

async function copyWith(config: object, env: NodeJS.ProcessEnv = {}) {
  const home = path.join(dir, `home${++run}`);
  await mkdir(home);
  await writeFile(path.join(home, 'config.json'), JSON.stringify(config));
  const err: string[] = [];
  const repo = `iddst${run}/app`;
  const code = await runCopyCommand(
    [`${registry.host}/idsrc/app:1`, `${registry.host}/${repo}:1`, '--plain-http', registry.host, '--json'],
    {
      stdout: () => {},
      stderr: (s) => err.push(s),
      isTTY: false,
      env: { HOME: home, DOCKER_CONFIG: home, PATH: process.env.PATH, ...env },
    },
  );
  return { code, stderr: err.join(''), repo };
}

const grants = () => registry.tokenRequests!.map((r) => `${r.method} ${r.username ?? '-'} ${r.status}`);

describe('identity tokens', () => {
  it('trades an identitytoken from config.json for access tokens, and never prints it', async () => {
    const { code, stderr, repo } = await copyWith({
      auths: {
        [registry.host]: {
          auth: Buffer.from('tester:').toString('base64'),
          identitytoken: registry.identityToken,
        },
      },
    });

    expect([code, stderr.includes(registry.identityToken!)]).toEqual([0, false]);
    expect(new Set(grants())).toEqual(new Set(['POST tester 200']));
    const copied = await registry.fetch(`/v2/${repo}/manifests/1`, {
      method: 'HEAD',
      headers: { accept: image.mediaType },
    });
    expect(copied.headers['docker-content-digest']).toBe(image.digest);
  });

  it('trades the <token> a credential helper answers the same way', async () => {
    const bin = path.join(dir, `bin${run}`);
    await mkdir(bin);
    const helper = path.join(bin, 'docker-credential-idtest');
    await writeFile(
      helper,
      `#!/bin/sh\ncat >/dev/null\nprintf '{"ServerURL":"%s","Username":"<token>","Secret":"%s"}' "${registry.host}" "${registry.identityToken}"\n`,
    );
    await chmod(helper, 0o755);

    const { code, stderr } = await copyWith(
      { credHelpers: { [registry.host]: 'idtest' } },
      { PATH: `${bin}:${process.env.PATH}` },
    );

    expect([code, stderr.includes(registry.identityToken!)]).toEqual([0, false]);
    expect(new Set(grants())).toEqual(new Set(['POST tester 200']));
  });
});
