/**
 * The pull-request action reads the files beside the changed ones that the finders need (a
 * compose project's `.env`, the Dockerfile its build args feed, a chart's `Chart.yaml` and
 * templates, the build declarations above a manifest), at the base and the head, so a pull
 * request is scanned, mirrored and rewritten as `ar-mirror scan`/`migrate` treat the same tree.
 * In process, against the simulated GitHub (a real git repository) and real registries.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_BRANCH } from '../../src/action/refresh-branch.js';
import { buildRandomImage, type PushedImage, pushBuiltImage, pushRandomImage } from '../support/images.js';
import { type ActionHarness, startActionHarness } from './harness.js';

let h: ActionHarness;
const images: Record<string, PushedImage> = {};
let prCount = 0;

beforeAll(async () => {
  h = await startActionHarness();
  [images.app, images.db, images.cache, images.web, images.web3] = await Promise.all([
    pushRandomImage(h.source, 'lib/app:1'),
    pushRandomImage(h.source, 'lib/db:3'),
    pushRandomImage(h.source, 'lib/cache:7'),
    pushRandomImage(h.source, 'lib/web:2'),
    pushRandomImage(h.source, 'lib/web:3'),
  ]);
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.github.violations).toEqual([]);
});

/** A repository with `files` on main, and a pull request changing `changes` on top of it. */
async function pullRequest(files: Record<string, string>, changes: Record<string, string>) {
  prCount++;
  const repo = `acme/related-${prCount}`;
  await h.github.createRepo(repo, files);
  const head = `feature-${prCount}`;
  const pr = await h.github.createPullRequest({ repo, head, files: changes });
  return { repo, head, ...pr };
}

const pinned = (image: string, tag: string, digest: string) => `${h.mirrored(image)}:${tag}@${digest}`;

describe('compose and .env', () => {
  it('mirrors an image a new service takes whole from the unchanged .env, rewrites it in the .env and annotates the .env line', async () => {
    const src = h.source.host;
    const env = `# images\nCOMPOSE_PROJECT_NAME=shop\nAPP_IMAGE=${src}/lib/app:1\n`;
    const compose = 'services:\n  web:\n    image: ${APP_IMAGE}\n';
    const pr = await pullRequest(
      { 'shop/.env': env, 'README.md': '# x\n' },
      { 'shop/compose.yaml': compose },
    );

    const { result } = await h.run(pr.repo, pr.number);

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/app', '1')).toBe(images.app!.digest);
    expect(result.references).toEqual([
      expect.objectContaining({ file: 'shop/.env', line: 3, column: 11, image: `${src}/lib/app:1` }),
    ]);
    const after = await h.github.branchFiles(pr.repo, pr.head);
    expect(after['shop/.env']).toBe(
      env.replace(`${src}/lib/app:1`, pinned('lib/app', '1', images.app!.digest)),
    );
    expect(after['shop/compose.yaml']).toBe(compose);
    expect(result.annotations.filter((a) => a.title === 'Mirrored')).toEqual([
      expect.objectContaining({ file: 'shop/.env', startLine: 3, startColumn: 11 }),
    ]);
  });

  it('notices a pull request that changes only the .env: the image at its .env line, a tag used by the compose file there', async () => {
    const src = h.source.host;
    const compose = `services:\n  db:\n    image: \${POSTGRES_IMAGE}\n  web:\n    image: ${src}/lib/web:\${WEB_TAG}\n  legacy:\n    image: \${LEGACY_IMAGE}\n  cache:\n    image: \${CACHE_IMAGE}\n`;
    const pr = await pullRequest(
      {
        'compose.yaml': compose,
        '.env': `POSTGRES_IMAGE=${src}/lib/db:3\nWEB_TAG=2\nCACHE_IMAGE=${src}/lib/app:1\n`,
      },
      { '.env': `POSTGRES_IMAGE=${src}/lib/cache:7\nWEB_TAG=3\n` },
    );

    const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

    expect(result.failure).toBeUndefined();
    expect(result.references.map((r) => [r.file, r.line, r.image])).toEqual([
      ['.env', 1, `${src}/lib/cache:7`],
      ['compose.yaml', 5, `${src}/lib/web:3`],
    ]);
    // The unchanged compose file's warnings: only the one the pull request caused (CACHE_IMAGE is
    // gone), not the one it already had (LEGACY_IMAGE was never set).
    const problems = result.annotations.filter(
      (a) => a.title === 'ar-mirror could not read an image reference',
    );
    expect(problems.map((a) => [a.file, a.startLine])).toEqual([['compose.yaml', 9]]);
    expect(problems[0]!.message).toContain('CACHE_IMAGE');
  });

  it('compares a changed compose file with the base commit’s .env, not the head’s', async () => {
    const src = h.source.host;
    const compose = (comment: string) =>
      `# ${comment}\nservices:\n  web:\n    image: ${src}/lib/web:\${WEB_TAG}\n`;
    const pr = await pullRequest(
      { 'compose.yaml': compose('web'), '.env': 'WEB_TAG=2\n' },
      { 'compose.yaml': compose('the web service'), '.env': 'WEB_TAG=3\n' },
    );

    const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

    expect(result.references.map((r) => [r.file, r.line, r.image])).toEqual([
      ['compose.yaml', 4, `${src}/lib/web:3`],
    ]);
  });

  it('commits the .env-only change rewritten in the .env and the compose file, verified with the same project', async () => {
    const src = h.source.host;
    const compose = `services:\n  db:\n    image: \${POSTGRES_IMAGE}\n  web:\n    image: ${src}/lib/web:\${WEB_TAG}\n`;
    const env = (db: string, tag: string) => `POSTGRES_IMAGE=${db}\nWEB_TAG=${tag}\n`;
    const pr = await pullRequest(
      { 'compose.yaml': compose, '.env': env(`${src}/lib/db:3`, '2') },
      { '.env': env(`${src}/lib/cache:7`, '3') },
    );

    const { result } = await h.run(pr.repo, pr.number);

    expect(result.failure).toBeUndefined();
    const after = await h.github.branchFiles(pr.repo, pr.head);
    expect(after['.env']).toBe(env(pinned('lib/cache', '7', images.cache!.digest), '3'));
    expect(after['compose.yaml']).toBe(compose.replace(`${src}/lib/web`, h.mirrored('lib/web')));
    expect(await h.destinationDigest('lib/web', '3')).toBe(images.web3!.digest);
  });

  it('mirrors the base image a compose build arg gives the unchanged Dockerfile, and the built image is no reference', async () => {
    const src = h.source.host;
    const dockerfile = 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN make\n';
    const compose = `services:\n  app:\n    image: shop-app\n    build:\n      context: ./app\n      args:\n        BASE_IMAGE: ${src}/lib/db:3\n`;
    const pr = await pullRequest({ 'app/Dockerfile': dockerfile }, { 'compose.yaml': compose });

    const { result } = await h.run(pr.repo, pr.number);

    expect(result.failure).toBeUndefined();
    expect(result.references.map((r) => [r.file, r.line, r.kind, r.image])).toEqual([
      ['compose.yaml', 7, 'compose-build-arg', `${src}/lib/db:3`],
    ]);
    const after = await h.github.branchFiles(pr.repo, pr.head);
    expect(after['compose.yaml']).toBe(
      compose.replace(`${src}/lib/db:3`, pinned('lib/db', '3', images.db!.digest)),
    );
    expect(after['app/Dockerfile']).toBe(dockerfile);
  });
});

