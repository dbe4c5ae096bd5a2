import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeFinder, extractCompose, interpolateCompose } from '../../src/scan/compose/index.js';
import { narrowTarget } from '../../src/scan/compose/parts.js';
import type { ImageOccurrence } from '../../src/scan/types.js';
import { tagVariables } from './dockerfile-expect.js';
import { ref, scalarOccurrence, spanOf } from './yaml-expect.js';

/** An occurrence whose target is the literal name in front of a variable tag (a `name` target). */
function nameOccurrence(content: string, expected: Parameters<typeof scalarOccurrence>[1]): ImageOccurrence {
  return {
    ...scalarOccurrence(content, expected),
    target: (() => {
      const scalar = spanOf(content, expected.snippet, expected);
      return { type: 'name' as const, scalar, variables: tagVariables(content, scalar.end) };
    })(),
  };
}

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
    [`\${TAG:?tag is required}`, { ok: false, variable: 'TAG', reason: 'required: tag is required' }],
    [`\${TAG?required}`, { ok: false, variable: 'TAG', reason: 'required: required' }],
    [`\${TAG:+x}`, { ok: false, variable: 'TAG' }],
    [`\${IMG:-\${BASE}}`, { ok: false, variable: 'BASE' }],
    [`nginx:\${TAG`, { ok: false, variable: `\${TAG`, reason: 'missing "}"' }],
  ])('%s', (text, expected) => {
    expect(interpolateCompose(text)).toEqual(expected);
  });
});

