/**
 * The non-YAML files of a platform repository and its smaller image-bearing YAML: Dockerfiles,
 * compose files, Helm charts (Chart.yaml, values.yaml), kustomizations, and sources (TypeScript,
 * Go, Python, Markdown). Synthetic content for the scan benchmark.
 */
import { IMAGES } from './k8s-docs.js';
import type { Rng } from './random.js';

/** A multi-stage Dockerfile with ARG-built base images. */
export function dockerfile(rng: Rng): string {
  const runs = Array.from(
    { length: rng.between(2, 12) },
    () =>
      `RUN ${rng.pick(['apt-get install -y', 'go build -o /out/', 'npm ci &&', 'pip install'])} ${rng.word()}`,
  );
  return `# syntax=docker/dockerfile:1.6
ARG BASE=${rng.pick(IMAGES)}
ARG GO_VERSION=1.22
FROM golang:\${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
${runs.join('\n')}
FROM \${BASE}
COPY --from=build /out/ /usr/local/bin/
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/${rng.word()}"]
`;
}

/** A compose file with a few services, some built locally. */
export function compose(rng: Rng, name: string): string {
  const services = Array.from({ length: rng.between(1, 6) }, (_, i) =>
    i === 0
      ? `  ${name}:\n    build: .\n    image: acme/${name}:dev\n    ports: ["${8000 + rng.int(1000)}:8080"]\n    depends_on: [db]`
      : `  ${rng.word()}${i}:\n    image: ${rng.pick(IMAGES)}\n    environment:\n      ${rng.word().toUpperCase()}: "${rng.word()}"\n    volumes:\n      - ./data/${rng.word()}:/data`,
  );
  return `services:\n${services.join('\n')}\n  db:\n    image: postgres:16.1\n    environment:\n      POSTGRES_PASSWORD: example\n`;
}

/** A chart's Chart.yaml and values.yaml (image repository and tag as Helm values). */
export function chart(rng: Rng, name: string): [string, string] {
  const [repository, tag = 'latest'] = rng
    .pick(IMAGES)
    .split('@')[0]!
    .split(/:(?=[^/:]+$)/);
  const chartYaml = `apiVersion: v2\nname: ${name}\nversion: 0.${rng.int(30)}.${rng.int(10)}\nappVersion: "${tag}"\ndependencies:\n  - name: common\n    version: 2.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n`;
  const values = `replicaCount: ${rng.between(1, 5)}
image:
  repository: ${repository}
  tag: "${tag}"
  pullPolicy: IfNotPresent
serviceAccount:
  create: true
resources:
  limits: {cpu: 500m, memory: 512Mi}
${rng.word()}:
  enabled: ${rng.chance(0.5)}
  ${rng.word()}: ${rng.int(100)}
`;
  return [chartYaml, values];
}

/** A kustomization with an image override. */
export function kustomization(rng: Rng): string {
  const [name, tag = 'latest'] = rng
    .pick(IMAGES)
    .split('@')[0]!
    .split(/:(?=[^/:]+$)/);
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: ${name}
    newTag: "${tag}"
patches:
  - path: ${rng.word()}-patch.yaml
`;
}

/** A source file of `ext` (ts, go, py, md), 1–8 KB. */
export function source(rng: Rng, ext: 'ts' | 'go' | 'py' | 'md', name: string): string {
  const lines = rng.between(8, 60);
  const make = {
    ts: (i: number) =>
      `export function ${rng.word()}${i}(input: string): number { return input.length + ${i}; }`,
    go: (i: number) => `func ${rng.word()}${i}(ctx context.Context) error { return nil } // ${rng.words(3)}`,
    py: (i: number) => `def ${rng.word()}_${i}(value):\n    return value * ${i}  # ${rng.words(3)}`,
    md: (i: number) =>
      i % 15 === 0
        ? `\n    docker run --rm ${rng.pick(IMAGES)} ${rng.word()}\n`
        : `${rng.words(rng.between(6, 16))}.`,
  }[ext];
  const header = ext === 'md' ? `# ${name}\n\n` : ext === 'go' ? `package ${rng.word()}\n\n` : '';
  return header + Array.from({ length: lines }, (_, i) => make(i)).join('\n') + '\n';
}
