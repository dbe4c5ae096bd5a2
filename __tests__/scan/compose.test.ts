import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeFinder, extractCompose, interpolateCompose } from '../../src/scan/compose/index.js';
import { ref, scalarOccurrence } from './yaml-expect.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/compose/${name}`, import.meta.url), 'utf8');

describe('interpolateCompose', () => {
  it.each([
    ['nginx:1', { ok: true, value: 'nginx:1' }],
    [`nginx:\${TAG:-1.25}`, { ok: true, value: 'nginx:1.25' }],
    [`nginx:\${TAG-1.25}`, { ok: true, value: 'nginx:1.25' }],
    [`\${REG:-docker.io}/\${NAME:-redis}:7`, { ok: true, value: 'docker.io/redis:7' }],
    [`\${IMG:-\${BASE:-nginx}:1}`, { ok: true, value: 'nginx:1' }],
    [`\${EMPTY:-}nginx`, { ok: true, value: 'nginx' }],
    ['a$$b', { ok: true, value: 'a$b' }],
    ['a$', { ok: true, value: 'a$' }],
    [`\${IMAGE}`, { ok: false, variable: 'IMAGE' }],
    ['$IMAGE:1', { ok: false, variable: 'IMAGE' }],
    [`\${TAG:?tag is required}`, { ok: false, variable: 'TAG' }],
    [`\${TAG?required}`, { ok: false, variable: 'TAG' }],
    [`\${TAG:+x}`, { ok: false, variable: 'TAG' }],
    [`\${IMG:-\${BASE}}`, { ok: false, variable: 'BASE' }],
    [`nginx:\${TAG`, { ok: false, variable: `\${TAG` }],
  ])('%s', (text, expected) => {
    expect(interpolateCompose(text)).toEqual(expected);
  });
});

describe('extractCompose', () => {
  it('reads services.*.image, skipping a service that builds its image', () => {
    const content = 'services:\n  web:\n    build: .\n    image: acme/web\n  db: {image: "postgres:16"}\n';

    const result = extractCompose(content, 'compose.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'compose.yaml',
          kind: 'compose',
          snippet: '"postgres:16"',
          style: 'double',
          value: 'postgres:16',
          start: { line: 5, column: 15 },
          end: { line: 5, column: 28 },
          reference: ref('docker.io', 'library/postgres', '16'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('ignores image keys outside services and files without services', () => {
    const content = 'x-image: nginx\nvolumes:\n  data: {image: nope}\n---\nimage: nginx\n';

    expect(extractCompose(content, 'compose.yaml')).toEqual({ occurrences: [], diagnostics: [] });
  });

  it('treats build inherited through a merge key as a build', () => {
    const content = 'x-b: &b {build: .}\nservices:\n  web:\n    <<: *b\n    image: acme/web\n';

    expect(extractCompose(content, 'compose.yaml')).toEqual({ occurrences: [], diagnostics: [] });
  });
});

describe('compose fixture', () => {
  it('resolves defaults, reports the unset variable, and reads the merged worker image once', () => {
    const content = fixture('docker-compose.yml');

    const result = composeFinder.extract(content, 'docker-compose.yml', { hasSibling: () => false });

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'docker-compose.yml',
          kind: 'compose',
          snippet: `"postgres:\${POSTGRES_VERSION-16.2}-alpine"`,
          style: 'double',
          value: `postgres:\${POSTGRES_VERSION-16.2}-alpine`,
          start: { line: 22, column: 12 },
          end: { line: 22, column: 54 },
          reference: ref('docker.io', 'library/postgres', '16.2-alpine'),
        }),
        scalarOccurrence(content, {
          file: 'docker-compose.yml',
          kind: 'compose',
          snippet: 'redis:7.2',
          start: { line: 27, column: 12 },
          end: { line: 27, column: 21 },
          reference: ref('docker.io', 'library/redis', '7.2'),
        }),
        scalarOccurrence(content, {
          file: 'docker-compose.yml',
          kind: 'compose',
          snippet: `ghcr.io/acme/worker:\${WORKER_TAG:-1.8.0}`,
          start: { line: 9, column: 10 },
          end: { line: 9, column: 50 },
          reference: ref('ghcr.io', 'acme/worker', '1.8.0'),
        }),
      ],
      diagnostics: [
        {
          file: 'docker-compose.yml',
          line: 30,
          severity: 'warning',
          message: `image "\${MAIL_IMAGE}" needs variable MAIL_IMAGE, which has no default here`,
        },
      ],
    });
  });
});

describe('composeFinder.matches', () => {
  it.each([
    ['compose.yaml', true],
    ['compose.yml', true],
    ['deploy/compose.override.yaml', true],
    ['docker-compose.yml', true],
    ['docker-compose.prod.yaml', true],
    ['my-compose.yml', false],
    ['compose.json', false],
  ])('%s → %s', (path, expected) => {
    expect(composeFinder.matches(path)).toBe(expected);
  });
});
