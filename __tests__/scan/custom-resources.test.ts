/**
 * Operators' custom resources: pod specs wherever they sit under `spec`, clear `image` values,
 * `{repository, tag}` maps, and the places that must never yield an image (CRD schemas, `status`,
 * `rbd.image`, machine images, untagged repositories a tool watches, commented lines).
 */
import { describe, expect, it } from 'vitest';
import { extractKubernetes, kubernetesFinder } from '../../src/scan/kubernetes/index.js';
import { diagnosticLines, projectContext, scanFixture, spansMatch, summary } from './scan-tree.js';
import { fieldsOccurrence, ref, scalarOccurrence, spanOf } from './yaml-expect.js';

describe('custom resources', () => {
  it('reads a pod spec nested anywhere under spec (a Ray worker group)', () => {
    const content = [
      'apiVersion: ray.io/v1',
      'kind: RayCluster',
      'spec:',
      '  workerGroupSpecs:',
      '    - groupName: small',
      '      template:',
      '        spec:',
      '          containers:',
      '            - name: worker',
      '              image: rayproject/ray:2.34.0',
      'status:',
      '  head: {image: rayproject/ray:2.9.0}',
      '',
    ].join('\n');

    expect(extractKubernetes(content, 'ray.yaml')).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'ray.yaml',
          kind: 'kubernetes',
          snippet: 'rayproject/ray:2.34.0',
          start: { line: 10, column: 22 },
          end: { line: 10, column: 43 },
          reference: ref('docker.io', 'rayproject/ray', '2.34.0'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('reads spec.image next to container overrides, and {repository, tag} maps', () => {
    const content = [
      'apiVersion: monitoring.coreos.com/v1',
      'kind: Prometheus',
      'spec:',
      '  image: quay.io/prometheus/prometheus:v2.54.1',
      '  containers:',
      '    - name: prometheus',
      '  values:',
      '    exporter:',
      '      image: {repository: quay.io/prometheus/node-exporter, tag: v1.8.2}',
      '',
    ].join('\n');

    const result = extractKubernetes(content, 'prometheus.yaml');

    const exporter = spanOf(content, 'quay.io/prometheus/node-exporter');
    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'prometheus.yaml',
          kind: 'kubernetes',
          snippet: 'quay.io/prometheus/prometheus:v2.54.1',
          start: { line: 4, column: 10 },
          end: { line: 4, column: 47 },
          reference: ref('quay.io', 'prometheus/prometheus', 'v2.54.1'),
        }),
        fieldsOccurrence({
          file: 'prometheus.yaml',
          kind: 'kubernetes',
          main: exporter,
          start: { line: 9, column: 27 },
          end: { line: 9, column: 59 },
          reference: ref('quay.io', 'prometheus/node-exporter', 'v1.8.2'),
          fields: { repository: exporter, tag: spanOf(content, 'v1.8.2') },
          mapping: {
            start: content.indexOf('{repository'),
            end: content.indexOf('v1.8.2}') + 7,
            flow: true,
            indent: 14,
          },
        }),
      ],
      diagnostics: [],
    });
  });

  it.each([
    ['an untagged repository a tool watches', 'spec:\n  image: ghcr.io/stefanprodan/podinfo\n'],
    ['a machine image name', 'spec:\n  machine:\n    image: ubuntu-2204-kube-v1.30\n'],
    ['a Ceph block device', 'spec:\n  volumes:\n    - rbd: {pool: kube, image: "disk:v1"}\n'],
    ['status', 'spec: {}\nstatus:\n  image: memcached:1.6.21\n'],
    [
      'a status nested in spec',
      'spec:\n  members:\n    - name: a\n      status: {image: memcached:1.6.21}\n',
    ],
    [
      'a schema nested in spec',
      'spec:\n  schema:\n    properties: {image: {default: "redis:7.0.0"}}\n    example: {image: "redis:7.0.0"}\n',
    ],
    ['a templated value', 'spec:\n  image: "{{ .Values.image }}:1"\n'],
    ['an image block without a tag', 'spec:\n  image: {repository: nginx, tag: ""}\n'],
  ])('takes nothing from %s', (_, body) => {
    const content = `apiVersion: example.com/v1\nkind: Thing\n${body}`;

    expect(extractKubernetes(content, 'thing.yaml')).toEqual({ occurrences: [], diagnostics: [] });
  });

  it('never reads a CustomResourceDefinition, whatever its spec says', () => {
    const legacy =
      'apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nspec:\n  names: {kind: Cache}\n  additionalPrinterColumns:\n    - {name: Image, type: string, JSONPath: .spec.image, example: {image: "redis:7.0.0"}}\n';
    expect(extractKubernetes(legacy, 'crd.yaml')).toEqual({ occurrences: [], diagnostics: [] });
    const content =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  versions:\n    - schema:\n        openAPIV3Schema:\n          properties:\n            image: {type: string, default: "redis:7.0.0"}\n            containers:\n              default: [{name: a, image: "nginx:1"}]\n';

    expect(extractKubernetes(content, 'crd.yaml')).toEqual({ occurrences: [], diagnostics: [] });
  });

  it('keeps built-in kinds to their pod spec (a PersistentVolume rbd image is no image)', () => {
    const content =
      'apiVersion: v1\nkind: PersistentVolume\nspec:\n  rbd:\n    image: foo:bar\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  image: nginx:1\n  template: {spec: {containers: [{name: a, image: "redis:7"}]}}\n';

    expect(extractKubernetes(content, 'pv.yaml').occurrences.map((o) => o.raw)).toEqual(['"redis:7"']);
  });

  it('reads operator images handed over in --*image=/--*reloader= arguments, with the value as the span', () => {
    const content = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: prometheus-operator',
      '          image: quay.io/prometheus-operator/prometheus-operator:v0.76.0',
      '          args:',
      '            - --kubelet-service=kube-system/kubelet',
      '            - "--prometheus-config-reloader=quay.io/prometheus-operator/prometheus-config-reloader:v0.76.0"',
      '            - --image-pull-policy=IfNotPresent',
      '            - --acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:RELEASE_TAG',
      // An escape makes the source text differ from the value: no exact span, so not reported.
      '            - "--sidecar-image=busybox:1.3\\u0036"',
      '',
    ].join('\n');

    const result = extractKubernetes(content, 'bundle.yaml');

    const reloader = 'quay.io/prometheus-operator/prometheus-config-reloader:v0.76.0';
    expect(result.occurrences[1]).toEqual({
      file: 'bundle.yaml',
      kind: 'kubernetes',
      start: { line: 11, column: 45 },
      end: { line: 11, column: 107 },
      raw: reloader,
      reference: ref('quay.io', 'prometheus-operator/prometheus-config-reloader', 'v0.76.0'),
      target: { type: 'scalar', scalar: spanOf(content, reloader, { style: 'double-inner' }), prefix: '' },
    });
    expect(result.occurrences.map((o) => o.raw)).toEqual([
      'quay.io/prometheus-operator/prometheus-operator:v0.76.0',
      reloader,
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('reads operator images handed over in container env (RELATED_IMAGE_*, *_IMAGE) when tagged', () => {
    const content = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: manager',
      '          image: registry.example.com/pgo/operator:5.6.1',
      '          env:',
      '            - {name: RELATED_IMAGE_POSTGRES_16, value: "registry.example.com/pgo/postgres:16.4-1"}',
      '            - {name: SIDECAR_IMAGE, value: busybox}',
      '            - {name: WATCH_NAMESPACE, value: "ns:1"}',
      '',
    ].join('\n');

    expect(extractKubernetes(content, 'operator.yaml').occurrences.map((o) => o.raw)).toEqual([
      'registry.example.com/pgo/operator:5.6.1',
      '"registry.example.com/pgo/postgres:16.4-1"',
    ]);
  });
});

