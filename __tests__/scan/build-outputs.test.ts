/**
 * Images a repository builds itself (Skaffold artifacts, Tilt builds, ko import paths, compose
 * build services) and placeholders a pipeline substitutes are notices with the reason, never
 * references; plus the formats recognised by content or by their other file names.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractDockerfile } from '../../src/scan/dockerfile/index.js';
import { allFinders } from '../../src/scan/index.js';
import { extractKubernetes } from '../../src/scan/kubernetes/index.js';
import { extractKustomize } from '../../src/scan/kustomize/index.js';
import { notMirroredReason } from '../../src/scan/placeholders.js';
import { scanPaths } from '../../src/scan/scan.js';
import { extractTiltfile } from '../../src/scan/tilt/index.js';
import { diagnosticLines, scanFixture, spansMatch, summary } from './scan-tree.js';

const work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-outputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Scans a small tree written from `files`. */
function scanTree(files: Record<string, string>) {
  const root = mkdtempSync(path.join(work, 'tree-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return scanPaths(['.'], { finders: allFinders, cwd: root });
}

describe('placeholders and ko', () => {
  it.each([
    [
      'ko://github.com/acme/app/cmd/server',
      'is an import path ko builds and puts in its place; not mirrored',
    ],
    [
      'gcr.io/acme/app:RELEASE_TAG',
      'holds the placeholder RELEASE_TAG, which a pipeline substitutes before deploying; not mirrored',
    ],
    [
      'gcr.io/PROJECT_ID/hello-app:1.0',
      'holds the placeholder PROJECT_ID, which a pipeline substitutes before deploying; not mirrored',
    ],
    ['<IMAGE>', 'holds the placeholder <IMAGE>, which a pipeline substitutes before deploying; not mirrored'],
    ['nginx:1.27', undefined],
    ['example/tool:V1_0', undefined],
    ['mcr.microsoft.com/windows/servercore:ltsc2022', undefined],
    ['Registry.Example/app:1', undefined],
  ])('%s', (text, reason) => {
    expect(notMirroredReason(text)).toBe(reason);
  });

  it('a Kustomize component with newTag: RELEASE_TAG is a notice, not a reference', () => {
    const content = 'kind: Component\nimages:\n  - name: gcr.io/acme/api\n    newTag: RELEASE_TAG\n';

    expect(extractKustomize(content, 'kustomization.yaml')).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'kustomization.yaml',
          line: 3,
          severity: 'notice',
          message:
            'image "gcr.io/acme/api:RELEASE_TAG" holds the placeholder RELEASE_TAG, which a pipeline substitutes before deploying; not mirrored',
        },
      ],
    });
  });

  it('a Dockerfile FROM with a placeholder is a notice too', () => {
    expect(extractDockerfile('FROM BASE_IMAGE:latest\n', 'Dockerfile').diagnostics).toEqual([
      {
        file: 'Dockerfile',
        line: 1,
        severity: 'notice',
        message:
          'FROM "BASE_IMAGE:latest" holds the placeholder BASE_IMAGE, which a pipeline substitutes before deploying; not mirrored',
      },
    ]);
  });
});

