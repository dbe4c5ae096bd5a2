import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractKubernetes, kubernetesFinder } from '../../src/scan/kubernetes/index.js';
import { mayHoldImageFlag } from '../../src/scan/kubernetes/pod-spec.js';
import { ref, scalarOccurrence } from './yaml-expect.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/kubernetes/${name}`, import.meta.url), 'utf8');
const DIGEST = 'sha256:4c1f2ea0bd3c21d1f2d8a0c1b1e6a3d5d7f9e2b4c6a8e0f2d4b6c8a0e2f4d6b8';

describe('extractKubernetes: workload kinds', () => {
  it.each([
    ['Pod', 'spec:\n  containers:\n    - image: nginx:1\n', 5],
    ['Deployment', 'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx:1\n', 7],
    ['StatefulSet', 'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx:1\n', 7],
    ['DaemonSet', 'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx:1\n', 7],
    ['ReplicaSet', 'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx:1\n', 7],
    [
      'ReplicationController',
      'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx:1\n',
      7,
    ],
    ['Job', 'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx:1\n', 7],
    ['PodTemplate', 'template:\n  spec:\n    containers:\n      - image: nginx:1\n', 6],
    [
      'CronJob',
      'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - image: nginx:1\n',
      9,
    ],
    ['Rollout', 'spec:\n  template:\n    spec:\n      containers:\n        - image: nginx:1\n', 7],
  ])('reads the pod spec of a %s', (kind, body, line) => {
    const content = `apiVersion: x/v1\nkind: ${kind}\n${body}`;
    const column = content.split('\n')[line - 1]!.indexOf('nginx') + 1;

    const result = extractKubernetes(content, 'k.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'k.yaml',
          kind: 'kubernetes',
          snippet: 'nginx:1',
          start: { line, column },
          end: { line, column: column + 7 },
          reference: ref('docker.io', 'library/nginx', '1'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('reads containers, initContainers, ephemeralContainers and image volumes in order', () => {
    const content = [
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  volumes: [{name: v, image: {reference: quay.io/a/v:1}}]',
      '  ephemeralContainers: [{name: e, image: debug:1}]',
      '  initContainers: [{name: i, image: init:1}]',
      '  containers: [{name: c, image: app:1}]',
      '',
    ].join('\n');

    const images = extractKubernetes(content, 'p.yaml').occurrences.map((o) => o.raw);

    expect(images).toEqual(['app:1', 'init:1', 'debug:1', 'quay.io/a/v:1']);
  });

  it('ignores objects without a pod template and documents without apiVersion and kind', () => {
    const content = [
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  pod.yaml: "spec: {containers: [{image: nginx}]}"',
      'apiVersion: v1\nkind: Service\nspec: {template: {spec: {}}}',
      'kind: Pod\nspec: {containers: [{image: nginx}]}',
      'apiVersion: v1\nspec: {containers: [{image: nginx}]}',
      '- image: nginx',
    ].join('\n---\n');

    expect(extractKubernetes(content, 'x.yaml')).toEqual({ occurrences: [], diagnostics: [] });
  });
});

describe('extractKubernetes: Knative and Cloud Run', () => {
  it('reads a Knative Service, a Revision, a Cloud Run Job and a Cloud Run WorkerPool', () => {
    const content = [
      'apiVersion: serving.knative.dev/v1\nkind: Service\nspec: {template: {spec: {containers: [{image: a:1}]}}}',
      'apiVersion: serving.knative.dev/v1\nkind: Revision\nspec: {containers: [{image: b:1}]}',
      'apiVersion: run.googleapis.com/v1\nkind: Job\nspec: {template: {spec: {template: {spec: {containers: [{image: c:1}]}}}}}',
      'apiVersion: run.googleapis.com/v1\nkind: WorkerPool\nspec: {template: {spec: {containers: [{image: d:1}]}}}',
    ].join('\n---\n');

    const found = extractKubernetes(content, 'k.yaml').occurrences.map((o) => [o.kind, o.raw, o.start.line]);

    expect(found).toEqual([
      ['knative', 'a:1', 3],
      ['knative', 'b:1', 7],
      ['cloud-run', 'c:1', 11],
      ['cloud-run', 'd:1', 15],
    ]);
  });
});

describe('extractKubernetes: lists', () => {
  it('reads the items of a typed list, whose items omit apiVersion and kind', () => {
    const content = 'apiVersion: v1\nkind: PodList\nitems:\n- spec: {containers: [{image: "a:1"}]}\n';

    const result = extractKubernetes(content, '-');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: '-',
          kind: 'kubernetes',
          snippet: '"a:1"',
          style: 'double',
          value: 'a:1',
          start: { line: 4, column: 31 },
          end: { line: 4, column: 36 },
          reference: ref('docker.io', 'library/a', '1'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('stops at lists nested four deep with a diagnostic', () => {
    let content = '{apiVersion: v1, kind: Pod, spec: {containers: [{image: a}]}}';
    for (let i = 0; i < 5; i++) content = `{apiVersion: v1, kind: List, items: [${content}]}`;

    const result = extractKubernetes(content, 'l.yaml');

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'l.yaml',
          line: 1,
          severity: 'warning',
          message: 'lists nested deeper than 4 levels are not scanned',
        },
      ],
    });
  });
});

describe('extractKubernetes: values that are not literal images', () => {
  it('reports templated, variable, invalid and non-string images as diagnostics', () => {
    const content = [
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  containers:',
      '    - image: "{{ .Values.image }}"',
      `    - image: \${IMAGE}`,
      '    - image: Nginx:1',
      '    - image: [a, b]',
      '    - image:',
      '    - image: ""',
      '    - name: no-image',
      '',
    ].join('\n');

    const result = extractKubernetes(content, 'p.yaml');

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'p.yaml',
          line: 5,
          severity: 'warning',
          message:
            'image "{{ .Values.image }}" contains a template expression ({{ }}), resolved only at deploy time',
        },
        {
          file: 'p.yaml',
          line: 6,
          severity: 'warning',
          message: `image "\${IMAGE}" contains a variable ($…), resolved only at deploy time`,
        },
        {
          file: 'p.yaml',
          line: 7,
          severity: 'warning',
          message: 'invalid image reference "Nginx:1": repository "Nginx" must be lowercase',
        },
        {
          file: 'p.yaml',
          line: 8,
          severity: 'warning',
          message: 'expected an image reference, found a sequence',
        },
      ],
    });
  });

  it('reads a Helm chart template line by line: templated image lines get one notice', () => {
    const content =
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: {{ .Values.image.repository }}\n';

    const result = extractKubernetes(content, 'charts/web/templates/deployment.yaml');

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'charts/web/templates/deployment.yaml',
          line: 7,
          severity: 'notice',
          message:
            "Helm template: the image(s) on line(s) 7 are built by template actions ({{ }}); they come from the chart's values file",
        },
      ],
    });
  });

  it('reports an unquoted {{ }} outside a chart as a templated value', () => {
    const content = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: {{ image }}\n';

    const result = extractKubernetes(content, 'ansible/pod.yaml');

    expect(result.diagnostics).toEqual([
      {
        file: 'ansible/pod.yaml',
        line: 5,
        severity: 'warning',
        message: 'image "{{ image }}" contains a template expression ({{ }}), resolved only at deploy time',
      },
    ]);
  });

  it('reports a broken document with its line and still scans the others', () => {
    const content =
      'apiVersion: v1\nkind: Pod\nspec: {containers: [{image: a:1}]\n---\napiVersion: v1\nkind: Pod\nspec: {containers: [{image: b:1}]}\n';

    const result = extractKubernetes(content, 'b.yaml');

    expect(result.occurrences.map((o) => o.raw)).toEqual(['b:1']);
    expect(result.diagnostics).toEqual([
      {
        file: 'b.yaml',
        line: 4,
        severity: 'error',
        message: expect.stringMatching(/^could not parse YAML: /),
      },
    ]);
  });
});

