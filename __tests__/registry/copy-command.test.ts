import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCopyCommand } from '../../src/commands/copy.js';
import { pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'basic' });
});
afterAll(async () => {
  await registry?.stop();
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCopyCommand(argv, {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    isTTY: false,
    env: { HOME: registry.dataDir, DOCKER_CONFIG: registry.dataDir, ...env },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
const creds = () => `${registry.username}:${registry.password}`;

describe('ar-mirror copy', () => {
  it('prints exactly one JSON object and exits 0', async () => {
    const image = await pushRandomImage(registry, 'cmd/src:1', {
      platforms: ['linux/amd64', 'linux/arm64'],
      layers: 1,
      layerSize: 2048,
      sharedLayers: 0,
    });

    const { code, stdout, stderr } = await run(
      [
        `127.0.0.1:${registry.host.split(':')[1]}/cmd/src:1`,
        `localhost:${registry.host.split(':')[1]}/cmd/dst:1`,
        '--json',
        '--src-creds',
        creds(),
        '--dest-creds',
        creds(),
      ],
      { AR_MIRROR_PLAIN_HTTP: '127.0.0.1,localhost' },
    );

    expect([code, stderr.includes(registry.password!)]).toEqual([0, false]);
    expect(JSON.parse(stdout)).toEqual({
      source: `127.0.0.1:${registry.host.split(':')[1]}/cmd/src:1`,
      destination: `localhost:${registry.host.split(':')[1]}/cmd/dst:1`,
      digest: image.digest,
      mediaType: image.mediaType,
      platforms: ['linux/amd64', 'linux/arm64'],
      blobs: { copied: image.blobs.length, skipped: 0, mounted: 0 },
      bytes: image.blobs.reduce((sum, b) => sum + b.size, 0),
    });
    expect(stdout.trim().split('\n').length).toBe(1);
  });

  it('prints a readable summary and plain progress lines when not on a terminal', async () => {
    const image = await pushRandomImage(registry, 'cmd/plain:1', { layers: 1, layerSize: 1024 });

    const { code, stdout, stderr } = await run([
      `${registry.host}/cmd/plain:1`,
      `${registry.host}/cmd/plain-copy`,
      '--plain-http',
      registry.host,
      '--dest-creds',
      creds(),
    ]);

    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `copied ${registry.host}/cmd/plain:1 → ${registry.host}/cmd/plain-copy:1`,
        `digest    ${image.digest}`,
        'platforms linux/amd64',
        `blobs     0 copied, 0 already present, ${image.blobs.length} mounted (0 B)`,
        '',
      ].join('\n'),
    );
    expect(stderr.split('\n').filter((l) => l.startsWith('blobs:') || l.startsWith('manifests:'))).toEqual([
      `blobs: blobs 0/${image.blobs.length}, 0 B of 0 B, ${stderr.match(/blobs: blobs 0\/\d+, 0 B of 0 B, ([\d.]+ (?:B|KiB|MiB))\/s/)?.[1]}/s`,
      expect.stringMatching(new RegExp(`^manifests: blobs ${image.blobs.length}/${image.blobs.length}, `)),
    ]);
  });

  it('exits 1 with the failing step and without the password when the copy fails', async () => {
    const { code, stdout, stderr } = await run([
      `${registry.host}/cmd/missing:1`,
      `${registry.host}/cmd/x:1`,
      '--plain-http',
      registry.host,
      '--src-creds',
      creds(),
    ]);

    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toBe(
      `ar-mirror copy: copying ${registry.host}/cmd/missing:1 → ${registry.host}/cmd/x:1: fetching source manifest: GET http://${registry.host}/v2/cmd/missing/manifests/1: 404 MANIFEST_UNKNOWN (manifest unknown)\n`,
    );
    expect(stderr).not.toContain(registry.password!);
  });

  it('exits 2 on usage errors, naming the problem, and never echoes a credential flag', async () => {
    const cases = await Promise.all([
      run(['only-one']),
      run(['a:1', 'b:1', '--jobs', '0']),
      run(['a:1', 'b:1', '--platform', 'linux']),
      run(['Bad:1', 'b:1']),
      run(['a:1', 'b:1', '--src-creds', 'secretwithoutcolon']),
      run(['a:1', 'b:1', '--frobnicate']),
    ]);

    expect(cases.map((c) => c.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(cases.map((c) => c.stderr.split('\n')[0])).toEqual([
      'ar-mirror copy: expected SOURCE and DESTINATION, got 1 arguments',
      'ar-mirror copy: --jobs must be a whole number from 1 to 64, got "0"',
      'ar-mirror copy: --platform "linux" must be OS/ARCH or OS/ARCH/VARIANT, for example linux/arm64',
      'ar-mirror copy: invalid image reference "Bad:1": repository "Bad" must be lowercase',
      "ar-mirror copy: --src-creds must be USER:PASSWORD, but it has no ':'",
      "ar-mirror copy: Unknown option '--frobnicate'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--frobnicate\"",
    ]);
    expect(cases[4]?.stderr).not.toContain('secretwithoutcolon');
  });
});