describe('declared build outputs', () => {
  it('Skaffold artifacts (profiles included) cover the skaffold.yaml directory tree only', () => {
    const result = scanTree({
      'app/skaffold.yaml':
        'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: api\nprofiles:\n  - name: gpu\n    build:\n      artifacts:\n        - image: gcr.io/acme/worker\n',
      'app/k8s/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - {name: a, image: api}\n        - {name: b, image: "gcr.io/acme/worker:v2"}\n        - {name: c, image: "redis:7"}\n',
      'other/pod.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - {name: a, image: "api:1"}\n',
    });

    expect(summary(result)).toEqual([
      'app/k8s/deploy.yaml:9:28 kubernetes docker.io/library/redis:7 "redis:7"',
      'other/pod.yaml:5:24 kubernetes docker.io/library/api:1 "api:1"',
    ]);
    expect(diagnosticLines(result)).toEqual([
      'notice app/k8s/deploy.yaml:7 image "api" is built by this repository (skaffold build.artifacts of skaffold.yaml, app/skaffold.yaml:5), which puts its own build in its place; not mirrored',
      'notice app/k8s/deploy.yaml:8 image "\\"gcr.io/acme/worker:v2\\"" is built by this repository (skaffold build.artifacts of skaffold.yaml, app/skaffold.yaml:10), which puts its own build in its place; not mirrored',
    ]);
  });

  it('Tiltfile builds are read from string literals only', () => {
    const content =
      "docker_build('api', '.')\ncustom_build(\n  ref='worker', command='make')\ndocker_build(name, '.')\n# docker_build('old', '.')\n";

    expect(extractTiltfile(content, 'Tiltfile').buildOutputs).toEqual([
      {
        name: 'docker.io/library/api',
        file: 'Tiltfile',
        line: 1,
        via: 'Tiltfile docker_build',
        scope: 'tree',
      },
    ]);
  });

  it('a compose build output with a registry stays local to its file; a bare name covers the tree', () => {
    const result = scanTree({
      'compose.yaml':
        'services:\n  api:\n    build: .\n    image: ghcr.io/acme/api:dev\n  web:\n    build: ./web\n    image: web\n',
      'k8s/pods.yaml':
        'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - {name: a, image: "ghcr.io/acme/api:1.4.0"}\n    - {name: b, image: "web:latest"}\n',
    });

    expect(summary(result)).toEqual([
      'k8s/pods.yaml:5:24 kubernetes ghcr.io/acme/api:1.4.0 "ghcr.io/acme/api:1.4.0"',
    ]);
    expect(diagnosticLines(result).filter((line) => line.startsWith('notice k8s'))).toEqual([
      'notice k8s/pods.yaml:6 image "\\"web:latest\\"" is built by this repository (compose services.web.build, compose.yaml:7), which puts its own build in its place; not mirrored',
    ]);
  });
});

describe('compose build outputs with a tag', () => {
  it('name only their own tag: another tag of the same repository is pulled, and mirrored', () => {
    const result = scanTree({
      '.env': 'IMAGE_NAME=ghcr.io/example-org/shop\nIMAGE_VERSION=2.1.0\n',
      'compose.yaml': [
        'services:',
        '  checkout:',
        '    image: ${IMAGE_NAME}:${IMAGE_VERSION}-checkout',
        '    build: {context: ./src/checkout}',
        '  checkout-worker:',
        '    image: ${IMAGE_NAME}:${IMAGE_VERSION}-checkout',
        '  loadgen:',
        '    image: ${IMAGE_NAME}:${IMAGE_VERSION}-loadgen',
        '',
      ].join('\n'),
    });

    expect(summary(result)).toEqual([
      'compose.yaml:8:12 compose ghcr.io/example-org/shop:2.1.0-loadgen ${IMAGE_NAME}:${IMAGE_VERSION}-loadgen',
    ]);
    expect(diagnosticLines(result)).toEqual([
      'notice compose.yaml:3 image "${IMAGE_NAME}:${IMAGE_VERSION}-checkout" names the image that services.checkout.build builds; not mirrored',
      'notice compose.yaml:6 image "${IMAGE_NAME}:${IMAGE_VERSION}-checkout" is built by this repository (compose services.checkout.build, compose.yaml:3), which puts its own build in its place; not mirrored',
    ]);
  });
});