describe('extractCompose', () => {
  it('reads services.*.image; a service that builds its image declares it as a build output', () => {
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
      diagnostics: [
        {
          file: 'compose.yaml',
          line: 4,
          severity: 'notice',
          message: 'image "acme/web" names the image that services.web.build builds; not mirrored',
        },
      ],
      buildOutputs: [
        {
          name: 'docker.io/acme/web',
          file: 'compose.yaml',
          line: 4,
          via: 'compose services.web.build',
          scope: 'file',
        },
      ],
    });
  });

  it('ignores image keys outside services and files without services', () => {
    const content = 'x-image: nginx\nvolumes:\n  data: {image: nope}\n---\nimage: nginx\n';

    expect(extractCompose(content, 'compose.yaml')).toEqual({ occurrences: [], diagnostics: [] });
  });

  it('targets the default inside ${VAR:-image} in the scalar style, quotes excluded', () => {
    const content = [
      'services:',
      '  a:',
      '    image: ${A_IMAGE:-postgres:16}',
      '  b:',
      '    image: "${B_IMAGE-redis:7}"',
      "  c: {image: '${C_IMAGE:-nginx:1.27}'}",
      '',
    ].join('\r\n');

    const result = extractCompose(content, 'compose.yaml');

    const file = 'compose.yaml';
    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file,
          kind: 'compose',
          snippet: 'postgres:16',
          style: 'plain-inner',
          start: { line: 3, column: 23 },
          end: { line: 3, column: 34 },
          reference: ref('docker.io', 'library/postgres', '16'),
        }),
        scalarOccurrence(content, {
          file,
          kind: 'compose',
          snippet: 'redis:7',
          style: 'double-inner',
          start: { line: 5, column: 23 },
          end: { line: 5, column: 30 },
          reference: ref('docker.io', 'library/redis', '7'),
        }),
        scalarOccurrence(content, {
          file,
          kind: 'compose',
          snippet: 'nginx:1.27',
          style: 'single-inner',
          start: { line: 6, column: 26 },
          end: { line: 6, column: 36 },
          reference: ref('docker.io', 'library/nginx', '1.27'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('targets the literal name when only the tag is built from variables', () => {
    const content =
      "services:\n  a: {image: 'quay.io/org/app:v${TAG:-1}'}\n  b:\n    image: localhost:5000/x:${T-2}\n";

    const result = extractCompose(content, 'compose.yaml');

    expect(result).toEqual({
      occurrences: [
        nameOccurrence(content, {
          file: 'compose.yaml',
          kind: 'compose',
          snippet: 'quay.io/org/app',
          style: 'single-inner',
          start: { line: 2, column: 15 },
          end: { line: 2, column: 30 },
          reference: ref('quay.io', 'org/app', 'v1'),
        }),
        nameOccurrence(content, {
          file: 'compose.yaml',
          kind: 'compose',
          snippet: 'localhost:5000/x',
          style: 'plain-inner',
          start: { line: 4, column: 12 },
          end: { line: 4, column: 28 },
          reference: ref('localhost:5000', 'x', '2'),
        }),
      ],
      diagnostics: [],
    });
  });

  it.each([
    [
      'a variable registry',
      '${REG:-docker.io}/library/redis:7',
      'plain',
      '${REG:-docker.io}/library/redis:7',
    ],
    ['a variable repository and tag', '${IMG:-redis}:${TAG:-7}', 'plain', '${IMG:-redis}:${TAG:-7}'],
    ['a nested default', '${A:-${B:-redis:7}}', 'plain', '${A:-${B:-redis:7}}'],
    [
      'a variable registry port',
      'localhost:${P:-5000}/library/redis:7',
      'plain',
      'localhost:${P:-5000}/library/redis:7',
    ],
    ['an escape in the double-quoted source', '"${IMG:-redis:\\x37}"', 'double', '${IMG:-redis:7}'],
  ] as const)('keeps the whole scalar for %s', (_what, scalar, style, value) => {
    const content = `services:\n  a:\n    image: ${scalar}\n`;
    const registry = scalar.startsWith('localhost') ? 'localhost:5000' : 'docker.io';

    const result = extractCompose(content, 'compose.yaml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'compose.yaml',
          kind: 'compose',
          snippet: scalar,
          style,
          value,
          start: { line: 3, column: 12 },
          end: { line: 3, column: 12 + scalar.length },
          reference: ref(registry, 'library/redis', '7'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('treats build inherited through a merge key as a build', () => {
    const content = 'x-b: &b {build: .}\nservices:\n  web:\n    <<: *b\n    image: acme/web\n';

    expect(extractCompose(content, 'compose.yaml')).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'compose.yaml',
          line: 5,
          severity: 'notice',
          message: 'image "acme/web" names the image that services.web.build builds; not mirrored',
        },
      ],
      buildOutputs: [
        {
          name: 'docker.io/acme/web',
          file: 'compose.yaml',
          line: 5,
          via: 'compose services.web.build',
          scope: 'file',
        },
      ],
    });
  });
});

describe('compose fixture', () => {
  it('resolves defaults, reports the unset variable, and reads the merged worker image once', () => {
    const content = fixture('docker-compose.yml');

    const result = composeFinder.extract(content, 'docker-compose.yml', { hasSibling: () => false });

    expect(result).toEqual({
      occurrences: [
        nameOccurrence(content, {
          file: 'docker-compose.yml',
          kind: 'compose',
          snippet: 'postgres',
          style: 'double-inner',
          start: { line: 22, column: 13 },
          end: { line: 22, column: 21 },
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
        nameOccurrence(content, {
          file: 'docker-compose.yml',
          kind: 'compose',
          snippet: 'ghcr.io/acme/worker',
          style: 'plain-inner',
          start: { line: 9, column: 10 },
          end: { line: 9, column: 29 },
          reference: ref('ghcr.io', 'acme/worker', '1.8.0'),
        }),
      ],
      diagnostics: [
        {
          file: 'docker-compose.yml',
          line: 18,
          severity: 'notice',
          message: 'image "acme/api:dev" names the image that services.api.build builds; not mirrored',
        },
        {
          file: 'docker-compose.yml',
          line: 30,
          severity: 'warning',
          message: `image "\${MAIL_IMAGE}" needs variable MAIL_IMAGE, which has no default here`,
        },
      ],
      buildOutputs: [
        {
          name: 'docker.io/acme/api',
          tag: 'dev',
          file: 'docker-compose.yml',
          line: 18,
          via: 'compose services.api.build',
          scope: 'file',
        },
      ],
    });
  });
});

describe('narrowTarget', () => {
  const hex = 'a'.repeat(64);
  const redis = ref('docker.io', 'library/redis', '7');

  it.each([
    [
      'redis:${T:-7}',
      { type: 'name', scalar: { start: 0, end: 5, style: 'plain-inner', value: 'redis' }, variables: ['T'] },
    ],
    // A `@` before the variable: the name part would carry a digest, so the scalar stays whole
    // (the Dockerfile finder refuses the same, see dockerfile-parts.test.ts).
    [`redis@sha256:${hex}:\${T}`, undefined],
    ['redis@${D}', undefined],
    ['${N}:7', undefined],
  ])('%s → %j', (value, expected) => {
    const scalar = { start: 0, end: value.length, style: 'plain' as const, value };

    expect(narrowTarget(value, scalar, redis)).toEqual(expected);
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