describe('extractKubernetes: anchors and aliases', () => {
  it('reports an anchored image used through aliases once, at the anchored scalar', () => {
    const content = [
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  initContainers:',
      '    - {name: a, image: &img "nginx:1.25"}',
      '  containers:',
      '    - {name: b, image: *img}',
      '    - &c {name: c, image: redis:7}',
      '    - *c',
      '',
    ].join('\n');

    const result = extractKubernetes(content, 'a.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'a.yaml',
          kind: 'kubernetes',
          snippet: '"nginx:1.25"',
          style: 'double',
          value: 'nginx:1.25',
          start: { line: 5, column: 29 },
          end: { line: 5, column: 41 },
          reference: ref('docker.io', 'library/nginx', '1.25'),
        }),
        scalarOccurrence(content, {
          file: 'a.yaml',
          kind: 'kubernetes',
          snippet: 'redis:7',
          start: { line: 8, column: 27 },
          end: { line: 8, column: 34 },
          reference: ref('docker.io', 'library/redis', '7'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('follows merge keys to inherited containers', () => {
    const content =
      'base: &base\n  containers: [{image: a:1}]\napiVersion: v1\nkind: Pod\nspec:\n  <<: *base\n';

    expect(extractKubernetes(content, 'm.yaml').occurrences.map((o) => o.raw)).toEqual(['a:1']);
  });
});

describe('Kubernetes fixtures', () => {
  it('reads a Deployment and skips its Service and the YAML inside its ConfigMap', () => {
    const content = fixture('app.yaml');
    const at = (snippet: string, line: number, column: number, endColumn: number) => ({
      file: 'deploy/app.yaml',
      kind: 'kubernetes' as const,
      snippet,
      start: { line, column },
      end: { line, column: endColumn },
    });

    const result = kubernetesFinder.extract(content, 'deploy/app.yaml', { hasSibling: () => false });

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          ...at('"docker.io/acme/web:2.4.1"', 24, 18, 44),
          style: 'double',
          value: 'docker.io/acme/web:2.4.1',
          reference: ref('docker.io', 'acme/web', '2.4.1'),
        }),
        scalarOccurrence(content, {
          ...at('envoyproxy/envoy:v1.30.1', 28, 18, 42),
          reference: ref('docker.io', 'envoyproxy/envoy', 'v1.30.1'),
        }),
        scalarOccurrence(content, {
          ...at('ghcr.io/acme/web-migrations:2.4.1', 20, 18, 51),
          reference: ref('ghcr.io', 'acme/web-migrations', '2.4.1'),
        }),
        scalarOccurrence(content, {
          ...at(`quay.io/acme/assets@${DIGEST}`, 32, 24, 115),
          reference: ref('quay.io', 'acme/assets', undefined, DIGEST),
        }),
      ],
      diagnostics: [],
    });
  });

  it('reads the pods of a `kubectl get pods -A -o yaml` list, not their status', () => {
    const content = fixture('kubectl-pods.yaml');

    const result = extractKubernetes(content, '-');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: '-',
          kind: 'kubernetes',
          snippet: 'registry.k8s.io/coredns/coredns:v1.11.1',
          start: { line: 13, column: 14 },
          end: { line: 13, column: 53 },
          reference: ref('registry.k8s.io', 'coredns/coredns', 'v1.11.1'),
        }),
        scalarOccurrence(content, {
          file: '-',
          kind: 'kubernetes',
          snippet: 'redis:7.2.4',
          start: { line: 28, column: 14 },
          end: { line: 28, column: 25 },
          reference: ref('docker.io', 'library/redis', '7.2.4'),
        }),
        scalarOccurrence(content, {
          file: '-',
          kind: 'kubernetes',
          snippet: 'busybox',
          nth: 0,
          start: { line: 31, column: 14 },
          end: { line: 31, column: 21 },
          reference: ref('docker.io', 'library/busybox', 'latest'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('reads a Knative service and a Cloud Run job', () => {
    const content = fixture('knative-service.yaml');

    const result = extractKubernetes(content, 'run/service.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'run/service.yaml',
          kind: 'knative',
          snippet: "'ghcr.io/knative/helloworld-go:latest'",
          style: 'single',
          value: 'ghcr.io/knative/helloworld-go:latest',
          start: { line: 15, column: 18 },
          end: { line: 15, column: 56 },
          reference: ref('ghcr.io', 'knative/helloworld-go', 'latest'),
        }),
        scalarOccurrence(content, {
          file: 'run/service.yaml',
          kind: 'knative',
          snippet: 'otel/opentelemetry-collector-contrib:0.98.0',
          start: { line: 19, column: 18 },
          end: { line: 19, column: 61 },
          reference: ref('docker.io', 'otel/opentelemetry-collector-contrib', '0.98.0'),
        }),
        scalarOccurrence(content, {
          file: 'run/service.yaml',
          kind: 'cloud-run',
          snippet: 'python:3.12-slim',
          start: { line: 32, column: 22 },
          end: { line: 32, column: 38 },
          reference: ref('docker.io', 'library/python', '3.12-slim'),
        }),
      ],
      diagnostics: [],
    });
  });

  it.each(['mkdocs.yml', 'settings.yaml'])('finds nothing in %s, which is not a manifest', (name) => {
    expect(extractKubernetes(fixture(name), name)).toEqual({ occurrences: [], diagnostics: [] });
  });
});

