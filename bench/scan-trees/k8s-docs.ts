/**
 * Kubernetes documents in the shape a Helm-rendered bundle has (`helm template` output):
 * ConfigMaps with embedded config files, Secrets, RBAC, Services, workloads with several
 * containers, autoscalers, and CustomResourceDefinitions with large OpenAPI schemas. Written for
 * the scan benchmark; the content is synthetic.
 */
import type { Rng } from './random.js';

/** Image references as real charts write them: tags, digests, registries with ports, library images. */
export const IMAGES = [
  'nginx:1.25.3',
  'docker.io/library/redis:7.2.4-alpine',
  'postgres:16.1',
  'quay.io/prometheus/node-exporter:v1.7.0',
  'registry.k8s.io/ingress-nginx/controller:v1.9.5@sha256:b3aba22b1da80e7acfc52b115cae1d4c687172cbf2b742d5b502419c25ff340e',
  'gcr.io/distroless/static-debian12:nonroot',
  'ghcr.io/acme/payments-api:2.14.0',
  'us-docker.pkg.dev/acme-prod/services/ledger:1.8.2',
  'busybox:1.36',
  'bitnami/kubectl:1.29.1',
  'registry.internal.acme.io:5000/platform/envoy:v1.29.0',
  'otel/opentelemetry-collector-contrib:0.93.0',
];

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n');

function metadata(rng: Rng, name: string, chart: string): string {
  return `metadata:
  name: ${name}
  namespace: ${rng.word()}-${rng.pick(['dev', 'staging', 'prod'])}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/instance: ${chart}
    app.kubernetes.io/version: "${rng.between(1, 9)}.${rng.int(30)}.${rng.int(10)}"
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: ${chart}-${rng.between(0, 4)}.${rng.int(20)}.${rng.int(9)}`;
}

/** A ConfigMap holding an application config file and some flat keys. */
export function configMap(rng: Rng, name: string, chart: string): string {
  const settings = Array.from(
    { length: rng.between(5, 20) },
    (_, i) => `${rng.word()}_${rng.word()}_${i}: "${rng.words(rng.between(1, 4))}"`,
  );
  const appConfig = Array.from(
    { length: rng.between(10, 30) },
    (_, i) =>
      `${i % 4 === 0 ? '' : '  '}${rng.word()}${i}: ${i % 4 === 0 ? '' : rng.pick(['true', '30s', `"${rng.word()}"`, String(rng.int(9000))])}`,
  );
  return `apiVersion: v1
kind: ConfigMap
${metadata(rng, `${name}-config`, chart)}
data:
${indent(settings.join('\n'), 2)}
  application.yaml: |
${indent(appConfig.join('\n'), 4)}`;
}

/** A Secret with base64 data (certificates, passwords). */
export function secret(rng: Rng, name: string, chart: string): string {
  const data = Array.from(
    { length: rng.between(1, 5) },
    (_, i) => `${rng.word()}-${i}: ${rng.base64(rng.between(24, 600))}`,
  );
  return `apiVersion: v1
kind: Secret
${metadata(rng, `${name}-secret`, chart)}
type: Opaque
data:
${indent(data.join('\n'), 2)}`;
}

/** ServiceAccount, Role and RoleBinding. */
export function rbac(rng: Rng, name: string, chart: string): string[] {
  const rules = Array.from(
    { length: rng.between(2, 8) },
    () => `- apiGroups: ["${rng.pick(['', 'apps', 'batch', 'networking.k8s.io', 'acme.io'])}"]
  resources: ["${rng.word()}s", "${rng.word()}s/status"]
  verbs: ["get", "list", "watch"${rng.chance(0.3) ? ', "update", "patch"' : ''}]`,
  );
  return [
    `apiVersion: v1\nkind: ServiceAccount\n${metadata(rng, name, chart)}\nautomountServiceAccountToken: false`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n${metadata(rng, name, chart)}\nrules:\n${rules.join('\n')}`,
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
${metadata(rng, name, chart)}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${name}
subjects:
  - kind: ServiceAccount
    name: ${name}`,
  ];
}

/** A Service. */
export function service(rng: Rng, name: string, chart: string): string {
  return `apiVersion: v1
kind: Service
${metadata(rng, name, chart)}
spec:
  type: ${rng.pick(['ClusterIP', 'ClusterIP', 'NodePort'])}
  ports:
    - name: http
      port: 80
      targetPort: ${rng.pick([8080, 3000, 9000])}
      protocol: TCP
  selector:
    app.kubernetes.io/name: ${name}`;
}