describe('a changed Dockerfile', () => {
  it('is read with the build args of the unchanged compose file that builds it', async () => {
    const src = h.source.host;
    const compose = `services:\n  app:\n    build:\n      context: app\n      args:\n        BASE_IMAGE: ${src}/lib/db:3\n`;
    const pr = await pullRequest(
      { 'compose.yaml': compose, 'app/Dockerfile': `FROM ${src}/lib/app:1\n` },
      { 'app/Dockerfile': `ARG BASE_IMAGE=${src}/lib/cache:7\nFROM \${BASE_IMAGE}\n` },
    );

    const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

    expect(result.references.map((r) => [r.file, r.line, r.image])).toEqual([
      ['app/Dockerfile', 1, `${src}/lib/cache:7`],
      ['compose.yaml', 6, `${src}/lib/db:3`],
    ]);
  });
});

describe('Helm charts', () => {
  const templates = {
    'charts/web/templates/deployment.yaml':
      'spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"\n',
  };
  const chart = (appVersion: string) =>
    `apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "${appVersion}"\n`;

  it("pins the image of an empty tag, taken from the unchanged Chart.yaml's appVersion, in values", async () => {
    const src = h.source.host;
    const values = `image:\n  repository: ${src}/lib/web\n  tag: ""\n`;
    const pr = await pullRequest(
      { 'charts/web/Chart.yaml': chart('2'), ...templates },
      { 'charts/web/values.yaml': values },
    );

    const { result } = await h.run(pr.repo, pr.number);

    expect(result.failure).toBeUndefined();
    expect(result.references.map((r) => [r.file, r.line, r.image])).toEqual([
      ['charts/web/values.yaml', 2, `${src}/lib/web:2`],
    ]);
    expect(await h.destinationDigest('lib/web', '2')).toBe(images.web!.digest);
    const after = await h.github.branchFiles(pr.repo, pr.head);
    expect(after['charts/web/values.yaml']).toBe(
      `image:\n  repository: ${h.mirrored('lib/web')}\n  tag: "2@${images.web!.digest}"\n`,
    );
    expect(after['charts/web/Chart.yaml']).toBe(chart('2'));
  });

  it('reports the values image an appVersion bump changes, though only Chart.yaml changed', async () => {
    const src = h.source.host;
    const values = `image:\n  repository: ${src}/lib/web\n  tag: ""\n`;
    const pr = await pullRequest(
      { 'charts/web/Chart.yaml': chart('2'), 'charts/web/values.yaml': values, ...templates },
      { 'charts/web/Chart.yaml': chart('3') },
    );

    const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

    expect(result.references.map((r) => [r.file, r.line, r.image])).toEqual([
      ['charts/web/values.yaml', 2, `${src}/lib/web:3`],
    ]);
  });
});