describe('formats recognised by content', () => {
  it('reads a Cloud Build config under another name, and not a CI file with steps of its own', () => {
    const cloudBuild =
      'steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, .]\ntimeout: 600s\n';
    const drone = 'kind: pipeline\nsteps:\n  - name: test\n    image: golang:1.23\n';
    const woodpecker =
      'steps:\n  - name: gcr.io/example/test\n    image: golang:1.23\n    commands: [go test ./...]\n';

    expect(extractKubernetes(cloudBuild, 'ci/build.yaml').occurrences.map((o) => [o.kind, o.raw])).toEqual([
      ['cloudbuild', 'gcr.io/cloud-builders/docker'],
    ]);
    expect(extractKubernetes(drone, '.drone.yml')).toEqual({ occurrences: [], diagnostics: [] });
    expect(extractKubernetes(woodpecker, '.woodpecker.yml')).toEqual({ occurrences: [], diagnostics: [] });
    const otherTool = 'version: "1.0"\nsteps:\n  - name: unit-tests\n    type: freestyle\n';
    expect(extractKubernetes(otherTool, 'pipeline.yml')).toEqual({ occurrences: [], diagnostics: [] });
  });

  it('reads a Cloud Build config whose steps run a script, and not an Azure Pipelines steps file', () => {
    const cloudBuild = [
      'steps:',
      "  - name: 'ubuntu:24.04'",
      '    script: |',
      '      #!/usr/bin/env bash',
      '      ./ci/test.sh',
      '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk:slim',
      '    entrypoint: gcloud',
      '    args: [version]',
      'options: {logging: CLOUD_LOGGING_ONLY}',
      '',
    ].join('\n');
    const azure = 'steps:\n  - script: npm test\n    name: unittests\n    displayName: Unit tests\n';

    expect(extractKubernetes(cloudBuild, 'ci/test.yaml').occurrences.map((o) => [o.kind, o.raw])).toEqual([
      ['cloudbuild', "'ubuntu:24.04'"],
      ['cloudbuild', 'gcr.io/google.com/cloudsdktool/cloud-sdk:slim'],
    ]);
    expect(extractKubernetes(azure, 'ci/steps.yml')).toEqual({ occurrences: [], diagnostics: [] });
  });

  it('reads a compose file under another name (a swarm stack)', () => {
    const stack = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    deploy: {replicas: 2}\n';

    expect(extractKubernetes(stack, 'deploy/stack.yml').occurrences.map((o) => [o.kind, o.raw])).toEqual([
      ['compose', 'nginx:1.27'],
    ]);
  });
});

