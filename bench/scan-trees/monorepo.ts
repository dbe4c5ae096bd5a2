/**
 * The `monorepo` tree of `npm run bench:scan` (the benchmark's original shape, unchanged so its
 * figures stay comparable): equal numbers of Dockerfiles, two-document manifests (Deployment +
 * Service), compose files, mkdocs configs, TypeScript, Markdown, app-config YAML and Python files.
 */
import type { TreeFile } from './types.js';

const images = [
  'nginx:1.25',
  'redis:7.2-alpine',
  'quay.io/prometheus/node-exporter:v1.8.0',
  'ghcr.io/acme/api:2.3.1',
  'us-docker.pkg.dev/acme/prod/web:1',
];
const pick = (i: number) => images[i % images.length]!;

const generators: ((i: number) => TreeFile)[] = [
  (i) => [
    `svc${i}/Dockerfile`,
    `# syntax=docker/dockerfile:1\nARG BASE=${pick(i)}\nFROM \${BASE} AS build\nRUN make\nFROM ${pick(i + 1)}\nCOPY --from=build /out /app\n`,
  ],
  (i) => [
    `k8s/app${i}/deploy.yaml`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${pick(i)}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app${i}\nspec:\n  ports: [{port: 80}]\n`,
  ],
  (i) => [
    `stack${i}/compose.yaml`,
    `services:\n  web:\n    image: ${pick(i)}\n  api:\n    build: .\n    image: acme/api\n`,
  ],
  (i) => [
    `docs${i}/mkdocs.yml`,
    `site_name: Docs ${i}\ntheme:\n  name: material\nextra:\n  image: img/banner.png\n`,
  ],
  (i) => [`src/pkg${i}/index.ts`, `export const value${i} = ${i};\n// image: not-a-manifest\n`.repeat(20)],
  (i) => [`src/pkg${i}/README.md`, `# Package ${i}\n\nRun \`docker run ${pick(i)}\`.\n`],
  (i) => [
    `conf/settings${i}.yaml`,
    `server:\n  port: ${8000 + (i % 1000)}\n  features: [a, b, c]\nimage:\n  width: 20\n`,
  ],
  (i) => [`lib/mod${i}.py`, `def f${i}():\n    return ${i}\n`.repeat(15)],
];

/** The files of the monorepo tree: exactly `total` files. */
export function* monorepoTree(total: number): Generator<TreeFile> {
  for (let i = 0; i < total; i++) yield generators[i % generators.length]!(i);
}
