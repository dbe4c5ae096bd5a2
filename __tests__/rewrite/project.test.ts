/**
 * Rewrites whose text spans files: a compose image whose text lives in `.env`, a build arg, a
 * Helm tag that comes from `Chart.yaml`'s appVersion, Helm key variants. Each goes through the
 * real pipeline (scanPaths → planCopies → planEdits → rewriteFiles with the scan's contexts), is
 * verified by a re-scan, and a second scan of the rewritten tree finds nothing left to mirror.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FileText, rewriteFiles } from '../../src/mirror/rewrite-files.js';
import { planCopies, planEdits } from '../../src/plan/index.js';
import { allFinders, extractFile } from '../../src/scan/index.js';
import { type ScanResult, scanPaths } from '../../src/scan/scan.js';
import { copyDigest, MIRROR } from './pipeline.js';

const work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-project-rewrite-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(work, 'tree-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

function scan(root: string, envFiles?: string[]): ScanResult {
  return scanPaths(['.'], { finders: allFinders, cwd: root, ...(envFiles ? { envFiles } : {}) });
}

/** The whole migration of a tree without a registry: the new text of each changed file. */
function migrate(files: Record<string, string>, envFiles?: string[]) {
  const result = scan(writeTree(files), envFiles);
  const copies = planCopies(result.occurrences, { destination: MIRROR });
  const digests = new Map(copies.jobs.map((job) => [job.source, { digest: copyDigest(job.source) }]));
  const edits = planEdits(copies.jobs, digests);
  const texts = new Map<string, FileText>(
    result.files.map((f) => [f.file, { content: f.content, context: f }]),
  );
  const outcome = rewriteFiles(edits, texts, extractFile);
  const changed = Object.fromEntries(outcome.changes.map((change) => [change.file, change.content]));
  return { changed, failures: outcome.failures, notRewritable: copies.notRewritable, copies };
}

/** The mirrored, pinned reference of a Docker Hub image. */
function mirrored(image: string, repository = `library/${image.split(':')[0]}`): string {
  const tag = image.split(':')[1];
  return `${MIRROR}/docker.io/${repository}:${tag}@${copyDigest(`docker.io/${repository}:${tag}`)}`;
}