describe('Helm templates', () => {
  it('a template that starts to default the tag to appVersion gives the unchanged values file its image', async () => {
    const src = h.source.host;
    const template = (tag: string) =>
      `spec:\n  containers:\n    - name: web\n      image: "{{ .Values.image.repository }}:${tag}"\n`;
    const pr = await pullRequest(
      {
        'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "2"\n',
        'web/values.yaml': `image:\n  repository: ${src}/lib/web\n  tag: ""\n`,
        'web/templates/pod.yaml': template('{{ .Values.image.tag }}'),
      },
      { 'web/templates/pod.yaml': template('{{ .Values.image.tag | default .Chart.AppVersion }}') },
    );

    const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

    expect(result.references.map((r) => [r.file, r.line, r.image])).toEqual([
      ['web/values.yaml', 2, `${src}/lib/web:2`],
    ]);
  });
});

describe('Helm helpers', () => {
  it('a changed _helpers.tpl is read as context, and the values file it decides is scanned', async () => {
    const src = h.source.host;
    const helper = (tag: string) => `{{- define "web.tag" -}}\n${tag}\n{{- end }}\n`;
    const pr = await pullRequest(
      {
        'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "3"\n',
        'web/values.yaml': `image:\n  repository: ${src}/lib/web\n  tag: ""\n`,
        'web/templates/pod.yaml':
          'spec:\n  containers:\n    - name: web\n      image: "{{ .Values.image.repository }}:{{ include "web.tag" . }}"\n',
        'web/templates/_helpers.tpl': helper('{{ .Values.image.tag }}'),
      },
      { 'web/templates/_helpers.tpl': helper('{{ .Values.image.tag | default .Chart.AppVersion }}') },
    );

    const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

    expect(result.references.map((r) => [r.file, r.line, r.image])).toEqual([
      ['web/values.yaml', 2, `${src}/lib/web:3`],
    ]);
    expect(result.annotations.filter((a) => a.file === 'web/templates/_helpers.tpl')).toEqual([]);
  });
});

describe('images the repository builds', () => {
  const skaffold =
    'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: adservice\n      context: src/adservice\n';
  const manifest =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: adservice\nspec:\n  template:\n    spec:\n      containers:\n        - name: server\n          image: adservice\n';

  it('a manifest naming a skaffold artifact is a notice: nothing is copied, nothing fails', async () => {
    const pr = await pullRequest(
      { 'skaffold.yaml': skaffold },
      { 'kubernetes-manifests/adservice.yaml': manifest },
    );

    const { result } = await h.run(pr.repo, pr.number);

    expect(result.failure).toBeUndefined();
    expect(result.references).toEqual([]);
    expect(result.mirrored).toEqual([]);
    expect(result.commit).toBeUndefined();
  });

  it('without the skaffold declaration the same manifest names a third-party image', async () => {
    const pr = await pullRequest(
      { 'README.md': '# x\n' },
      { 'kubernetes-manifests/adservice.yaml': manifest },
    );

    const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

    expect(result.references.map((r) => r.image)).toEqual(['docker.io/library/adservice:latest']);
  });
});

describe('refresh', () => {
  it('moves a pin that lives in a .env, read through the compose files that use it', async () => {
    const built = await buildRandomImage({ created: '2024-01-02T03:04:05Z' });
    const mirror = `acme-prod/mirror/${h.source.host.replace(':', '-')}/lib/envapp`;
    await pushBuiltImage(h.destination, `${mirror}:1`, built);
    const old = await pushBuiltImage(h.source, 'lib/envapp:1', built);
    const env = `APP_IMAGE=${h.mirrored('lib/envapp')}:1@${old.digest}\n`;
    const repo = 'acme/refresh-env';
    await h.github.createRepo(repo, {
      'stack/.env': env,
      'stack/compose.yaml': 'services:\n  app:\n    image: ${APP_IMAGE}\n',
      'stack/compose.override.yaml': 'services:\n  worker:\n    image: ${APP_IMAGE}\n',
    });
    const moved = await pushRandomImage(h.source, 'lib/envapp:1', { created: '2024-03-04T05:06:07Z' });

    const { result } = await h.refresh(repo);

    expect(result.failure).toBeUndefined();
    expect(
      result.images.map((i) => [i.status, i.occurrences.map((o) => `${o.file}:${o.start.line}`)]),
    ).toEqual([['moved', ['stack/.env:1']]]);
    const files = await h.github.branchFiles(repo, REFRESH_BRANCH);
    expect(files['stack/.env']).toBe(env.replace(old.digest, moved.digest));
  });
});