describe('JSON manifests', () => {
  it("reads a tab-indented JSON manifest with exact spans, and never a chart's values.schema.json", () => {
    const content =
      '{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"spec": {\n\t\t"containers": [\n\t\t\t{"name": "web", "image": "registry.k8s.io/pause:3.10"}\n\t\t]\n\t}\n}\n';
    const context = projectContext({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\nappVersion: "1"\n',
      'chart/values.schema.json':
        '{"properties": {"image": {"properties": {"repository": "nginx", "tag": "1"}}}}',
    });

    expect(kubernetesFinder.matches('examples/pod.json')).toBe(true);
    expect(extractKubernetes(content, 'examples/pod.json').occurrences).toEqual([
      scalarOccurrence(content, {
        file: 'examples/pod.json',
        kind: 'kubernetes',
        snippet: '"registry.k8s.io/pause:3.10"',
        style: 'double',
        value: 'registry.k8s.io/pause:3.10',
        start: { line: 6, column: 29 },
        end: { line: 6, column: 57 },
        reference: ref('registry.k8s.io', 'pause', '3.10'),
      }),
    ]);
    const schema = context.project!.read('chart/values.schema.json')!;
    expect(kubernetesFinder.extract(schema, 'chart/values.schema.json', context)).toEqual({
      occurrences: [],
      diagnostics: [],
    });
  });
});