describe('a Skaffold, Kustomize and Tilt project', () => {
  const result = scanFixture('skaffold/shop-demo');

  it('reports third-party images and released images, never what the repository builds', () => {
    expect(summary(result)).toEqual([
      '.github/workflows/ci.yaml:8:16 workflow-service docker.io/library/redis:7.2.5 redis:7.2.5',
      'cloudbuild/deploy.yaml:3:11 cloudbuild gcr.io/cloud-builders/docker:latest gcr.io/cloud-builders/docker',
      'cloudbuild/deploy.yaml:6:11 cloudbuild gcr.io/google.com/cloudsdktool/cloud-sdk:489.0.0-slim "gcr.io/google.com/cloudsdktool/cloud-sdk:489.0.0-slim"',
      'kubernetes-manifests/frontend.yaml:12:18 kubernetes docker.io/library/redis:alpine3.20 redis:alpine3.20',
      'kubernetes-manifests/loadgenerator.yaml:16:18 kubernetes docker.io/library/busybox:1.36.1-uclibc busybox:1.36.1-uclibc',
      'kustomize/components/container-images-registry/kustomization.yaml:7:14 kustomize mirror.gcr.io/library/redis:7.2.5-alpine mirror.gcr.io/library/redis',
      'release/kubernetes-manifests.yaml:13:18 kubernetes us-central1-docker.pkg.dev/example-shop/shop/adservice:v0.10.1 us-central1-docker.pkg.dev/example-shop/shop/adservice:v0.10.1',
      'release/kubernetes-manifests.yaml:24:18 kubernetes us-central1-docker.pkg.dev/example-shop/shop/frontend:v0.10.1 us-central1-docker.pkg.dev/example-shop/shop/frontend:v0.10.1',
      'src/adservice/Dockerfile:1:6 dockerfile-from docker.io/library/eclipse-temurin:21.0.4_7-jdk@sha256:0bb8f2d2db4fc1e8f1e5b4d8b1ba9fa2b7a8e5f6a2f25e0a3e8b0f74b1b1c9a2 eclipse-temurin:21.0.4_7-jdk@sha256:0bb8f2d2db4fc1e8f1e5b4d8b1ba9fa2b7a8e5f6a2f25e0a3e8b0f74b1b1c9a2',
      'src/adservice/Dockerfile:6:6 dockerfile-from docker.io/library/eclipse-temurin:21.0.4_7-jre-alpine eclipse-temurin:21.0.4_7-jre-alpine',
      'src/frontend/Dockerfile-WINDOWS_LTSC2022:2:6 dockerfile-from mcr.microsoft.com/windows/servercore:ltsc2022 mcr.microsoft.com/windows/servercore:ltsc2022',
      'src/frontend/Dockerfile-WINDOWS_LTSC2022:5:6 dockerfile-from mcr.microsoft.com/windows/nanoserver:ltsc2022 mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'src/frontend/Dockerfile_arm:1:29 dockerfile-from docker.io/library/golang:1.23.1-alpine golang:1.23.1-alpine',
      'src/frontend/Dockerfile_arm:2:6 dockerfile-from gcr.io/distroless/static-debian12:nonroot gcr.io/distroless/static-debian12:nonroot',
      'src/loadgenerator/Dockerfile:1:6 dockerfile-from docker.io/library/python:3.12.6-alpine python:3.12.6-alpine',
    ]);
    expect(spansMatch(result)).toEqual([]);
  });

  it('says why each build output and placeholder is left out', () => {
    expect(diagnosticLines(result)).toEqual([
      'notice kubernetes-manifests/adservice.yaml:18 image "adservice" is built by this repository (skaffold build.artifacts of skaffold.yaml, skaffold.yaml:13), which puts its own build in its place; not mirrored',
      'notice kubernetes-manifests/frontend.yaml:10 image "frontend:latest" is built by this repository (skaffold build.artifacts of skaffold.yaml, skaffold.yaml:15), which puts its own build in its place; not mirrored',
      'notice kubernetes-manifests/loadgenerator.yaml:19 image "loadgenerator" is built by this repository (skaffold build.artifacts of skaffold.yaml, skaffold.yaml:40), which puts its own build in its place; not mirrored',
      'notice kubernetes-manifests/loadgenerator.yaml:21 image "ko://github.com/example-shop/shop/cmd/profiler" is an import path ko builds and puts in its place; not mirrored',
      'notice kubernetes-manifests/quote.yaml:8 image "quoteservice:dev" is built by this repository (Tiltfile docker_build, Tiltfile:2), which puts its own build in its place; not mirrored',
      'notice kubernetes-manifests/quote.yaml:10 image "shippingservice" is built by this repository (Tiltfile docker_build, Tiltfile:3), which puts its own build in its place; not mirrored',
      'notice kustomize/components/container-images-registry/kustomization.yaml:5 image "CONTAINER_IMAGES_REGISTRY/adservice" holds the placeholder CONTAINER_IMAGES_REGISTRY, which a pipeline substitutes before deploying; not mirrored',
      'notice kustomize/components/container-images-tag/kustomization.yaml:4 image "us-central1-docker.pkg.dev/example-shop/shop/adservice:CONTAINER_IMAGES_TAG" holds the placeholder CONTAINER_IMAGES_TAG, which a pipeline substitutes before deploying; not mirrored',
      'notice kustomize/components/container-images-tag/kustomization.yaml:6 image "us-central1-docker.pkg.dev/example-shop/shop/frontend:CONTAINER_IMAGES_TAG" holds the placeholder CONTAINER_IMAGES_TAG, which a pipeline substitutes before deploying; not mirrored',
    ]);
  });
});

describe('ko', () => {
  it('reads the base images of .ko.yaml', () => {
    const content =
      'defaultBaseImage: cgr.dev/chainguard/static:latest\nbaseImageOverrides:\n  github.com/acme/app/cmd/debug: gcr.io/distroless/base-debian12:debug\nbuilds:\n  - id: app\n    main: ./cmd/app\n';

    const result = scanTree({ '.ko.yaml': content });

    expect(summary(result)).toEqual([
      '.ko.yaml:1:19 ko cgr.dev/chainguard/static:latest cgr.dev/chainguard/static:latest',
      '.ko.yaml:3:34 ko gcr.io/distroless/base-debian12:debug gcr.io/distroless/base-debian12:debug',
    ]);
  });
});
