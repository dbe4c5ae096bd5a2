/**
 * YAML files that hold no image references, in the shapes a platform repository has many of:
 * OpenAPI specs, application configs, mkdocs sites, CI pipelines, GitHub workflows that run no
 * containers, and tool configs. The scanner's Kubernetes finder reads every `*.yaml`, so these
 * cost it time without giving anything; grep skips through them.
 */
import type { Rng } from './random.js';

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n');

function schema(rng: Rng, name: string): string {
  const fields = Array.from(
    { length: rng.between(3, 15) },
    () =>
      `${rng.word()}${rng.int(100)}:\n  type: ${rng.pick(['string', 'integer', 'boolean', 'number'])}\n  description: ${rng.words(rng.between(4, 16))}`,
  );
  return `${name}:\n  type: object\n  required: [${rng.word()}]\n  properties:\n${indent(fields.join('\n'), 4)}`;
}

function operation(rng: Rng, method: string, name: string): string {
  return `${method}:
  operationId: ${method}${name}
  summary: ${rng.words(rng.between(3, 8))}
  tags: [${rng.word()}]
  parameters:
    - name: ${rng.word()}Id
      in: path
      required: true
      schema: {type: string, format: uuid}
  responses:
    "200":
      description: ${rng.words(4)}
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/${name}"
    "404":
      $ref: "#/components/responses/NotFound"`;
}

/** An OpenAPI 3 document with paths and component schemas (10–60 KB). */
export function openApi(rng: Rng, service: string): string {
  const names = Array.from({ length: rng.between(2, 10) }, (_, i) =>
    `${rng.word()}${i}`.replace(/^./, (c) => c.toUpperCase()),
  );
  const paths = names.map(
    (name) =>
      `/v1/${name.toLowerCase()}s/{id}:\n${indent(['get', 'put', 'delete'].map((m) => operation(rng, m, name)).join('\n'), 2)}`,
  );
  return `openapi: 3.0.3
info:
  title: ${service} API
  version: ${rng.between(1, 3)}.${rng.int(20)}.0
  description: |
    ${rng.words(30)}
servers:
  - url: https://${service}.api.acme.io
paths:
${indent(paths.join('\n'), 2)}
components:
  responses:
    NotFound:
      description: not found
  schemas:
${indent(names.map((name) => schema(rng, name)).join('\n'), 4)}
`;
}

/** A Spring-style application config with nested sections. */
export function appConfig(rng: Rng, service: string): string {
  const sections = Array.from({ length: rng.between(4, 12) }, () => {
    const keys = Array.from(
      { length: rng.between(2, 10) },
      () =>
        `${rng.word()}-${rng.word()}: ${rng.pick([`"${rng.words(2)}"`, String(rng.int(5000)), 'true', '${ENV_VALUE:default}'])}`,
    );
    return `${rng.word()}:\n${indent(keys.join('\n'), 2)}`;
  });
  return `spring:\n  application:\n    name: ${service}\nserver:\n  port: ${rng.pick([8080, 8081, 9000])}\n${sections.join('\n')}\n`;
}

/** A mkdocs site config. */
export function mkdocs(rng: Rng, name: string): string {
  const nav = Array.from(
    { length: rng.between(3, 12) },
    () => `  - ${rng.word()}: ${rng.word()}/${rng.word()}.md`,
  );
  return `site_name: ${name} docs
repo_url: https://github.com/acme/platform
theme:
  name: material
  features: [navigation.tabs, search.highlight]
  logo: assets/${name}.png
markdown_extensions:
  - admonition
  - pymdownx.superfences
nav:
${nav.join('\n')}
`;
}

/** A CI pipeline (Buildkite-like steps running commands, no container images). */
export function ciPipeline(rng: Rng, name: string): string {
  const steps = Array.from(
    { length: rng.between(3, 10) },
    () =>
      `  - label: ":${rng.word()}: ${rng.words(2)}"\n    command: make ${rng.word()} SERVICE=${name}\n    agents: {queue: ${rng.pick(['default', 'large'])}}\n    timeout_in_minutes: ${rng.between(5, 60)}`,
  );
  return `env:\n  SERVICE: ${name}\nsteps:\n${steps.join('\n')}\n`;
}

/** A GitHub Actions workflow on hosted runners: actions only, no `container:` or `services:`. */
export function workflow(rng: Rng, name: string): string {
  const steps = Array.from(
    { length: rng.between(2, 8) },
    () => `      - name: ${rng.words(2)}\n        run: npm run ${rng.word()} --workspace ${name}`,
  );
  return `name: ${name}
on:
  pull_request:
    paths: ["services/${name}/**"]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: {node-version: 20, cache: npm}
${steps.join('\n')}
`;
}

/** Small tool configs (linters, code owners' bots, code generators). */
export function toolConfig(rng: Rng): [string, string] {
  return rng.pick<[string, string]>([
    [
      '.golangci.yml',
      `run:\n  timeout: 5m\nlinters:\n  enable: [errcheck, govet, staticcheck, ${rng.word()}lint]\n`,
    ],
    ['codecov.yml', `coverage:\n  status:\n    project:\n      default: {target: ${rng.between(60, 90)}%}\n`],
    ['buf.yaml', `version: v1\nbreaking:\n  use: [FILE]\nlint:\n  use: [DEFAULT]\n`],
    [
      'sqlc.yaml',
      `version: "2"\nsql:\n  - engine: postgresql\n    queries: query.sql\n    schema: schema.sql\n    gen: {go: {package: ${rng.word()}, out: db}}\n`,
    ],
    [
      '.pre-commit-config.yaml',
      `repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.5.0\n    hooks:\n      - id: trailing-whitespace\n      - id: check-yaml\n`,
    ],
  ]);
}