describe('rewrites across files', () => {
  it('writes an image that comes from .env into .env, keeping its quotes, and leaves compose alone', () => {
    const files = {
      '.env':
        '# images\nWEB_IMAGE=nginx:1.27.1\nexport CACHE_IMAGE="redis:7.2.5"  # cache\nPASSWORD=s3cret\n',
      'compose.yaml': 'services:\n  web:\n    image: ${WEB_IMAGE}\n  cache:\n    image: "$CACHE_IMAGE"\n',
    };

    const { changed, failures } = migrate(files);

    expect(failures).toEqual([]);
    expect(changed).toEqual({
      '.env': `# images\nWEB_IMAGE=${mirrored('nginx:1.27.1')}\nexport CACHE_IMAGE="${mirrored('redis:7.2.5')}"  # cache\nPASSWORD=s3cret\n`,
    });
    const again = scan(writeTree({ ...files, ...changed }));
    expect(again.occurrences.map((o) => [o.file, o.reference.registry])).toEqual([
      ['.env', '127.0.0.1:5000'],
      ['.env', '127.0.0.1:5000'],
    ]);
  });

  it('rewrites a compose file and its .env in one run, each verified on its own text', () => {
    const files = {
      '.env': '# Images of the stack; the web tier follows the upstream release.\nWEB_IMAGE=nginx:1.27.1\n',
      'compose.yaml': 'services:\n  cache:\n    image: redis:7.2.5\n  web:\n    image: ${WEB_IMAGE}\n',
    };

    const { changed, failures } = migrate(files);

    expect(failures).toEqual([]);
    expect(changed).toEqual({
      '.env': `# Images of the stack; the web tier follows the upstream release.\nWEB_IMAGE=${mirrored('nginx:1.27.1')}\n`,
      'compose.yaml': `services:\n  cache:\n    image: ${mirrored('redis:7.2.5')}\n  web:\n    image: \${WEB_IMAGE}\n`,
    });
  });

  it('with --env-file, reads and rewrites the given env files instead of .env, the later one winning', () => {
    const files = {
      '.env': 'IMAGE=nginx:1.26.0\n',
      'deploy/prod.env': 'IMAGE=nginx:1.27.1\nSIDECAR=busybox:1.36.1\n',
      'compose.yaml': 'services:\n  web:\n    image: ${IMAGE}\n  sidecar:\n    image: ${SIDECAR}\n',
    };

    const { changed, failures } = migrate(files, ['.env', 'deploy/prod.env']);

    expect(failures).toEqual([]);
    expect(changed).toEqual({
      'deploy/prod.env': `IMAGE=${mirrored('nginx:1.27.1')}\nSIDECAR=${mirrored('busybox:1.36.1')}\n`,
    });
    expect(scan(writeTree(files)).occurrences.map((o) => [o.file, o.raw])).toEqual([
      ['.env', 'nginx:1.26.0'],
    ]);
  });

  it('writes a build arg that is the whole base image where compose has it', () => {
    const compose =
      'services:\n  db:\n    image: db-local\n    build:\n      context: db\n      args:\n        BASE_IMAGE: postgres:16.4\n';
    const { changed, failures } = migrate({
      'compose.yaml': compose,
      'db/Dockerfile': 'ARG BASE_IMAGE=postgres:15.8\nFROM ${BASE_IMAGE}\n',
    });

    expect(failures).toEqual([]);
    expect(changed).toEqual({
      'compose.yaml': compose.replace('postgres:16.4', mirrored('postgres:16.4')),
      'db/Dockerfile': `ARG BASE_IMAGE=${mirrored('postgres:15.8')}\nFROM \${BASE_IMAGE}\n`,
    });
  });

  it('pins a Helm tag that comes from appVersion into values: an empty tag, or a new tag key', () => {
    const values =
      'image:\n  repository: nginx\n  tag: ""\nsidecar:\n  image:\n    repository: busybox\n    pullPolicy: Always\n';
    const { changed, failures } = migrate({
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1.27.1"\n',
      'chart/values.yaml': values,
      'chart/templates/deploy.yaml':
        'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"\n',
    });

    const nginx = `${MIRROR}/docker.io/library/nginx`;
    const busybox = `${MIRROR}/docker.io/library/busybox`;
    expect(failures).toEqual([]);
    expect(changed).toEqual({
      'chart/values.yaml': [
        'image:',
        `  repository: ${nginx}`,
        `  tag: "1.27.1@${copyDigest('docker.io/library/nginx:1.27.1')}"`,
        'sidecar:',
        '  image:',
        `    repository: ${busybox}`,
        '    pullPolicy: Always',
        `    tag: 1.27.1@${copyDigest('docker.io/library/busybox:1.27.1')}`,
        '',
      ].join('\n'),
    });
  });

  it('writes Helm key variants under the chart’s own keys (name, image + imageTag)', () => {
    const values =
      'image: docker.elastic.co/elasticsearch/elasticsearch\nimageTag: 8.5.1\nkubectl:\n  image:\n    registry: docker.io\n    name: example/kubectl\n    tag: 1.30.3\n';
    const { changed, failures } = migrate({
      'search/Chart.yaml': 'apiVersion: v2\nname: s\nversion: 1.0.0\n',
      'search/values.yaml': values,
    });

    const elastic = `${MIRROR}/docker.elastic.co/elasticsearch/elasticsearch`;
    const elasticDigest = copyDigest('docker.elastic.co/elasticsearch/elasticsearch:8.5.1');
    expect(failures).toEqual([]);
    expect(changed).toEqual({
      'search/values.yaml': [
        `image: ${elastic}`,
        `imageTag: 8.5.1@${elasticDigest}`,
        'kubectl:',
        '  image:',
        '    registry: 127.0.0.1:5000',
        '    name: mirror/docker.io/example/kubectl',
        `    tag: 1.30.3@${copyDigest('docker.io/example/kubectl:1.30.3')}`,
        '',
      ].join('\n'),
    });
  });

  it('plans a copy but no rewrite for a .env value built from other variables', () => {
    const { changed, notRewritable } = migrate({
      '.env': 'REGISTRY=docker.io\nKEYDB_IMAGE=${REGISTRY}/eqalpha/keydb:6.3.4\n',
      'compose.yaml': 'services:\n  keydb:\n    image: ${KEYDB_IMAGE}\n',
    });

    expect(changed).toEqual({});
    expect(notRewritable.map((s) => [s.occurrence.file, s.occurrence.raw, s.detail])).toEqual([
      [
        '.env',
        '${REGISTRY}/eqalpha/keydb:6.3.4',
        'the value in .env is built from variables or escapes, which a rewrite would drop',
      ],
    ]);
  });
});
