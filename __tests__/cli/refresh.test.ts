/**
 * `ar-mirror refresh` in process over temporary trees: a real "upstream" registry whose tags move,
 * and a real mirror registry the trees' references point into.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/commands/io.js';
import { runRefreshCommand } from '../../src/commands/refresh.js';
import { buildRandomImage, type PushedImage, pushBuiltImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

let upstream: TestRegistry;
let mirror: TestRegistry;
let work: string;
let hostPath: string;
let dest: string;

beforeAll(async () => {
  [upstream, mirror] = await Promise.all([startRegistry({ mode: 'none' }), startRegistry({ mode: 'none' })]);
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-refresh-'));
  hostPath = upstream.host.replace(':', '-');
  dest = `${mirror.host}/mirror`;
});

afterAll(async () => {
  await Promise.all([upstream?.stop(), mirror?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

/** Pushes the same image upstream and into the mirror, as an earlier mirroring run would have. */
async function mirrored(image: string, created: string): Promise<PushedImage> {
  const built = await buildRandomImage({ created, platforms: ['linux/amd64', 'linux/arm64'] });
  await pushBuiltImage(mirror, `mirror/${hostPath}/${image}`, built);
  return pushBuiltImage(upstream, image, built);
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(work, 'tree-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

async function refresh(root: string, args: string[] = []) {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTTY: false,
    env: { AR_MIRROR_PLAIN_HTTP: `${upstream.host},${mirror.host}` },
    cwd: root,
  };
  const code = await runRefreshCommand(['.', '--to', dest, ...args], io);
  return { code, stdout, stderr };
}

async function mirrorDigest(image: string, tag: string): Promise<string | undefined> {
  const res = await mirror.fetch(`/v2/mirror/${hostPath}/${image}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json',
    },
  });
  return res.status === 200 ? res.headers['docker-content-digest'] : undefined;
}

describe('ar-mirror refresh', () => {
  it('copies a moved tag and rewrites its pins; a second run changes nothing', async () => {
    const old = await mirrored('lib/web:1.25', '2024-01-02T03:04:05Z');
    const moved = await pushRandomImage(upstream, 'lib/web:1.25', { created: '2024-02-03T04:05:06Z' });
    const ref = `${dest}/${hostPath}/lib/web`;
    const root = tree({
      Dockerfile: `FROM ${ref}:1.25@${old.digest} AS base\n`,
      'k8s/pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: "${ref}:1.25@${old.digest}"\n    - name: b\n      image: ${ref}@${old.digest}\n`,
    });

    const first = await refresh(root, ['--json']);
    const second = await refresh(root, ['--json']);

    expect(first.code).toBe(0);
    expect(await mirrorDigest('lib/web', '1.25')).toBe(moved.digest);
    expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe(
      `FROM ${ref}:1.25@${moved.digest} AS base\n`,
    );
    expect(readFileSync(path.join(root, 'k8s/pod.yaml'), 'utf8')).toContain(
      `image: "${ref}:1.25@${moved.digest}"`,
    );
    expect(readFileSync(path.join(root, 'k8s/pod.yaml'), 'utf8')).toContain(`image: ${ref}@${old.digest}\n`);
    const json = JSON.parse(first.stdout);
    expect(json.images).toEqual([
      expect.objectContaining({
        mirror: `${ref}:1.25`,
        status: 'moved',
        pinned: [old.digest],
        newDigest: moved.digest,
        created: { [old.digest]: '2024-01-02T03:04:05.000Z', [moved.digest]: '2024-02-03T04:05:06.000Z' },
      }),
    ]);
    expect(json.reported).toEqual([
      expect.objectContaining({ reference: 'k8s/pod.yaml:10:14', reason: 'digest-only' }),
    ]);
    expect(json.files).toEqual([
      { file: 'Dockerfile', edits: 1 },
      { file: 'k8s/pod.yaml', edits: 1 },
    ]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).images).toEqual([expect.objectContaining({ status: 'current' })]);
    expect(JSON.parse(second.stdout).files).toEqual([]);
  });

  it('waits for --min-age, honours --only/--ignore, and --dry-run copies and writes nothing', async () => {
    const old = await mirrored('lib/api:2', '2024-01-01T00:00:00Z');
    const fresh = new Date(Date.now() - 3_600_000).toISOString();
    const moved = await pushRandomImage(upstream, 'lib/api:2', { created: fresh });
    const other = await mirrored('lib/other:1', '2024-01-01T00:00:00Z');
    await pushRandomImage(upstream, 'lib/other:1');
    const text = `FROM ${dest}/${hostPath}/lib/api:2@${old.digest}\nFROM ${dest}/${hostPath}/lib/other:1@${other.digest}\n`;
    const root = tree({ Dockerfile: text });

    const young = await refresh(root, [
      '--json',
      '--min-age',
      '3d',
      '--ignore',
      `${upstream.host}/lib/other`,
    ]);
    const dry = await refresh(root, ['--json', '--dry-run', '--only', `${upstream.host}/lib/api*`]);

    expect(JSON.parse(young.stdout).images).toEqual([
      expect.objectContaining({
        status: 'too-new',
        newDigest: moved.digest,
        detail: `built ${fresh}, younger than the minimum age 3d`,
      }),
    ]);
    expect(JSON.parse(dry.stdout).images).toEqual([
      expect.objectContaining({
        mirror: `${dest}/${hostPath}/lib/api:2`,
        status: 'would-move',
        newDigest: moved.digest,
      }),
    ]);
    expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe(text);
    expect(await mirrorDigest('lib/api', '2')).toBe(old.digest);
    expect(await mirrorDigest('lib/other', '1')).toBe(other.digest);
  });

  it('reports a tag that no longer exists upstream and exits 1', async () => {
    const old = await mirrored('lib/gone:1', '2024-01-01T00:00:00Z');
    await upstream.fetch(`/v2/lib/gone/manifests/${old.digest}`, { method: 'DELETE' });
    const root = tree({
      Dockerfile: `FROM ${dest}/${hostPath}/lib/gone:1@${old.digest}\n`,
      'k8s/evil\nname.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${dest}/${hostPath}/lib/gone@${old.digest}\n`,
    });

    const run = await refresh(root);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`failed: ${upstream.host}/lib/gone:1 no longer exists upstream`);
    // A file name from the tree never breaks a line of the output.
    expect(run.stdout).toContain('not followed k8s/evil\\u000aname.yaml:8: ');
    expect(run.stdout.split('\n').filter((line) => line.startsWith('name.yaml'))).toEqual([]);
  });

  it('exits 2 (a usage error) for a bare --src-creds that would go to several source registries', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const root = tree({
      Dockerfile: `FROM ${dest}/docker.io/library/nginx:1.25@${digest}\nFROM ${dest}/quay.io/acme/b:1@${digest}\n`,
    });

    const run = await refresh(root, ['--src-creds', 'user:secret', '--dry-run']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--src-creds USER:PASS would go to every source registry (docker.io, quay.io)',
    );
    expect(run.stdout).toBe('');
  });
});
