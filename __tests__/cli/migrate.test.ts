/**
 * `ar-mirror migrate` end to end: dist/cli.js as a child process over temporary trees whose
 * images live in a real local "third-party" registry, mirrored into a second real registry.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

const CLI = path.resolve('dist/cli.js');

let source: TestRegistry;
let destination: TestRegistry;
let work: string;
const images: Record<string, PushedImage> = {};

beforeAll(async () => {
  [source, destination] = await Promise.all([
    startRegistry({ mode: 'none' }),
    startRegistry({ mode: 'none' }),
  ]);
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-migrate-'));
  [images.app, images.db, images.web, images.cache] = await Promise.all([
    pushRandomImage(source, 'lib/app:1', { platforms: ['linux/amd64', 'linux/arm64'] }),
    pushRandomImage(source, 'lib/db:3', { format: 'docker' }),
    pushRandomImage(source, 'lib/web:2'),
    pushRandomImage(source, 'lib/cache:7'),
  ]);
});

afterAll(async () => {
  await Promise.all([source?.stop(), destination?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

/** Writes `files` under a new directory of the work tree; returns its path. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(work, 'tree-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

/** Every file under `root`, as bytes decoded as latin1 so that any change shows. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(root, full)] = readFileSync(full, 'latin1');
    }
  };
  walk(root);
  return out;
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function migrate(root: string, args: string[] = []): Promise<CliRun> {
  const to = `${destination.host}/mirror`;
  const argv = [CLI, 'migrate', '--to', to, '--plain-http', `${source.host},${destination.host}`, ...args];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      argv,
      { cwd: root, env: { PATH: process.env.PATH, HOME: root }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

async function destinationCatalog(): Promise<string[]> {
  const res = await destination.fetch('/v2/_catalog');
  return (JSON.parse(res.body.toString('utf8')) as { repositories: string[] }).repositories;
}

async function destinationDigest(image: string, tag: string): Promise<string | undefined> {
  const hostPath = source.host.replace(':', '-');
  const res = await destination.fetch(`/v2/mirror/${hostPath}/${image}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept:
        'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return res.status === 200 ? res.headers['docker-content-digest'] : undefined;
}

const SRC = () => source.host;

function sampleTree() {
  const src = SRC();
  return {
    Dockerfile: `ARG BASE=${src}/lib/app:1\nFROM \${BASE} AS build\nRUN make\n`,
    'deploy/deployment.yaml': `apiVersion: apps/v1\r\nkind: Deployment\r\nmetadata:\r\n  name: web\r\nspec:\r\n  template:\r\n    spec:\r\n      containers:\r\n        - name: db\r\n          image: '${src}/lib/db:3' # pinned\r\n`,
    'compose.yaml': `\uFEFFservices:\n  web:\n    image: ${src}/lib/web:2\n  local:\n    build: .\n`,
    'overlays/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: ${src}/lib/cache\n    newTag: "7"\n`,
    'README.md': `FROM ${src}/lib/app:1\n`,
  };
}

function planRow(image: string, reference: string) {
  const hostPath = SRC().replace(':', '-');
  return [`${SRC()}/${image}`, `${destination.host}/mirror/${hostPath}/${image}`, reference];
}

/** The mirrored reference a file should now hold. */
function pinned(image: string, digest: string): string {
  return `${destination.host}/mirror/${SRC().replace(':', '-')}/${image}@${digest}`;
}

