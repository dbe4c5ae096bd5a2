/**
 * `ar-mirror verify` through its command runner against two real local registries: an
 * "upstream" standing in for Docker Hub (AR_MIRROR_REGISTRY_ENDPOINTS docker.io=…) and the
 * mirror, laid out as DEST/docker.io/<repository>. References come from files and from a
 * `kubectl get pods -o yaml` stream on stdin.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerifyCommand } from '../../src/commands/verify.js';
import {
  buildRandomImage,
  MEDIA_TYPES,
  type PushedImage,
  pushBlob,
  pushBuiltImage,
  pushManifest,
  pushRandomImage,
} from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { runCommand } from './run-command.js';

let upstream: TestRegistry;
let mirror: TestRegistry;
let work: string;
let dest: string;
const images: Record<string, PushedImage | string> = {};

/** An OCI image whose config says when it was built. */
async function pushBuiltAt(
  registry: TestRegistry,
  repository: string,
  tag: string,
  created: string,
): Promise<string> {
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const layer = Buffer.from(`layer of ${repository}:${tag} ${created}`);
  const config = Buffer.from(
    JSON.stringify({
      created,
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [sha(layer)] },
    }),
  );
  await pushBlob(registry, repository, { digest: sha(layer), size: layer.length, bytes: layer });
  await pushBlob(registry, repository, { digest: sha(config), size: config.length, bytes: config });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.oci.manifest,
      config: { mediaType: MEDIA_TYPES.oci.config, digest: sha(config), size: config.length },
      layers: [{ mediaType: MEDIA_TYPES.oci.layer, digest: sha(layer), size: layer.length }],
    }),
  );
  return pushManifest(registry, repository, tag, { bytes: manifest, mediaType: MEDIA_TYPES.oci.manifest });
}

