/**
 * Helm charts as real chart collections write them: the appVersion default tag, nested blocks,
 * key variants, `image` + `imageTag`, `global.imageRegistry`, values files anywhere in the chart,
 * repository prefixes, and literal images in templates.
 */
import { describe, expect, it } from 'vitest';
import { extractHelmTemplate, extractHelmValues, helmFinder } from '../../src/scan/helm/index.js';
import { kubernetesFinder } from '../../src/scan/kubernetes/index.js';
import { diagnosticLines, projectContext, scanFixture, spansMatch, summary } from './scan-tree.js';
import { fieldsOccurrence, ref, scalarOccurrence, spanOf } from './yaml-expect.js';

const CHART = 'apiVersion: v2\nname: web\nversion: 1.2.0\nappVersion: "1.16.0"\n';

describe("the tag from Chart.yaml's appVersion", () => {
  it('fills an empty tag, and the rewrite target keeps the empty tag field to write it there', () => {
    const values = 'image:\n  repository: nginx\n  tag: ""\n  pullPolicy: IfNotPresent\n';
    const context = projectContext({ 'web/Chart.yaml': CHART, 'web/values.yaml': values });

    const result = extractHelmValues(values, 'web/values.yaml', context);

    const repository = spanOf(values, 'nginx');
    expect(result).toEqual({
      occurrences: [
        fieldsOccurrence({
          file: 'web/values.yaml',
          kind: 'helm',
          main: repository,
          start: { line: 2, column: 15 },
          end: { line: 2, column: 20 },
          reference: ref('docker.io', 'library/nginx', '1.16.0'),
          fields: { repository, tag: spanOf(values, '""', { style: 'double', value: '' }) },
          mapping: { start: 9, end: values.indexOf('IfNotPresent') + 12, flow: false, indent: 2 },
        }),
      ],
      diagnostics: [],
    });
  });

  it('puts the v in front that the templates add (printf "v%s" .Chart.AppVersion)', () => {
    const values = 'image:\n  registry: registry.k8s.io\n  repository: state-exporter/state-exporter\n';
    const context = projectContext({
      'exporter/Chart.yaml': 'apiVersion: v2\nname: exporter\nversion: 5.0.0\nappVersion: 2.13.0\n',
      'exporter/values.yaml': values,
      'exporter/templates/_helpers.tpl':
        '{{- define "exporter.tag" -}}\n{{- default (printf "v%s" .Chart.AppVersion) .Values.image.tag }}\n{{- end }}\n',
    });

    const [occurrence] = extractHelmValues(values, 'exporter/values.yaml', context).occurrences;

    expect(occurrence?.reference).toEqual(ref('registry.k8s.io', 'state-exporter/state-exporter', 'v2.13.0'));
  });

  it('stays a notice, with the true reason, when the templates never use .Chart.AppVersion, Chart.yaml has none, or none was read', () => {
    const values = 'image:\n  repository: acme/web\n  tag: ""\n';
    const withTemplates = projectContext({
      'web/Chart.yaml': CHART,
      'web/templates/deployment.yaml':
        'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default "latest" }}"\n',
    });

    expect(extractHelmValues(values, 'web/values.yaml', withTemplates).diagnostics).toEqual([
      {
        file: 'web/values.yaml',
        line: 2,
        severity: 'notice',
        message: `image "acme/web" has no tag; the chart's templates do not use .Chart.AppVersion (1.16.0) for it; they default it to "latest"`,
      },
    ]);
    const noAppVersion = projectContext({ 'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.2.0\n' });
    expect(
      extractHelmValues(values, 'web/values.yaml', noAppVersion).diagnostics.map((d) => d.message),
    ).toEqual([
      `image "acme/web" has no tag; the chart's appVersion supplies it, and web/Chart.yaml has no appVersion`,
    ]);
    expect(extractHelmValues(values, 'values.yaml').diagnostics.map((d) => d.message)).toEqual([
      `image "acme/web" has no tag; the chart's appVersion supplies it, and no Chart.yaml was read`,
    ]);
  });
});

