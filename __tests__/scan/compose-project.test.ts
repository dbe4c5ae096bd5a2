/**
 * Compose across files: interpolation from the project's `.env` (reported where the text is),
 * build args that decide a Dockerfile's base image, and build outputs. Small cases inline with
 * whole occurrences; two realistic stacks under `__tests__/fixtures/compose/`.
 */
import { describe, expect, it } from 'vitest';
import { composeFinder, dotenvFinder, extractCompose } from '../../src/scan/compose/index.js';
import { diagnosticLines, projectContext, scanFixture, spansMatch, summary } from './scan-tree.js';
import { ref, spanOf } from './yaml-expect.js';

describe('compose with .env', () => {
  it('reports an image that comes whole from one .env variable in the .env file', () => {
    const env = '# images\nNGINX_IMAGE=nginx:1.27.1\n';
    const compose = 'services:\n  web:\n    image: ${NGINX_IMAGE}\n';
    const context = projectContext({ '.env': env, 'compose.yaml': compose });

    const result = extractCompose(compose, 'compose.yaml', context);

    expect(result).toEqual({
      occurrences: [
        {
          file: '.env',
          kind: 'compose',
          start: { line: 2, column: 13 },
          end: { line: 2, column: 25 },
          raw: 'nginx:1.27.1',
          reference: ref('docker.io', 'library/nginx', '1.27.1'),
          target: { type: 'scalar', scalar: spanOf(env, 'nginx:1.27.1', { style: 'dotenv' }), prefix: '' },
        },
      ],
      diagnostics: [],
    });
  });

  it('takes the .env value over a default, and a tag from .env keeps the name in the compose file', () => {
    const env = 'DB_IMAGE="postgres:16.4"\nREDIS_TAG=7.2.5\n';
    const compose =
      'services:\n  db:\n    image: ${DB_IMAGE:-postgres:15}\n  cache:\n    image: "redis:${REDIS_TAG}-alpine"\n';
    const context = projectContext({ 'stack/.env': env, 'stack/compose.yaml': compose });

    const result = extractCompose(compose, 'stack/compose.yaml', context);

    expect(result.occurrences).toEqual([
      {
        file: 'stack/.env',
        kind: 'compose',
        start: { line: 1, column: 11 },
        end: { line: 1, column: 24 },
        raw: 'postgres:16.4',
        reference: ref('docker.io', 'library/postgres', '16.4'),
        target: { type: 'scalar', scalar: spanOf(env, 'postgres:16.4', { style: 'dotenv' }), prefix: '' },
      },
      {
        file: 'stack/compose.yaml',
        kind: 'compose',
        start: { line: 5, column: 13 },
        end: { line: 5, column: 18 },
        raw: 'redis',
        reference: ref('docker.io', 'library/redis', '7.2.5-alpine'),
        target: {
          type: 'name',
          scalar: spanOf(compose, 'redis', { style: 'double-inner' }),
          variables: ['REDIS_TAG'],
        },
      },
    ]);
  });

  it('says which .env lacks a variable, and never reads a .env of another directory', () => {
    const compose = 'services:\n  app:\n    image: ${APP_IMAGE}\n';
    const context = projectContext({
      'app/.env': 'OTHER=1\n',
      '.env': 'APP_IMAGE=nginx:1\n',
      'app/compose.yaml': compose,
    });

    const result = extractCompose(compose, 'app/compose.yaml', context);

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'app/compose.yaml',
          line: 3,
          severity: 'warning',
          message:
            'image "${APP_IMAGE}" needs variable APP_IMAGE, which has no default here and app/.env does not set it',
        },
      ],
    });
  });

  it('resolves nothing from a .env compose would refuse, and reports its line in the .env only', () => {
    const env = 'GOOD=nginx:1\nBAD KEY=secret-value\n';
    const compose = 'services:\n  web:\n    image: ${GOOD:-nginx:1}\n';
    const context = projectContext({ '.env': env, 'compose.yaml': compose });

    expect(extractCompose(compose, 'compose.yaml', context).diagnostics).toEqual([
      {
        file: 'compose.yaml',
        line: 3,
        severity: 'warning',
        message:
          'image "${GOOD:-nginx:1}" needs variable GOOD, but compose cannot read .env (line 2: a key cannot contain a space)',
      },
    ]);
    expect(dotenvFinder.extract(env, '.env', context)).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: '.env',
          line: 2,
          severity: 'warning',
          message: 'compose cannot read this file: a key cannot contain a space',
        },
      ],
    });
  });

  it('the .env finder reports what the compose files beside it take from it, once', () => {
    const env = 'IMAGE=ghcr.io/acme/api:2.1.0\nUNUSED=alpine:3\n';
    const context = projectContext({
      '.env': env,
      'docker-compose.yml': 'services:\n  api:\n    image: $IMAGE\n',
      'docker-compose.override.yml': 'services:\n  api:\n    image: "${IMAGE}"\n',
      'other/compose.yaml': 'services:\n  x:\n    image: ${UNUSED}\n',
    });

    const result = dotenvFinder.extract(env, '.env', context);

    expect(result.diagnostics).toEqual([]);
    expect(result.occurrences.map((o) => [o.file, o.start, o.raw])).toEqual([
      ['.env', { line: 1, column: 7 }, 'ghcr.io/acme/api:2.1.0'],
    ]);
  });
});

