import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractKustomize, kustomizeFinder } from '../../src/scan/kustomize/index.js';
import { fieldsOccurrence, offsetOf, ref, spanOf } from './yaml-expect.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/kustomize/${name}`, import.meta.url), 'utf8');
const REDIS_DIGEST = 'sha256:9b8f3e6a2d1c4b7e0f5a8d3c6b9e2f1a4d7c0b3e6f9a2d5c8b1e4f7a0d3c6b9e';

describe('kustomization fixture', () => {
  const content = fixture('kustomization.yaml');
  const file = 'overlays/prod/kustomization.yaml';
  const result = kustomizeFinder.extract(content, file, { hasSibling: () => false });
  const block = (first: string, last: string) => ({
    start: offsetOf(content, first),
    end: offsetOf(content, last) + last.length,
    flow: false,
    indent: 4,
  });

  it('computes each effective image and points at newName, else name', () => {
    const webName = spanOf(content, 'acme/web');
    const pgName = spanOf(content, 'postgres', { nth: 0 });
    const pgNew = spanOf(content, 'quay.io/sclorg/postgresql-15-c9s');
    const bbNew = spanOf(content, 'registry.k8s.io/e2e-test-images/busybox');

    expect(result.occurrences).toEqual([
      fieldsOccurrence({
        file,
        kind: 'kustomize',
        main: webName,
        start: { line: 8, column: 11 },
        end: { line: 8, column: 19 },
        reference: ref('docker.io', 'acme/web', '2.5.0'),
        fields: { name: webName, newTag: spanOf(content, '"2.5.0"', { style: 'double', value: '2.5.0' }) },
        mapping: block('name: acme/web', '"2.5.0"'),
      }),
      fieldsOccurrence({
        file,
        kind: 'kustomize',
        main: pgNew,
        start: { line: 11, column: 14 },
        end: { line: 11, column: 46 },
        reference: ref('quay.io', 'sclorg/postgresql-15-c9s', '20240301'),
        fields: { name: pgName, newName: pgNew, newTag: spanOf(content, '20240301') },
        mapping: block('name: postgres', '20240301'),
      }),
      fieldsOccurrence({
        file,
        kind: 'kustomize',
        main: spanOf(content, 'redis'),
        start: { line: 13, column: 11 },
        end: { line: 13, column: 16 },
        reference: ref('docker.io', 'library/redis', undefined, REDIS_DIGEST),
        fields: { name: spanOf(content, 'redis'), digest: spanOf(content, REDIS_DIGEST) },
        mapping: block('name: redis', REDIS_DIGEST),
      }),
      fieldsOccurrence({
        file,
        kind: 'kustomize',
        main: bbNew,
        start: { line: 15, column: 30 },
        end: { line: 15, column: 69 },
        reference: ref('registry.k8s.io', 'e2e-test-images/busybox', '1.29-4'),
        fields: { name: spanOf(content, 'busybox'), newName: bbNew, newTag: spanOf(content, '1.29-4') },
        mapping: {
          start: offsetOf(content, '{name: busybox'),
          end: offsetOf(content, '1.29-4}') + 7,
          flow: true,
          indent: 5,
        },
      }),
    ]);
  });

  it('gives a notice for an entry without newTag or digest', () => {
    expect(result.diagnostics).toEqual([
      {
        file,
        line: 17,
        severity: 'notice',
        message: 'image "ghcr.io/acme/envoy" sets no newTag or digest; its tag comes from the resources',
      },
    ]);
  });
});

describe('extractKustomize', () => {
  it('uses a tag written in name when there is no newTag', () => {
    const content = 'images:\n- name: nginx:1.25\n  newName: mirror.example/nginx:1.25\n';

    const result = extractKustomize(content, 'kustomization.yaml');

    expect(result.occurrences.map((o) => [o.raw, o.reference])).toEqual([
      ['mirror.example/nginx:1.25', ref('mirror.example', 'nginx', '1.25')],
    ]);
  });

  it('reports templated fields and invalid results, and skips entries without a name', () => {
    const content = `images:\n- name: a\n  newTag: \${TAG}\n- newName: b\n  newTag: "1"\n- name: UPPER\n  newTag: "1"\n`;

    const result = extractKustomize(content, 'kustomization.yaml');

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'kustomization.yaml',
          line: 3,
          severity: 'warning',
          message: `newTag "\${TAG}" contains a variable ($…), resolved only at deploy time`,
        },
        {
          file: 'kustomization.yaml',
          line: 6,
          severity: 'warning',
          message: 'invalid image reference "UPPER:1": repository "UPPER" must be lowercase',
        },
      ],
    });
  });

  it.each([
    ['kustomization.yaml', true],
    ['base/kustomization.yml', true],
    ['base/Kustomization', true],
    ['kustomization.json', false],
  ])('matches %s → %s', (path, expected) => {
    expect(kustomizeFinder.matches(path)).toBe(expected);
  });
});