describe('image blocks as chart collections write them', () => {
  it('reads name/repo key variants and remembers the key a rewrite must write', () => {
    const values =
      'kubectl:\n  image:\n    registry: docker.io\n    name: example/kubectl\n    tag: 1.30.3\n';

    const result = extractHelmValues(values, 'values.yaml');

    const name = spanOf(values, 'example/kubectl');
    expect(result.occurrences).toEqual([
      fieldsOccurrence({
        file: 'values.yaml',
        kind: 'helm',
        main: name,
        start: { line: 4, column: 11 },
        end: { line: 4, column: 26 },
        reference: ref('docker.io', 'example/kubectl', '1.30.3'),
        fields: { registry: spanOf(values, 'docker.io'), repository: name, tag: spanOf(values, '1.30.3') },
        keys: { repository: 'name' },
        mapping: { start: values.indexOf('registry'), end: values.length - 1, flow: false, indent: 4 },
      }),
    ]);
  });

  it('reads image + imageTag side by side (Elastic-style charts)', () => {
    const values = 'replicas: 3\nimage: "docker.elastic.co/elasticsearch/elasticsearch"\nimageTag: "8.5.1"\n';

    const result = extractHelmValues(values, 'values.yaml');

    const image = spanOf(values, '"docker.elastic.co/elasticsearch/elasticsearch"', {
      style: 'double',
      value: 'docker.elastic.co/elasticsearch/elasticsearch',
    });
    expect(result.occurrences).toEqual([
      fieldsOccurrence({
        file: 'values.yaml',
        kind: 'helm',
        main: image,
        start: { line: 2, column: 8 },
        end: { line: 2, column: 55 },
        reference: ref('docker.elastic.co', 'elasticsearch/elasticsearch', '8.5.1'),
        fields: { repository: image, tag: spanOf(values, '"8.5.1"', { style: 'double', value: '8.5.1' }) },
        keys: { repository: 'image', tag: 'imageTag' },
        mapping: { start: 0, end: values.length - 1, flow: false, indent: 0 },
      }),
    ]);
  });

  it('reads blocks nested under image keys, and any repository + tag mapping', () => {
    const values = [
      'image:',
      '  busybox: {repository: busybox, tag: 1.36.1}',
      'images:',
      '  app: {repository: ghcr.io/acme/app, tag: v3}',
      'initContainer:',
      '  repository: alpine',
      '  tag: "3.20"',
      'chart:',
      '  repository: https://charts.example.com',
      '  tag: v1',
      'source:',
      '  repository: github.com/acme/deploy-config',
      '  tag: v2.0.0',
      'defaultImage: quay.io/acme/tool:2.0',
      'baseImage: ubuntu',
      '',
    ].join('\n');

    const result = extractHelmValues(values, 'values.yaml');

    expect(result.occurrences.map((o) => o.raw)).toEqual([
      'busybox',
      'ghcr.io/acme/app',
      'alpine',
      'quay.io/acme/tool:2.0',
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('applies global.imageRegistry, and then the block alone cannot be rewritten', () => {
    const values =
      'global:\n  imageRegistry: mirror.example.com\nimage:\n  registry: docker.io\n  repository: example/cache\n  tag: 7.4.0\n';

    const [occurrence] = extractHelmValues(values, 'values.yaml').occurrences;

    expect(occurrence?.reference).toEqual(ref('mirror.example.com', 'example/cache', '7.4.0'));
    expect(occurrence?.target).toEqual({
      type: 'none',
      reason:
        'global.imageRegistry (mirror.example.com) sets the registry of every image, so the block alone cannot be rewritten',
    });
  });

  it('reads a bare sha (prometheus-community charts) but leaves it to the author to rewrite', () => {
    const hex = 'ab'.repeat(32);
    const values = `a:\n  image: {registry: quay.io, repository: x/y, tag: v1, sha: ""}\nb:\n  image: {repository: x/z, tag: v2, sha: ${hex}}\n`;

    const result = extractHelmValues(values, 'values.yaml');

    expect(result.occurrences.map((o) => [o.reference, o.target.type])).toEqual([
      [ref('quay.io', 'x/y', 'v1'), 'fields'],
      [ref('docker.io', 'x/z', 'v2', `sha256:${hex}`), 'none'],
    ]);
  });

  it('treats a repository the templates append names to as a prefix, not an image', () => {
    const values = 'images:\n  repository: us-docker.pkg.dev/example-shop/shop\n  tag: ""\n';
    const context = projectContext({
      'shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\nappVersion: v0.10.1\n',
      'shop/templates/cart.yaml':
        'image: {{ .Values.images.repository }}/cartservice:{{ .Values.images.tag | default .Chart.AppVersion }}\n',
    });

    expect(extractHelmValues(values, 'shop/values.yaml', context)).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'shop/values.yaml',
          line: 2,
          severity: 'notice',
          message: `"us-docker.pkg.dev/example-shop/shop" is a prefix the chart's templates append image names to; not an image`,
        },
      ],
    });
  });
});