describe('operator samples (Ray, JobSet, LeaderWorkerSet, ECK, Prometheus, Postgres, Cassandra, Redis failover, Kyverno)', () => {
  const result = scanFixture('kubernetes/operators');

  it('finds every image the resources run', () => {
    expect(summary(result)).toEqual([
      'databases.yaml:8:16 kubernetes ghcr.io/zalando/spilo-16:3.3-p1 ghcr.io/zalando/spilo-16:3.3-p1',
      'databases.yaml:15:14 kubernetes quay.io/prometheuscommunity/postgres-exporter:v0.15.0 quay.io/prometheuscommunity/postgres-exporter:v0.15.0',
      'databases.yaml:25:10 kubernetes registry.developers.crunchydata.com/crunchydata/crunchy-postgres:ubi8-16.4-1 registry.developers.crunchydata.com/crunchydata/crunchy-postgres:ubi8-16.4-1',
      'databases.yaml:36:14 kubernetes registry.developers.crunchydata.com/crunchydata/crunchy-pgbackrest:ubi8-2.53-1 registry.developers.crunchydata.com/crunchydata/crunchy-pgbackrest:ubi8-2.53-1',
      'databases.yaml:41:14 kubernetes registry.developers.crunchydata.com/crunchydata/crunchy-pgbouncer:ubi8-1.23-1 registry.developers.crunchydata.com/crunchydata/crunchy-pgbouncer:ubi8-1.23-1',
      'databases.yaml:50:12 kubernetes docker.io/library/redis:7.2.5-alpine redis:7.2.5-alpine',
      'databases.yaml:53:12 kubernetes docker.io/library/redis:7.2.5-alpine redis:7.2.5-alpine',
      'databases.yaml:56:14 kubernetes quay.io/oliver006/redis_exporter:v1.62.0 quay.io/oliver006/redis_exporter:v1.62.0',
      'elastic.yaml:7:10 kubernetes docker.elastic.co/elasticsearch/elasticsearch:8.15.0 docker.elastic.co/elasticsearch/elasticsearch:8.15.0',
      'elastic.yaml:17:22 kubernetes docker.io/library/busybox:1.36 docker.io/library/busybox:1.36',
      'elastic.yaml:45:18 kubernetes docker.elastic.co/kibana/kibana:8.15.0 docker.elastic.co/kibana/kibana:8.15.0',
      'jobset.yaml:18:26 kubernetes nvcr.io/nvidia/pytorch:24.07-py3 "nvcr.io/nvidia/pytorch:24.07-py3"',
      "jobset.yaml:29:26 kubernetes nvcr.io/nvidia/pytorch:24.07-py3 'nvcr.io/nvidia/pytorch:24.07-py3'",
      'jobset.yaml:32:30 kubernetes ghcr.io/example-org/profiler:0.4.2 ghcr.io/example-org/profiler:0.4.2',
      'jobset.yaml:52:20 kubernetes docker.io/vllm/vllm-openai:v0.6.3 vllm/vllm-openai:v0.6.3',
      'jobset.yaml:58:20 kubernetes docker.io/vllm/vllm-openai:v0.6.3 vllm/vllm-openai:v0.6.3',
      'monitoring.yaml:7:10 kubernetes quay.io/prometheus/prometheus:v2.54.1 quay.io/prometheus/prometheus:v2.54.1',
      'monitoring.yaml:16:14 kubernetes quay.io/oauth2-proxy/oauth2-proxy:v7.6.0 quay.io/oauth2-proxy/oauth2-proxy:v7.6.0',
      'monitoring.yaml:19:12 kubernetes quay.io/thanos/thanos:v0.36.1 quay.io/thanos/thanos:v0.36.1',
      'monitoring.yaml:28:10 kubernetes quay.io/prometheus/alertmanager:v0.27.0 "quay.io/prometheus/alertmanager:v0.27.0"',
      'postgres-cassandra.yaml:9:16 kubernetes ghcr.io/zalando/spilo-16:3.3-p2 ghcr.io/zalando/spilo-16:3.3-p2',
      'postgres-cassandra.yaml:18:18 kubernetes docker.io/k8ssandra/cass-management-api:4.1.5 "k8ssandra/cass-management-api:4.1.5"',
      'postgres-cassandra.yaml:29:14 kubernetes ghcr.io/cloudnative-pg/postgresql:16.4 ghcr.io/cloudnative-pg/postgresql:16.4',
      'postgres-cassandra.yaml:34:22 kubernetes ghcr.io/example-org/pgvector-extension:0.7.4-16 ghcr.io/example-org/pgvector-extension:0.7.4-16',
      'ray.yaml:16:20 kubernetes docker.io/rayproject/ray:2.34.0-py311 rayproject/ray:2.34.0-py311',
      'ray.yaml:32:22 kubernetes docker.io/library/busybox:1.36.1 busybox:1.36.1',
      'ray.yaml:36:22 kubernetes docker.io/rayproject/ray-ml:2.34.0-gpu rayproject/ray-ml:2.34.0-gpu',
      'ray.yaml:56:22 kubernetes docker.io/rayproject/ray:2.34.0 rayproject/ray:2.34.0',
      'ray.yaml:62:18 kubernetes docker.io/rayproject/ray:2.34.0 rayproject/ray:2.34.0',
      'search-policies.yaml:16:22 kubernetes docker.io/library/busybox:latest busybox',
      'search-policies.yaml:68:24 kubernetes registry.example.com/library/nginx:1.27 registry.example.com/library/nginx:1.27',
      'traps.yaml:91:18 kubernetes docker.io/flyway/flyway:10.17 flyway/flyway:10.17',
    ]);
    expect(spansMatch(result)).toEqual([]);
    expect(diagnosticLines(result)).toEqual([]);
  });

  it('reports none of the traps: schemas, status, rbd, machine images, untagged and commented images, policy patterns', () => {
    const text = summary(result).join('\n');

    for (const trap of [
      'redis:7.0.0',
      'memcached',
      'foo:bar',
      'blockdev',
      'ubuntu-2204',
      'podinfo',
      'flyway:10 ',
      '8.14.3',
      'billing-api',
      'example-org/signed',
      'nginx:1.0',
    ])
      expect(text).not.toContain(trap);
    expect(text).not.toMatch(/alertmanager:latest|LOG_IMAGE|enabled/);
  });
});
