import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractHelmValues, helmFinder, MAX_VALUES_DEPTH } from '../../src/scan/helm/index.js';
import { kubernetesFinder } from '../../src/scan/kubernetes/index.js';
import { fieldsOccurrence, offsetOf, ref, scalarOccurrence, siblings, spanOf } from './yaml-expect.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/helm/web/${name}`, import.meta.url), 'utf8');
const OS_SHELL_DIGEST = 'sha256:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809';

describe('chart fixture', () => {
  const content = fixture('values.yaml');
  const file = 'charts/web/values.yaml';
  const result = helmFinder.extract(content, file, siblings('Chart.yaml', 'templates'));
  const block = (first: string, last: string) => ({
    start: offsetOf(content, first),
    end: offsetOf(content, last) + last.length,
    flow: false,
    indent: 4,
  });

  it('reads image blocks at any depth, flow blocks, numeric tags and plain image strings', () => {
    const migrations = spanOf(content, 'acme/web-migrations');
    const exporter = spanOf(content, 'bitnami/nginx-exporter');
    const statsd = spanOf(content, 'prom/statsd-exporter');
    const osShell = spanOf(content, 'bitnami/os-shell');

    expect(result.occurrences).toEqual([
      fieldsOccurrence({
        file,
        kind: 'helm',
        main: migrations,
        start: { line: 16, column: 17 },
        end: { line: 16, column: 36 },
        reference: ref('docker.io', 'acme/web-migrations', '2.5.0'),
        fields: { repository: migrations, tag: spanOf(content, '2.5.0') },
        mapping: block('repository: acme/web-migrations', 'tag: 2.5.0'),
      }),
      fieldsOccurrence({
        file,
        kind: 'helm',
        main: exporter,
        start: { line: 23, column: 17 },
        end: { line: 23, column: 39 },
        reference: ref('docker.io', 'bitnami/nginx-exporter', '1.1.0-debian-12-r3'),
        fields: {
          registry: spanOf(content, 'docker.io', { nth: 0 }),
          repository: exporter,
          tag: spanOf(content, '1.1.0-debian-12-r3'),
          digest: spanOf(content, '""', { nth: 2, style: 'double', value: '' }),
        },
        mapping: block('registry: docker.io\n    repository: bitnami/nginx', 'digest: ""'),
      }),
      fieldsOccurrence({
        file,
        kind: 'helm',
        main: statsd,
        start: { line: 26, column: 30 },
        end: { line: 26, column: 50 },
        reference: ref('docker.io', 'prom/statsd-exporter', 'v0.26.1'),
        fields: { repository: statsd, tag: spanOf(content, 'v0.26.1') },
        mapping: {
          start: offsetOf(content, '{repository'),
          end: offsetOf(content, 'v0.26.1}') + 8,
          flow: true,
          indent: 17,
        },
      }),
      fieldsOccurrence({
        file,
        kind: 'helm',
        main: osShell,
        start: { line: 31, column: 17 },
        end: { line: 31, column: 33 },
        reference: ref('docker.io', 'bitnami/os-shell', '12', OS_SHELL_DIGEST),
        fields: {
          registry: spanOf(content, 'docker.io', { nth: 1 }),
          repository: osShell,
          tag: {
            start: offsetOf(content, 'tag: 12') + 5,
            end: offsetOf(content, 'tag: 12') + 7,
            style: 'plain',
            value: '12',
          },
          digest: spanOf(content, OS_SHELL_DIGEST),
        },
        mapping: block('registry: docker.io\n    repository: bitnami/os-shell', OS_SHELL_DIGEST),
      }),
      scalarOccurrence(content, {
        file,
        kind: 'helm',
        snippet: '"gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.9.0"',
        style: 'double',
        value: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.9.0',
        start: { line: 37, column: 12 },
        end: { line: 37, column: 63 },
        reference: ref('gcr.io', 'cloud-sql-connectors/cloud-sql-proxy', '2.9.0'),
      }),
    ]);
  });

  it('leaves an empty tag to the chart appVersion with a notice', () => {
    expect(result.diagnostics).toEqual([
      {
        file,
        line: 9,
        severity: 'notice',
        message: `image "acme/web" has no tag; the chart's appVersion supplies it, and no Chart.yaml was read`,
      },
    ]);
  });

  it('gives the templated image line of the chart template one notice through the Kubernetes finder', () => {
    const template = fixture('templates/deployment.yaml');

    const found = kubernetesFinder.extract(template, 'charts/web/templates/deployment.yaml', siblings());

    expect(found).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'charts/web/templates/deployment.yaml',
          line: 11,
          severity: 'notice',
          message:
            "Helm template: the image(s) on line(s) 11 are built by template actions ({{ }}); they come from the chart's values file",
        },
      ],
    });
  });
});