describe('values files that are not values*.yaml beside Chart.yaml', () => {
  it('reads ci/*-values.yaml and overlays under the chart as values, Chart.yaml itself never', () => {
    const overlay = 'image:\n  repository: acme/web\n  tag: 2.0.0\n';
    const context = projectContext({
      'web/Chart.yaml': CHART,
      'web/ci/ha-values.yaml': overlay,
      'web/env/prod.yaml': overlay,
    });

    expect(helmFinder.matches('web/ci/ha-values.yaml')).toBe(true);
    expect(
      helmFinder.extract(overlay, 'web/ci/ha-values.yaml', context).occurrences.map((o) => o.raw),
    ).toEqual(['acme/web']);
    expect(
      kubernetesFinder.extract(overlay, 'web/env/prod.yaml', context).occurrences.map((o) => o.raw),
    ).toEqual(['acme/web']);
    // An ingress-controller-style values file says `kind:` and `apiVersion`, yet inside a chart it is values.
    const controller =
      'controller:\n  kind: DaemonSet\n  # apiVersion of the budget below\n  image:\n    repository: acme/controller\n    tag: 1.11.2\n';
    expect(
      helmFinder.extract(controller, 'web/ci/daemonset-values.yaml', context).occurrences.map((o) => o.raw),
    ).toEqual(['acme/controller']);
    const chartWithImages = `${CHART}annotations:\n  images: |\n    - image: nginx:1\ndependencies:\n  - {name: common, repository: oci://registry-1.docker.io/charts, version: 2.x.x}\n`;
    expect(kubernetesFinder.extract(chartWithImages, 'web/Chart.yaml', context)).toEqual({
      occurrences: [],
      diagnostics: [],
    });
  });
});