describe('ar-mirror migrate', () => {
  it('--dry-run prints the plan and the diff of each file, and changes nothing', async () => {
    const root = tree(sampleTree());
    const before = snapshot(root);

    const run = await migrate(root, ['--dry-run']);

    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 5).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['SOURCE', 'DESTINATION', 'REFERENCES'],
      planRow('lib/app:1', 'Dockerfile:1:10'),
      planRow('lib/web:2', 'compose.yaml:3:12'),
      planRow('lib/cache:7', 'overlays/kustomization.yaml:4:11'),
      planRow('lib/db:3', 'deploy/deployment.yaml:10:18'),
    ]);
    const [, web] = planRow('lib/web:2', '');
    expect(run.stdout).toContain(
      `--- a/compose.yaml\n+++ b/compose.yaml\n@@ -1,5 +1,5 @@\n services:\n   web:\n-    image: ${SRC()}/lib/web:2\n+    image: ${web}\n   local:\n     build: .\n`,
    );
    // CRLF lines print without their CR; the deployment's quoting and comment stay.
    const [, db] = planRow('lib/db:3', '');
    expect(run.stdout).toContain(
      `-          image: '${SRC()}/lib/db:3' # pinned\n+          image: '${db}' # pinned\n`,
    );
    expect(run.stdout.match(/^--- a\/.*$/gm)).toEqual([
      '--- a/Dockerfile',
      '--- a/compose.yaml',
      '--- a/deploy/deployment.yaml',
      '--- a/overlays/kustomization.yaml',
    ]);
    expect(lines.at(-1)).toBe(
      '4 image(s) to copy, 4 reference(s) to rewrite in 4 file(s), 0 copied but not rewritten (dry run: nothing copied or written; the diffs show tags, and each reference also gets @<digest> of its copy)',
    );
    expect(snapshot(root)).toEqual(before);
    expect(await destinationCatalog()).toEqual([]);
  });

  it('--dry-run --json prints one JSON object with the plan and the exact diffs', async () => {
    const root = tree(sampleTree());

    const run = await migrate(root, ['--dry-run', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    const [source0, destination0, reference0] = planRow('lib/app:1', 'Dockerfile:1:10');
    expect(plan.copies[0]).toEqual({ source: source0, destination: destination0, references: [reference0] });
    expect(Object.keys(plan)).toEqual(['copies', 'skipped', 'notRewritten', 'files']);
    expect(plan.notRewritten).toEqual([]);
    const [, app] = planRow('lib/app:1', '');
    expect(plan.files[0]).toEqual({
      file: 'Dockerfile',
      diff: `--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n-ARG BASE=${SRC()}/lib/app:1\n+ARG BASE=${app}\n FROM \${BASE} AS build\n RUN make\n`,
    });
    // The JSON keeps the exact text, CRLF included.
    expect(plan.files[2].diff).toContain(`-          image: '${SRC()}/lib/db:3' # pinned\r\n`);
  });

  it('--dry-run lists what is copied but not rewritten, shows .env diffs without context, and prints notices as notices', async () => {
    const src = SRC();
    const root = tree({
      '.env': `DB_PASSWORD=hunter2-secret\nWEB_IMAGE=${src}/lib/web:2\nAPI_TOKEN=another-secret\nREG=${src}\nCACHE_IMAGE=\${REG}/lib/cache:7\n`,
      'compose.yaml':
        'services:\n  web:\n    image: ${WEB_IMAGE}\n  cache:\n    image: ${CACHE_IMAGE}\n  api:\n    build: .\n    image: acme/api\n',
    });

    const run = await migrate(root, ['--dry-run']);

    expect(run.code, run.stderr).toBe(0);
    const [, web] = planRow('lib/web:2', '');
    expect(run.stdout).toContain(
      `copied but not rewritten:\n  .env:5:13 ${src}/lib/cache:7: the value in .env is built from variables or escapes, which a rewrite would drop\n`,
    );
    expect(run.stdout).toContain(
      `--- a/.env\n+++ b/.env\n@@ -2,1 +2,1 @@\n-WEB_IMAGE=${src}/lib/web:2\n+WEB_IMAGE=${web}\n`,
    );
    expect(run.stdout).not.toContain('secret');
    expect(run.stderr).toContain(
      'notice: compose.yaml:8: image "acme/api" names the image that services.api.build builds; not mirrored\n',
    );
    expect(run.stderr).not.toContain('warning:');
  });

  it('copies every image, rewrites the files in place byte-exactly, and a second run does nothing', async () => {
    const files = sampleTree();
    const root = tree(files);
    chmodSync(path.join(root, 'Dockerfile'), 0o640);
    chmodSync(path.join(root, 'compose.yaml'), 0o755);

    const run = await migrate(root, ['--json']);

    expect(run.code, run.stderr).toBe(0);
    for (const [image, tag] of [
      ['app', '1'],
      ['db', '3'],
      ['web', '2'],
      ['cache', '7'],
    ] as const)
      expect(await destinationDigest(`lib/${image}`, tag)).toBe(images[image]!.digest);
    const src = SRC();
    const mirror = `${destination.host}/mirror/${src.replace(':', '-')}`;
    expect(snapshot(root)).toEqual(
      latin1({
        Dockerfile: files.Dockerfile.replace(`${src}/lib/app:1`, pinned('lib/app:1', images.app!.digest)),
        'deploy/deployment.yaml': files['deploy/deployment.yaml'].replace(
          `${src}/lib/db:3`,
          pinned('lib/db:3', images.db!.digest),
        ),
        'compose.yaml': files['compose.yaml'].replace(
          `${src}/lib/web:2`,
          pinned('lib/web:2', images.web!.digest),
        ),
        'overlays/kustomization.yaml': `${files['overlays/kustomization.yaml']}    newName: ${mirror}/lib/cache\n    digest: ${images.cache!.digest}\n`,
        'README.md': files['README.md'],
      }),
    );
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result)).toEqual(['images', 'files', 'failures']);
    expect(result.images[0]).toEqual({
      source: `${src}/lib/app:1`,
      destination: `${mirror}/lib/app:1`,
      status: 'mirrored',
      digest: images.app!.digest,
      platforms: ['linux/amd64', 'linux/arm64'],
      bytes: expect.any(Number),
    });
    expect(result.files).toEqual([
      { file: 'Dockerfile', edits: 1 },
      { file: 'compose.yaml', edits: 1 },
      { file: 'deploy/deployment.yaml', edits: 1 },
      { file: 'overlays/kustomization.yaml', edits: 1 },
    ]);
    expect(result.failures).toEqual([]);

    // The rewrite goes through a temporary file and a rename, which must keep the permission bits.
    expect(statSync(path.join(root, 'Dockerfile')).mode & 0o777).toBe(0o640);
    expect(statSync(path.join(root, 'compose.yaml')).mode & 0o777).toBe(0o755);
    const migrated = snapshot(root);
    const again = await migrate(root);

    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('nothing to mirror\n');
    expect(snapshot(root)).toEqual(migrated);
  });

  it('--src-creds USER:PASS with two source registries exits 2 naming them; HOST=USER:PASS is accepted', async () => {
    const src = SRC();
    const other = src.replace('127.0.0.1', 'localhost');
    const files = {
      'a/Dockerfile': `FROM ${src}/lib/web:2\n`,
      'b/Dockerfile': `FROM ${other}/lib/cache:7\n`,
    };
    const root = tree(files);

    const plain = await migrate(root, ['--plain-http', other, '--src-creds', 'me:secret']);
    const unchanged = snapshot(root);
    const byHost = await migrate(root, ['--plain-http', other, '--src-creds', `${src}=me:secret`]);

    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(
      `ar-mirror migrate: --src-creds USER:PASS would go to every source registry (${src}, ${other}); give HOST=USER:PASS for each\n`,
    );
    expect(unchanged).toEqual(files);
    expect(byHost.code, byHost.stderr).toBe(0);
    expect(snapshot(root)['a/Dockerfile']).toBe(`FROM ${pinned('lib/web:2', images.web!.digest)}\n`);
  });

  it('a symbolic link named as a root is reported and skipped, never replaced by a file', async () => {
    const src = SRC();
    const root = tree({ 'real/Dockerfile': `FROM ${src}/lib/web:2\n` });
    symlinkSync(path.join(root, 'real/Dockerfile'), path.join(root, 'link.Dockerfile'));

    const run = await migrate(root, ['link.Dockerfile']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'link.Dockerfile: skipped: symbolic link; migrate does not rewrite through links (name its target instead)',
    );
    expect(run.stdout).toBe('nothing to mirror\n');
    expect(lstatSync(path.join(root, 'link.Dockerfile')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(root, 'real/Dockerfile'), 'utf8')).toBe(`FROM ${src}/lib/web:2\n`);
  });

  // Issue 7, rule 11. Root may give a file to anyone, so only a root run can tell.
  it.runIf(process.getuid?.() === 0)(
    'keeps the owner and group of a file it rewrites (as root)',
    async () => {
      const root = tree({ Dockerfile: `FROM ${SRC()}/lib/web:2\n` });
      chownSync(path.join(root, 'Dockerfile'), 12345, 12345);

      const run = await migrate(root);

      expect(run.code, run.stderr).toBe(0);
      const after = statSync(path.join(root, 'Dockerfile'));
      expect([after.uid, after.gid]).toEqual([12345, 12345]);
      expect(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toBe(
        `FROM ${pinned('lib/web:2', images.web!.digest)}\n`,
      );
    },
  );

  it('a copy failure exits 1 and leaves that file untouched while the others are rewritten', async () => {
    const src = SRC();
    const files = {
      'a/Dockerfile': `FROM ${src}/lib/missing:9\n`,
      'b/Dockerfile': `FROM ${src}/lib/web:2\n`,
    };
    const root = tree(files);

    const run = await migrate(root);

    expect(run.code).toBe(1);
    expect(snapshot(root)).toEqual({
      'a/Dockerfile': files['a/Dockerfile'],
      'b/Dockerfile': `FROM ${pinned('lib/web:2', images.web!.digest)}\n`,
    });
    expect(run.stdout).toContain('rewrote b/Dockerfile (1 reference(s))\n');
    expect(run.stdout).toMatch(new RegExp(`${src}/lib/missing:9 .* failed: `));
  });
});

function latin1(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => [name, Buffer.from(text, 'utf8').toString('latin1')]),
  );
}