describe('helmFinder', () => {
  it('reads a values file without a Chart.yaml as values (helm install -f), and a manifest as a manifest', () => {
    const content = 'image:\n  repository: nginx\n  tag: "1.25"\n';
    const manifest =
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: redis:7\nimage:\n  repository: nginx\n  tag: "1"\n';

    expect(
      helmFinder.extract(content, 'deploy/values.yaml', siblings()).occurrences.map((o) => o.raw),
    ).toEqual(['nginx']);
    expect(
      helmFinder.extract(content, 'values.yaml', siblings('Chart.yaml')).occurrences.map((o) => o.raw),
    ).toEqual(['nginx']);
    expect(
      helmFinder.extract(manifest, 'test/values.yaml', siblings()).occurrences.map((o) => o.raw),
    ).toEqual(['redis:7']);
  });

  it.each([
    ['values.yaml', true],
    ['charts/web/values-prod.yml', true],
    ['charts/web/my-values.yaml', true],
    ['charts/web/ci/ct-values.yaml', true],
    ['charts/web/values.schema.json', false],
    ['charts/web/templates/values.yaml', false],
    ['charts/web/Chart.yaml', false],
  ])('matches %s → %s', (path, expected) => {
    expect(helmFinder.matches(path)).toBe(expected);
  });
});

describe('extractHelmValues', () => {
  it('uses the digest when the tag is empty, and keeps a tag written in the repository', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const content = `a:\n  image: {repository: x, tag: "", digest: "${digest}"}\nb:\n  image:\n    repository: y:2\n`;

    const result = extractHelmValues(content, 'values.yaml');

    expect(result.occurrences.map((o) => o.reference)).toEqual([
      ref('docker.io', 'library/x', undefined, digest),
      ref('docker.io', 'library/y', '2'),
    ]);
  });

  it('reads an image block reached through an alias once, at the anchored mapping', () => {
    const content =
      'defaults: &img {repository: nginx, tag: "1"}\nweb:\n  image: *img\napi:\n  image: *img\n';

    const result = extractHelmValues(content, 'values.yaml');

    expect(result.occurrences.map((o) => [o.raw, o.start])).toEqual([['nginx', { line: 1, column: 29 }]]);
  });

  it('reports templated values and ignores image keys that are not images', () => {
    const content = `image:\n  repository: "{{ .Values.global.repo }}"\n  tag: "1"\nlogo:\n  image: {width: 10}\nimageRegistry: x\n`;

    const result = extractHelmValues(content, 'values.yaml');

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'values.yaml',
          line: 2,
          severity: 'warning',
          message:
            'repository "{{ .Values.global.repo }}" contains a template expression ({{ }}), resolved only at deploy time',
        },
      ],
    });
  });

  it('takes a repository + tag mapping outside image keys only when something says it is an image', () => {
    const values = [
      'backup:',
      '  repository: s3-backups',
      '  tag: nightly',
      'helmRepo: {repository: bitnami, tag: stable}',
      'exporter: {repository: prom/statsd-exporter, tag: v0.27.1}',
      'cache: {registry: docker.io, repository: redis, tag: 7.4.0}',
      'proxy: {repository: envoy, tag: v1.31.0, pullPolicy: IfNotPresent}',
      'sidecar: {repository: alpine, tag: "3.20"}',
      '',
    ].join('\n');

    const result = extractHelmValues(values, 'values.yaml');

    expect(result.occurrences.map((o) => [o.raw, o.reference])).toEqual([
      ['prom/statsd-exporter', ref('docker.io', 'prom/statsd-exporter', 'v0.27.1')],
      ['redis', ref('docker.io', 'library/redis', '7.4.0')],
      ['envoy', ref('docker.io', 'library/envoy', 'v1.31.0')],
      ['alpine', ref('docker.io', 'library/alpine', '3.20')],
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('stops walking past the depth bound with one diagnostic', () => {
    const content = `${'a: {'.repeat(MAX_VALUES_DEPTH + 5)}image: nginx:1${'}'.repeat(MAX_VALUES_DEPTH + 5)}\n`;

    const result = extractHelmValues(content, 'values.yaml');

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'values.yaml',
          line: 1,
          severity: 'warning',
          message: 'values nested deeper than 64 levels are not scanned',
        },
      ],
    });
  });
});