describe('templates', () => {
  it('reports a literal image line with its exact span; commented, templated and embedded lines are not images', () => {
    const template = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      {{- if .Values.init }}',
      '      initContainers:',
      '        - name: wait',
      '          image: busybox:1.36.1  # pinned',
      '          # image: busybox:1.35',
      '      {{- end }}',
      '      containers:',
      '        - name: app',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      '        {{- /*',
      '        - image: alpine:3.20',
      '        */}}',
      '        - name: redis',
      "          image: 'redis:7.2.5-alpine'",
      '---',
      'kind: ConfigMap',
      'data:',
      '  runner.yaml: |',
      '    image: alpine:3.19',
      '',
    ].join('\n');

    const result = extractHelmTemplate(template, 'web/templates/deployment.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(template, {
          file: 'web/templates/deployment.yaml',
          kind: 'helm',
          snippet: 'busybox:1.36.1',
          start: { line: 9, column: 18 },
          end: { line: 9, column: 32 },
          reference: ref('docker.io', 'library/busybox', '1.36.1'),
        }),
        scalarOccurrence(template, {
          file: 'web/templates/deployment.yaml',
          kind: 'helm',
          snippet: "'redis:7.2.5-alpine'",
          style: 'single',
          value: 'redis:7.2.5-alpine',
          start: { line: 19, column: 18 },
          end: { line: 19, column: 38 },
          reference: ref('docker.io', 'library/redis', '7.2.5-alpine'),
        }),
      ],
      diagnostics: [
        {
          file: 'web/templates/deployment.yaml',
          line: 14,
          severity: 'notice',
          message:
            "Helm template: the image(s) on line(s) 14, 16 are built by template actions ({{ }}); they come from the chart's values file",
        },
      ],
    });
  });
});

describe('a chart collection', () => {
  const result = scanFixture('helm/collection');

  it('finds the images of every chart, values and templates', () => {
    expect(summary(result)).toEqual([
      'charts/cache/ci/values-ha.yaml:5:17 helm docker.io/example/cache-sentinel:7.2.5-debian-12-r4 example/cache-sentinel',
      'charts/cache/environments/prod.yaml:5:15 helm mirror.example.com/example/cache:7.4.0-debian-12-r0 example/cache',
      'charts/cache/values.yaml:14:15 helm docker.io/example/cache:7.4.0-debian-12-r0 example/cache',
      'charts/cache/values.yaml:31:17 helm docker.io/example/cache-sentinel:7.4.0-debian-12-r0 example/cache-sentinel',
      'charts/cache/values.yaml:39:17 helm docker.io/example/cache-exporter:1.62.0-debian-12-r2 example/cache-exporter',
      'charts/cache/values.yaml:47:17 helm docker.io/example/os-shell:12-debian-12-r27 example/os-shell',
      'charts/cache/values.yaml:54:11 helm docker.io/example/kubectl:1.30.3 example/kubectl',
      'charts/cache/values.yaml:60:19 helm docker.io/library/busybox:1.36.1 busybox',
      'charts/cache/values.yaml:62:14 helm docker.io/library/alpine:3.20 alpine:3.20',
      'charts/cache/values.yaml:66:12 helm docker.io/fluent/fluent-bit:3.1.4 "fluent/fluent-bit:3.1.4"',
      'charts/exporter/templates/deployment.yaml:11:18 helm docker.io/library/busybox:1.36.1 busybox:1.36.1',
      'charts/exporter/values.yaml:4:15 helm registry.k8s.io/state-exporter/state-exporter:v2.13.0 state-exporter/state-exporter',
      'charts/exporter/values.yaml:14:17 helm quay.io/brancz/kube-rbac-proxy:v0.18.0 brancz/kube-rbac-proxy',
      'charts/search/values.yaml:6:8 helm docker.elastic.co/elasticsearch/elasticsearch:8.5.1 "docker.elastic.co/elasticsearch/elasticsearch"',
      'charts/shop/templates/cartservice.yaml:14:18 helm docker.io/library/redis:7.2.5-alpine "redis:7.2.5-alpine"',
    ]);
    expect(spansMatch(result)).toEqual([]);
  });

  it('reports none of the traps: commented blocks, partial overlays, prefixes, embedded files, Chart.yaml annotations', () => {
    const text = summary(result).join('\n');

    for (const trap of [
      'cache-old',
      '1.61.0',
      'example-shop/shop',
      'alpine:3.19',
      'busybox:1.35',
      'cache:7.4.0-debian-12-r0 "',
      'oci://',
    ])
      expect(text).not.toContain(trap);
    expect(
      diagnosticLines(result).filter((line) => line.startsWith('warning') || line.startsWith('error')),
    ).toEqual([]);
  });
});