beforeAll(async () => {
  [upstream, mirror] = await Promise.all([startRegistry({ mode: 'none' }), startRegistry({ mode: 'none' })]);
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-verify-'));
  dest = `${mirror.host}/mirror`;
  const both = { platforms: ['linux/amd64', 'linux/arm64'], layers: 1, layerSize: 512, seed: 7 };
  images.app = await pushRandomImage(upstream, 'library/app:1', both);
  await pushRandomImage(mirror, 'mirror/docker.io/library/app:1', both);
  await pushRandomImage(mirror, 'acme/mirror/docker.io/library/app:1', both);
  images.old = await pushRandomImage(mirror, 'mirror/docker.io/library/app:0', { layers: 1, layerSize: 256 });
  await pushBuiltAt(mirror, 'mirror/docker.io/library/web', '2', '2024-01-01T00:00:00Z');
  images.webNow = await pushBuiltAt(upstream, 'library/web', '2', '2024-06-01T08:00:00Z');
  // A --platform copy: the mirror's index lists one of the upstream index's two children.
  const multi = await buildRandomImage({
    platforms: ['linux/amd64', 'linux/arm64'],
    layers: 1,
    layerSize: 256,
    seed: 9,
  });
  await pushBuiltImage(upstream, 'library/multi:3', multi);
  await pushBuiltImage(mirror, 'mirror/docker.io/library/multi:3', multi);
  const subset = Buffer.from(
    JSON.stringify({
      ...JSON.parse(multi.bytes.toString('utf8')),
      manifests: [JSON.parse(multi.bytes.toString('utf8')).manifests[0]],
    }),
  );
  await pushManifest(mirror, 'mirror/docker.io/library/multi', '3', {
    bytes: subset,
    mediaType: multi.mediaType,
  });
});
afterAll(async () => {
  await Promise.all([upstream?.stop(), mirror?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

// us-docker.pkg.dev is served by the local mirror too: tests only talk to 127.0.0.1.
const env = () => ({
  AR_MIRROR_PLAIN_HTTP: mirror.host,
  AR_MIRROR_REGISTRY_ENDPOINTS: `docker.io=${upstream.url},us-docker.pkg.dev=${mirror.url}`,
});
const verify = (argv: string[], stdin?: string) =>
  runCommand(runVerifyCommand, argv, { env: env(), ...(stdin === undefined ? {} : { stdin }) });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(work, 'tree-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

interface Result {
  image: string;
  status: string;
  digest: string | null;
  problems: string[];
  upstream: { source: string | null; state: string; digest: string | null; detail: string };
}

describe('ar-mirror verify', () => {
  it('passes references that exist, agree and match the upstream (or are a platform subset of it); fails a dropped --platform', async () => {
    const app = images.app as PushedImage;
    const root = tree({
      Dockerfile: `FROM ${dest}/docker.io/library/app:1@${app.digest}\nFROM ${dest}/docker.io/library/multi:3\nFROM nginx:1.25\n`,
    });

    const run = await verify([root, '--to', dest, '--json', '--platform', 'linux/arm64']);

    expect([run.code, run.stderr]).toEqual([1, '']);
    const results: Result[] = JSON.parse(run.stdout).references;
    expect(results.map((r) => [r.image, r.status, r.upstream.state])).toEqual([
      [`${dest}/docker.io/library/app:1@${app.digest}`, 'ok', 'current'],
      [`${dest}/docker.io/library/multi:3`, 'platform-missing', 'platform-subset'],
    ]);
    expect(results[0]!.upstream.source).toBe('docker.io/library/app:1');
    expect(results[1]!.problems).toEqual(['lacks platform(s) linux/arm64 (carries linux/amd64)']);
    const without = await verify([root, '--to', dest]);
    expect(without.code).toBe(0);
  });

  it('fails a missing image and a tag that disagrees with its pinned digest; reports an upstream that moved and when', async () => {
    const old = images.old as PushedImage;
    const pods = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a, namespace: shop}
  spec:
    containers:
    - {name: app, image: "${dest}/docker.io/library/app:1@${old.digest}"}
    - {name: gone, image: "${dest}/docker.io/library/gone:1"}
    - {name: web, image: "${dest}/docker.io/library/web:2"}
`;

    const json = await verify(['-', '--to', dest, '--json'], pods);
    const human = await verify(['-', '--to', dest], pods);

    expect(json.code).toBe(1);
    const results: Result[] = JSON.parse(json.stdout).references;
    expect(results.map((r) => [r.image.split('/').pop(), r.status, r.upstream.state])).toEqual([
      [`app:1@${old.digest}`, 'digest-mismatch', 'moved'],
      ['gone:1', 'missing', 'unchecked'],
      ['web:2', 'ok', 'moved'],
    ]);
    expect(results[0]!.problems).toEqual([
      `tag 1 names ${(images.app as PushedImage).digest}, the reference pins ${old.digest}`,
    ]);
    expect(results[2]!.upstream.detail).toBe(
      `the upstream moved: docker.io/library/web:2 now names ${images.webNow} (built 2024-06-01T08:00:00Z)`,
    );
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(
      new RegExp(
        `^${dest.replace(/\./g, '\\.')}/docker\\.io/library/gone:1 +MISSING +not compared +-:\\d+$`,
        'm',
      ),
    );
    expect(human.stdout).toContain('3 reference(s) into the mirror, 2 failed, 2 whose upstream moved');
  });

  it('without --to, takes the repository of each Artifact Registry reference as the mirror', async () => {
    const root = tree({
      'k8s.yaml':
        'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: us-docker.pkg.dev/acme/mirror/docker.io/library/app:1\n    - image: us-docker.pkg.dev/acme/mirror/docker.io/library/app:9\n    - image: nginx:1\n',
    });

    const run = await verify([root]);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^us-docker\.pkg\.dev\/acme\/mirror\/docker\.io\/library\/app:1 +ok +current +\S*k8s\.yaml:5$/m,
    );
    expect(run.stdout).toMatch(/^us-docker\.pkg\.dev\/acme\/mirror\/docker\.io\/library\/app:9 +MISSING/m);
    expect(run.stdout).toContain('2 reference(s) into the mirror, 1 failed');
  });
});