describe('extractKubernetes: documents that cannot hold an image', () => {
  it('skips a document without an image key, broken or not, and keeps the positions of the others', () => {
    const content = [
      'apiVersion: v1',
      'kind: Service',
      'spec: {ports: [80',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  containers:',
      '    - image: nginx:1',
      '',
    ].join('\n');

    const result = extractKubernetes(content, 'm.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'm.yaml',
          kind: 'kubernetes',
          snippet: 'nginx:1',
          start: { line: 9, column: 14 },
          end: { line: 9, column: 21 },
          reference: ref('docker.io', 'library/nginx', '1'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('reads a custom resource whose only image key ends in Image (no lowercase "image" in it)', () => {
    const content = [
      'apiVersion: v1',
      'kind: Pod',
      'spec: {containers: [{image: nginx:1}]}',
      '---',
      'apiVersion: k8ssandra.io/v1alpha1',
      'kind: K8ssandraCluster',
      'spec:',
      '  cassandra: {serverImage: k8ssandra/cass-management-api:4.1.5}',
      '',
    ].join('\n');

    const result = extractKubernetes(content, 'k.yaml');

    expect(result.occurrences[1]).toEqual(
      scalarOccurrence(content, {
        file: 'k.yaml',
        kind: 'kubernetes',
        snippet: 'k8ssandra/cass-management-api:4.1.5',
        start: { line: 8, column: 28 },
        end: { line: 8, column: 63 },
        reference: ref('docker.io', 'k8ssandra/cass-management-api', '4.1.5'),
      }),
    );
    expect(result.occurrences).toHaveLength(2);
  });

  it('still reads a document whose image key is written with an escape', () => {
    const content =
      'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Pod\nspec: {containers: [{"\\u0069mage": redis:7}]}\n';

    const result = extractKubernetes(content, 'e.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'e.yaml',
          kind: 'kubernetes',
          snippet: 'redis:7',
          start: { line: 6, column: 36 },
          end: { line: 6, column: 43 },
          reference: ref('docker.io', 'library/redis', '7'),
        }),
      ],
      diagnostics: [],
    });
  });
});

describe('mayHoldImageFlag', () => {
  const regex = /(?:image|reloader)[a-z0-9.-]*=/i;

  it('answers as the regex it replaces on text made of its letters, case variants and look-alikes', () => {
    const unit = fc.constantFrom(...'imageIMAGErloadRLOAD=.-_ 9\nſKİı'.split(''), '--', 'image', 'Reloader');

    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (units) => {
        const text = units.join('');

        expect(mayHoldImageFlag(text)).toBe(regex.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['--prometheus-config-reloader=quay.io/p/r:v1', true],
    ['- --Sidecar-IMAGE.v2=x', true],
    ['image: nginx  # a=b', false],
    ['imagePullPolicy: IfNotPresent\nkey: a==', false],
    ['ſmage= İmage= ımage=', false],
  ])('%j: %s', (text, expected) => {
    expect(mayHoldImageFlag(text)).toBe(expected);
    expect(regex.test(text)).toBe(expected);
  });
});