function container(rng: Rng, name: string, image: string): string {
  const env = Array.from(
    { length: rng.between(3, 12) },
    (_, i) => `- name: ${rng.word().toUpperCase()}_${i}\n  value: "${rng.words(rng.between(1, 3))}"`,
  );
  return `- name: ${name}
  image: ${rng.chance(0.2) ? `"${image}"` : image}
  imagePullPolicy: IfNotPresent
  ports:
    - name: http
      containerPort: 8080
  env:
${indent(env.join('\n'), 4)}
  resources:
    limits: {cpu: ${rng.between(1, 4)}, memory: ${rng.pick(['256Mi', '512Mi', '1Gi'])}}
    requests:
      cpu: ${rng.between(50, 500)}m
      memory: 128Mi
  readinessProbe:
    httpGet:
      path: /healthz
      port: http
    periodSeconds: 10
  volumeMounts:
    - name: config
      mountPath: /etc/${name}`;
}

/** A Deployment, StatefulSet or DaemonSet with an init container and one to three containers. */
export function workload(rng: Rng, name: string, chart: string): string {
  const kind = rng.pick(['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet']);
  const containers = Array.from({ length: rng.between(1, 2) }, (_, i) =>
    container(rng, i === 0 ? name : `${rng.word()}-sidecar`, rng.pick(IMAGES)),
  );
  return `apiVersion: apps/v1
kind: ${kind}
${metadata(rng, name, chart)}
spec:
${kind === 'DaemonSet' ? '' : `  replicas: ${rng.between(1, 6)}\n`}  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      annotations:
        checksum/config: ${rng.base64(40)}
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: true
        fsGroup: 1000
      initContainers:
${indent(container(rng, 'migrate', rng.pick(IMAGES)), 8)}
      containers:
${indent(containers.join('\n'), 8)}
      volumes:
        - name: config
          configMap:
            name: ${name}-config
      tolerations:
        - key: dedicated
          operator: Equal
          value: ${rng.word()}
          effect: NoSchedule`;
}

/** A CronJob running one container. */
export function cronJob(rng: Rng, name: string, chart: string): string {
  return `apiVersion: batch/v1
kind: CronJob
${metadata(rng, `${name}-cron`, chart)}
spec:
  schedule: "${rng.int(60)} ${rng.int(24)} * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
${indent(container(rng, 'job', rng.pick(IMAGES)), 12)}`;
}

/** HorizontalPodAutoscaler, PodDisruptionBudget and Ingress: no images. */
export function extras(rng: Rng, name: string, chart: string): string[] {
  return [
    `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
${metadata(rng, name, chart)}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: 2
  maxReplicas: ${rng.between(4, 40)}
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}`,
    `apiVersion: policy/v1\nkind: PodDisruptionBudget\n${metadata(rng, name, chart)}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}`,
    `apiVersion: networking.k8s.io/v1
kind: Ingress
${metadata(rng, name, chart)}
spec:
  ingressClassName: nginx
  rules:
    - host: ${name}.${rng.word()}.acme.io
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: ${name}, port: {name: http}}`,
  ];
}

function schemaProperties(rng: Rng, depth: number): string {
  const count = depth === 0 ? rng.between(6, 10) : rng.between(2, 5);
  const props = Array.from({ length: count }, (_, i) => {
    const key =
      i === 0 && rng.chance(0.3)
        ? 'image'
        : `${rng.word()}${rng.word().replace(/^./, (c) => c.toUpperCase())}`;
    const description = `description: ${rng.words(rng.between(8, 30))}`;
    if (depth >= 3 || rng.chance(0.55))
      return `${key}:\n  ${description}\n  type: ${rng.pick(['string', 'integer', 'boolean'])}`;
    return `${key}:\n  ${description}\n  type: object\n  properties:\n${indent(schemaProperties(rng, depth + 1), 4)}`;
  });
  return props.join('\n');
}

/** A CustomResourceDefinition with a large OpenAPI v3 schema (no images, but `image` properties). */
export function crd(rng: Rng, name: string): string {
  const plural = `${name}s`;
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.acme.io
  annotations:
    controller-gen.kubebuilder.io/version: v0.14.0
spec:
  group: acme.io
  names: {kind: ${name.replace(/^./, (c) => c.toUpperCase())}, plural: ${plural}, singular: ${name}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
${indent(schemaProperties(rng, 0), 16)}`;
}
