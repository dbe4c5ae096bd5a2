/**
 * `ar-mirror runtime-config` through its command runner, and its output used by a real client:
 * skopeo reads the generated registries.conf and pulls `docker.io/library/<name>` from the local
 * mirror registry, while Docker Hub itself is unreachable (or lacks the random name).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRuntimeConfigCommand } from '../../src/commands/runtime-config.js';
import { containerdAvailable, startContainerd, type TestContainerd } from '../support/containerd.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { runCommand } from './run-command.js';

const run = promisify(execFile);
let mirror: TestRegistry;
let work: string;
let image: PushedImage;
const name = `ar-mirror-test-${Math.random().toString(36).slice(2, 10)}`;

beforeAll(async () => {
  mirror = await startRegistry({ mode: 'none' });
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-runtime-'));
  image = await pushRandomImage(mirror, `mirror/docker.io/library/${name}:1`, { layers: 1, layerSize: 1024 });
  await pushRandomImage(mirror, 'mirror/quay.io/acme/tool:2', { layers: 1, layerSize: 512 });
});
afterAll(async () => {
  await mirror?.stop();
  rmSync(work, { recursive: true, force: true });
});

const runtimeConfig = (argv: string[], stdin?: string) =>
  runCommand(runRuntimeConfigCommand, [...argv, '--plain-http', mirror.host], {
    ...(stdin === undefined ? {} : { stdin }),
  });

describe('ar-mirror runtime-config', () => {
  it('writes containerd hosts.toml files: server upstream, the mirror path as host', async () => {
    const out = path.join(work, 'certs.d');

    const result = await runtimeConfig([
      '--to',
      `${mirror.host}/mirror`,
      '--format',
      'containerd',
      '--registries',
      'docker.io,quay.io',
      '--out',
      out,
    ]);

    expect([result.code, result.stderr]).toEqual([0, '']);
    const toml = readFileSync(path.join(out, 'docker.io/hosts.toml'), 'utf8');
    expect(toml.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([
      'server = "https://registry-1.docker.io"',
      `[host."http://${mirror.host}/v2/mirror/docker.io"]`,
      '  capabilities = ["pull", "resolve"]',
      '  override_path = true',
    ]);
    expect(readFileSync(path.join(out, 'quay.io/hosts.toml'), 'utf8')).toContain(
      `server = "https://quay.io"\n\n[host."http://${mirror.host}/v2/mirror/quay.io"]`,
    );
  });

  it('prints the bare-metal registryMirrors block with one entry per registry', async () => {
    const result = await runCommand(runRuntimeConfigCommand, [
      '--to',
      'us-docker.pkg.dev/acme/mirror',
      '--format',
      'bare-metal',
      '--registries',
      'docker.io,registry.k8s.io',
    ]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`registryMirrors:
  - endpoint: https://us-docker.pkg.dev/v2/acme/mirror/docker.io
    pullCredentialConfigPath: /path/to/ar-mirror-docker-config.json
    hosts:
      - docker.io
  - endpoint: https://us-docker.pkg.dev/v2/acme/mirror/registry.k8s.io`);
    expect(result.stdout).toContain('_json_key');
  });

  it('refuses a path template a runtime mirror cannot follow', async () => {
    const result = await runCommand(runRuntimeConfigCommand, [
      '--to',
      'us-docker.pkg.dev/acme/mirror',
      '--format',
      'cri-o',
      '--path-template',
      '{registry}/{path}',
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a runtime mirror needs {registry}/{repository}');
  });

  it('gives skopeo a registries.conf through which docker.io pulls come from the mirror', async () => {
    const out = path.join(work, 'crio');
    await runtimeConfig(['--to', `${mirror.host}/mirror`, '--format', 'cri-o', '--out', out]);
    const conf = path.join(out, 'ar-mirror.conf');
    const pulled = path.join(work, 'pulled');

    await run(
      'skopeo',
      ['copy', '--registries-conf', conf, `docker://docker.io/library/${name}:1`, `dir:${pulled}`],
      { timeout: 60_000 },
    );
    const absent = await run(
      'skopeo',
      ['copy', '--registries-conf', conf, `docker://docker.io/library/${name}-absent:1`, `dir:${pulled}-2`],
      { timeout: 60_000 },
    ).then(
      () => 'pulled',
      () => 'failed',
    );

    const manifest = readFileSync(path.join(pulled, 'manifest.json'));
    expect(`sha256:${createHash('sha256').update(manifest).digest('hex')}`).toBe(image.digest);
    expect(absent).toBe('failed');
  });

  it('with --tree, lists the images the mirror lacks and emits mirrors only for registries it holds', async () => {
    const tree = path.join(work, 'tree');
    mkdirSync(tree, { recursive: true });
    writeFileSync(
      path.join(tree, 'pod.yaml'),
      `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: ${name}:1\n    - image: ${name}:2\n    - image: ghcr.io/acme/missing:1\n`,
    );

    const result = await runtimeConfig([
      '--to',
      `${mirror.host}/mirror`,
      '--format',
      'cri-o',
      '--tree',
      tree,
    ]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the mirror lacks 2 image(s); nodes would pull them from upstream:
  docker.io/library/${name}:2 (not at ${mirror.host}/mirror/docker.io/library/${name}:2)
  ghcr.io/acme/missing:1 (not at ${mirror.host}/mirror/ghcr.io/acme/missing:1)`);
    expect(result.stderr).not.toContain('no mirror emitted for docker.io');
    expect(result.stdout).toContain('prefix = "docker.io"');
    expect(result.stdout).not.toContain('ghcr.io');
  });

  it('with --check, reads running pods from stdin', async () => {
    const pods = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers:\n    - image: quay.io/acme/tool:2\n`;

    const result = await runtimeConfig(
      ['--to', `${mirror.host}/mirror`, '--format', 'cri-o', '--check'],
      pods,
    );

    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      `[[registry]]\nprefix = "quay.io"\nlocation = "quay.io"\n\n[[registry.mirror]]\nlocation = "${mirror.host}/mirror/quay.io"\ninsecure = true\n`,
    );
  });
});

describe.skipIf(!containerdAvailable())('runtime-config with containerd', () => {
  let containerd: TestContainerd;
  beforeAll(async () => {
    containerd = await startContainerd();
  });
  afterAll(async () => {
    await containerd?.stop();
  });

  it('ctr --hosts-dir pulls docker.io/library/<name> from the mirror', async () => {
    const hostsDir = path.join(work, 'hosts-dir');
    await runtimeConfig(['--to', `${mirror.host}/mirror`, '--format', 'containerd', '--out', hostsDir]);
    const ctr = (...args: string[]) =>
      run('ctr', ['--address', containerd.address, '--namespace', 'ar-mirror-test', ...args], {
        timeout: 60_000,
      });

    // `content fetch` resolves and downloads through the same hosts.toml files as `images pull`,
    // without unpacking: the harness's layers are random bytes, not tar archives.
    await ctr('content', 'fetch', '--hosts-dir', hostsDir, `docker.io/library/${name}:1`);
    const listed = await ctr('images', 'ls');
    const absent = await ctr(
      'content',
      'fetch',
      '--hosts-dir',
      hostsDir,
      `docker.io/library/${name}-absent:1`,
    ).then(
      () => 'pulled',
      () => 'failed',
    );

    expect(listed.stdout).toMatch(new RegExp(`docker\\.io/library/${name}:1 +\\S+ +${image.digest}`));
    expect(absent).toBe('failed');
  });
});
