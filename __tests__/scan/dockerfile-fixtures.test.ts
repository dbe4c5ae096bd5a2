import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatReference, parseReference } from '../../src/reference/index.js';
import { extractDockerfile } from '../../src/scan/dockerfile/index.js';
import type { Diagnostic, ImageOccurrence, OccurrenceKind } from '../../src/scan/types.js';
import { tagVariables } from './dockerfile-expect.js';

const FIXTURES = new URL('../fixtures/dockerfile/', import.meta.url);

/** kind, start line, start column, end line, end column, raw text, canonical image; `name` for a name target. */
type Expected = [OccurrenceKind, number, number, number, number, string, string, 'name'?];

/** Offset of a 1-based line/column, found by walking the text's lines (independent of the finder). */
function offsetOf(content: string, line: number, column: number): number {
  let offset = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let l = 1; l < line; l++) offset = content.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** The full occurrence a tuple describes; the scalar value is the raw text unless it comes from a quoted ARG. */
function occurrence(file: string, content: string, expected: Expected): ImageOccurrence {
  const [kind, line, column, endLine, endColumn, raw, image, part] = expected;
  const start = offsetOf(content, line, column);
  const end = offsetOf(content, endLine, endColumn);
  const scalar = { start, end, style: 'dockerfile' as const, value: raw };
  return {
    file,
    kind,
    start: { line, column },
    end: { line: endLine, column: endColumn },
    raw: content.slice(start, end),
    reference: parseReference(image),
    target:
      part === 'name'
        ? { type: 'name', scalar, variables: tagVariables(content, end) }
        : { type: 'scalar', scalar, prefix: '' },
  };
}

const cases: [string, Expected[], [number, Diagnostic['severity'], string][]][] = [
  [
    'node-web.Dockerfile',
    [
      ['dockerfile-syntax', 1, 10, 1, 31, 'docker/dockerfile:1.7', 'docker.io/docker/dockerfile:1.7'],
      ['dockerfile-from', 7, 32, 7, 36, 'node', 'docker.io/library/node:20.11.1-alpine', 'name'],
      ['dockerfile-from', 13, 6, 13, 10, 'node', 'docker.io/library/node:20.11.1-alpine', 'name'],
      [
        'dockerfile-from',
        5,
        20,
        5,
        63,
        'gcr.io/distroless/nodejs20-debian12:nonroot',
        'gcr.io/distroless/nodejs20-debian12:nonroot',
      ],
    ],
    [],
  ],
  [
    'go-service.Dockerfile',
    [
      ['dockerfile-from', 4, 34, 4, 40, 'golang', 'docker.io/library/golang:1.22-bookworm', 'name'],
      ['dockerfile-from', 2, 12, 2, 23, 'alpine:3.19', 'docker.io/library/alpine:3.19'],
      [
        'dockerfile-copy-from',
        19,
        20,
        19,
        68,
        'ghcr.io/grpc-ecosystem/grpc-health-probe:v0.4.25',
        'ghcr.io/grpc-ecosystem/grpc-health-probe:v0.4.25',
      ],
    ],
    [],
  ],
  [
    'python-worker.Dockerfile',
    [
      ['dockerfile-from', 2, 12, 2, 28, 'python:3.12-slim', 'docker.io/library/python:3.12-slim'],
      ['dockerfile-mount-from', 4, 14, 4, 41, 'ghcr.io/astral-sh/uv:0.4.20', 'ghcr.io/astral-sh/uv:0.4.20'],
      [
        'dockerfile-copy-from',
        16,
        13,
        16,
        52,
        'quay.io/prometheus/node-exporter:v1.8.1',
        'quay.io/prometheus/node-exporter:v1.8.1',
      ],
    ],
    [],
  ],
  [
    'windows.Dockerfile',
    [
      [
        'dockerfile-from',
        4,
        6,
        4,
        42,
        'mcr.microsoft.com/windows/servercore',
        'mcr.microsoft.com/windows/servercore:ltsc2022',
        'name',
      ],
      [
        'dockerfile-from',
        10,
        6,
        10,
        42,
        'mcr.microsoft.com/windows/nanoserver',
        'mcr.microsoft.com/windows/nanoserver:ltsc2022',
        'name',
      ],
    ],
    [],
  ],
  [
    'Containerfile.onbuild',
    [
      [
        'dockerfile-from',
        1,
        6,
        1,
        53,
        'registry.access.redhat.com/ubi9/ubi-minimal:9.4',
        'registry.access.redhat.com/ubi9/ubi-minimal:9.4',
      ],
      ['dockerfile-onbuild', 3, 21, 3, 50, 'docker.io/library/golang:1.22', 'docker.io/library/golang:1.22'],
      ['dockerfile-from', 7, 15, 7, 45, 'docker.io/library/busybox:1.36', 'docker.io/library/busybox:1.36'],
    ],
    [
      [4, 'notice', 'ONBUILD COPY --from "app-build" may name a stage of the downstream build; not reported'],
      [8, 'warning', 'FROM "$EXTRA": variable EXTRA is not declared by an ARG in scope; not reported'],
    ],
  ],
];

describe('Dockerfile fixtures', () => {
  it.each(cases)('%s', (name, expected, diagnostics) => {
    const content = readFileSync(new URL(name, FIXTURES), 'utf8');

    const result = extractDockerfile(content, `fixtures/${name}`);

    expect(result).toEqual({
      occurrences: expected.map((e) => occurrence(`fixtures/${name}`, content, e)),
      diagnostics: diagnostics.map(([line, severity, message]) => ({
        file: `fixtures/${name}`,
        line,
        severity,
        message,
      })),
    });
    expect(result.occurrences.map((o) => formatReference(o.reference))).toEqual(expected.map((e) => e[6]));
  });

  it('keeps the CRLF fixture free of \\r in every raw span', () => {
    const content = readFileSync(new URL('python-worker.Dockerfile', FIXTURES), 'utf8');

    const raws = extractDockerfile(content, 'f').occurrences.map((o) => o.raw);

    expect(content.includes('\r\n')).toBe(true);
    expect(raws.filter((raw) => raw.includes('\r'))).toEqual([]);
  });
});