describe('compose build args into the Dockerfile', () => {
  it('reports the arg that is the whole base image where it is written, and the build output as a notice', () => {
    const compose =
      'services:\n  db:\n    image: db-local\n    build:\n      context: ./db\n      args:\n        BASE_IMAGE: postgres:16.4\n        UNUSED: x\n';
    const context = projectContext({
      'compose.yaml': compose,
      'db/Dockerfile': 'ARG BASE_IMAGE=postgres:15\nFROM ${BASE_IMAGE}\nRUN echo\n',
    });

    const result = composeFinder.extract(compose, 'compose.yaml', context);

    expect(result).toEqual({
      occurrences: [
        {
          file: 'compose.yaml',
          kind: 'compose-build-arg',
          start: { line: 7, column: 21 },
          end: { line: 7, column: 34 },
          raw: 'postgres:16.4',
          reference: ref('docker.io', 'library/postgres', '16.4'),
          target: { type: 'scalar', scalar: spanOf(compose, 'postgres:16.4'), prefix: '' },
        },
      ],
      diagnostics: [
        {
          file: 'compose.yaml',
          line: 3,
          severity: 'notice',
          message: 'image "db-local" names the image that services.db.build builds; not mirrored',
        },
      ],
      buildOutputs: [
        {
          name: 'docker.io/library/db-local',
          file: 'compose.yaml',
          line: 3,
          via: 'compose services.db.build',
          scope: 'tree',
        },
      ],
    });
  });

  it('reads list-form args (NAME=value) with the value part as its own span', () => {
    const compose =
      'services:\n  api:\n    build:\n      context: .\n      dockerfile: build/api.Dockerfile\n      args:\n        - PYTHON_IMAGE=python:3.12.6-slim\n';
    const context = projectContext({
      'compose.yaml': compose,
      'build/api.Dockerfile': 'ARG PYTHON_IMAGE\nFROM $PYTHON_IMAGE AS base\nFROM base\n',
    });

    const result = composeFinder.extract(compose, 'compose.yaml', context);

    expect(result.occurrences).toEqual([
      {
        file: 'compose.yaml',
        kind: 'compose-build-arg',
        start: { line: 7, column: 24 },
        end: { line: 7, column: 42 },
        raw: 'python:3.12.6-slim',
        reference: ref('docker.io', 'library/python', '3.12.6-slim'),
        target: {
          type: 'scalar',
          scalar: spanOf(compose, 'python:3.12.6-slim', { style: 'plain-inner' }),
          prefix: '',
        },
      },
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('an arg that is only part of the image is reported where its text is, not rewritable', () => {
    const compose =
      'services:\n  web:\n    build:\n      context: web\n      args:\n        NODE_VERSION: "20.17"\n';
    const context = projectContext({
      'compose.yaml': compose,
      'web/Dockerfile': 'ARG NODE_VERSION=18\nFROM node:${NODE_VERSION}-alpine\n',
    });

    const [occurrence] = composeFinder.extract(compose, 'compose.yaml', context).occurrences;

    expect(occurrence).toEqual({
      file: 'compose.yaml',
      kind: 'compose-build-arg',
      start: { line: 6, column: 23 },
      end: { line: 6, column: 30 },
      raw: '"20.17"',
      reference: ref('docker.io', 'library/node', '20.17-alpine'),
      target: {
        type: 'none',
        reason:
          "the image is the FROM of web/Dockerfile:2 with build arg NODE_VERSION; a rewrite changes the Dockerfile's own name",
      },
    });
  });

  it('ignores args the Dockerfile does not use in FROM, remote contexts and inline Dockerfiles', () => {
    const compose = [
      'services:',
      '  a:',
      '    build: {context: ./a, args: {VERSION: "1"}}',
      '  b:',
      '    build: {context: "https://github.com/acme/b.git#main", args: {BASE: "nginx:1"}}',
      '  c:',
      '    build: {dockerfile_inline: "FROM ${BASE}", args: {BASE: "nginx:1"}}',
      '',
    ].join('\n');
    const context = projectContext({
      'compose.yaml': compose,
      'a/Dockerfile': 'FROM alpine:3.20\nARG VERSION\nRUN echo $VERSION\n',
    });

    expect(composeFinder.extract(compose, 'compose.yaml', context)).toEqual({
      occurrences: [],
      diagnostics: [],
    });
  });
});

describe('a self-hosted stack (.env images, build args, anchors)', () => {
  const result = scanFixture('compose/selfhosted');

  it('finds every image the stack pulls, at the place its text is', () => {
    expect(summary(result)).toEqual([
      '.env:7:11 compose-build-arg ghcr.io/example-tracker/web:nightly ghcr.io/example-tracker/web:nightly',
      '.env:8:21 compose ghcr.io/example-tracker/ingest:24.9.0 ghcr.io/example-tracker/ingest:24.9.0',
      '.env:9:14 compose ghcr.io/example-tracker/relay:24.9.0 ghcr.io/example-tracker/relay:24.9.0',
      '.env:10:16 compose ghcr.io/example-tracker/symbols:24.9.0 ghcr.io/example-tracker/symbols:24.9.0',
      '.env:11:17 compose-build-arg docker.io/altinity/clickhouse-server:23.8.16.42.altinitystable altinity/clickhouse-server:23.8.16.42.altinitystable',
      '.env:14:13 compose docker.io/eqalpha/keydb:x86_64_v6.3.4 ${MIRROR_REGISTRY}/eqalpha/keydb:x86_64_v6.3.4',
      'clickhouse/Dockerfile:1:16 dockerfile-from docker.io/altinity/clickhouse-server:23.3.19.33.altinitystable altinity/clickhouse-server:23.3.19.33.altinitystable',
      'docker-compose.yml:23:12 compose docker.io/tianon/exim4:latest tianon/exim4',
      'docker-compose.yml:26:12 compose docker.io/library/memcached:1.6.29-alpine "memcached:1.6.29-alpine"',
      'docker-compose.yml:33:13 compose docker.io/library/postgres:14.11 postgres',
      'docker-compose.yml:65:12 compose ghcr.io/maxmind/geoipupdate:v7.0.1 "ghcr.io/maxmind/geoipupdate:v7.0.1"',
      'docker-compose.yml:67:29 compose docker.io/axllent/mailpit:v1.20 axllent/mailpit:v1.20',
    ]);
    expect(spansMatch(result)).toEqual([]);
  });

  it('reports build outputs as notices and never touches other .env values', () => {
    const lines = diagnosticLines(result);

    expect(lines.filter((line) => line.startsWith('notice'))).toEqual([
      'notice docker-compose.yml:8 image "tracker-self-hosted-local" names the image that services.web.build builds; not mirrored',
      'notice docker-compose.yml:38 image "clickhouse-self-hosted-local" names the image that services.clickhouse.build builds; not mirrored',
      'notice docker-compose.yml:54 image "symbols-cleanup-self-hosted-local" names the image that services.symbols-cleanup.build builds; not mirrored',
    ]);
    expect(lines.join('\n')).not.toContain('not-an-image');
    expect(summary(result).join('\n')).not.toContain('self-hosted-local');
  });

  it('marks the .env value built from other variables as not rewritable', () => {
    const keydb = result.occurrences.find((o) => o.raw.startsWith('${MIRROR_REGISTRY}'));

    expect(keydb?.target).toEqual({
      type: 'none',
      reason: 'the value in .env is built from variables or escapes, which a rewrite would drop',
    });
  });
});

describe('an observability demo (build outputs from .env names, args that set tags)', () => {
  const result = scanFixture('compose/observability-demo');

  it('reports dependencies from .env, tags that build args set, and released images in manifests', () => {
    expect(summary(result)).toEqual([
      '.env:7:25 compose docker.io/otel/opentelemetry-collector-contrib:0.108.0 otel/opentelemetry-collector-contrib:0.108.0',
      '.env:8:15 compose docker.io/grafana/grafana:11.1.0 grafana/grafana:11.1.0',
      '.env:9:21 compose docker.io/jaegertracing/all-in-one:1.60 jaegertracing/all-in-one:1.60',
      '.env:10:18 compose docker.io/opensearchproject/opensearch:2.15.0 opensearchproject/opensearch:2.15.0',
      '.env:11:16 compose docker.io/library/postgres:16.4 postgres:16.4',
      '.env:12:14 compose docker.io/valkey/valkey:7.2-alpine valkey/valkey:7.2-alpine',
      '.env:15:14 compose-build-arg docker.io/library/node:20.16-alpine 20.16',
      '.env:16:18 compose-build-arg mcr.microsoft.com/dotnet/sdk:8.0 8.0',
      '.env:16:18 compose-build-arg mcr.microsoft.com/dotnet/runtime-deps:8.0-alpine 8.0',
      'docker-compose.yml:77:12 compose ghcr.io/example-demo/tracetest:v1.5.2 ghcr.io/example-demo/tracetest',
      "kubernetes/demo.yaml:10:18 kubernetes ghcr.io/example-demo/demo:1.11.1-frontend 'ghcr.io/example-demo/demo:1.11.1-frontend'",
      "kubernetes/demo.yaml:21:18 kubernetes ghcr.io/example-demo/demo:1.11.1-cart 'ghcr.io/example-demo/demo:1.11.1-cart'",
      'src/cart/Dockerfile:2:6 dockerfile-from mcr.microsoft.com/dotnet/sdk:7.0 mcr.microsoft.com/dotnet/sdk',
      'src/cart/Dockerfile:7:6 dockerfile-from mcr.microsoft.com/dotnet/runtime-deps:7.0-alpine mcr.microsoft.com/dotnet/runtime-deps',
      'src/frontend/Dockerfile:2:6 dockerfile-from docker.io/library/node:18-alpine node',
      'src/frontend/Dockerfile:10:6 dockerfile-from docker.io/library/node:18-alpine node',
      'src/quote/Dockerfile:1:6 dockerfile-from docker.io/library/composer:2.7 composer:2.7',
      'src/quote/Dockerfile:5:6 dockerfile-from docker.io/library/php:8.3-cli php:8.3-cli',
    ]);
    expect(spansMatch(result)).toEqual([]);
  });

  it('never reports the demo images the compose file builds, nor a build-output name', () => {
    expect(diagnosticLines(result).filter((line) => line.includes('builds; not mirrored'))).toHaveLength(3);
    expect(summary(result).join('\n')).not.toMatch(/demo:latest-/);
  });
});
