/**
 * The Dockerfile finder on images partly built from variables: which part becomes the rewrite
 * target (an interpolation default, the literal name before a variable tag, or the whole word).
 */
import { describe, expect, it } from 'vitest';
import { extractDockerfile } from '../../src/scan/dockerfile/index.js';
import { rewritablePart } from '../../src/scan/dockerfile/parts.js';
import { at, ref } from './dockerfile-expect.js';

const FILE = 'Dockerfile';

const extract = (content: string) => extractDockerfile(content, FILE);
const NGINX = ref('docker.io', 'library/nginx', '1.27');

describe('a whole image from an interpolation default', () => {
  it('targets the default inside the braces when the variable is undeclared or has no default', () => {
    const content = 'ARG BASE\nFROM ${BASE:-nginx:1.27}\nFROM ${OTHER-nginx:1.27} AS b\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [at(content, 'nginx:1.27', NGINX), at(content, 'nginx:1.27', NGINX, { nth: 1 })],
      diagnostics: [],
    });
  });

  it('targets the ARG default instead when the variable has one (that is the value used)', () => {
    const content = 'ARG BASE=alpine:3.20\nFROM ${BASE:-nginx:1.27}\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [at(content, 'alpine:3.20', ref('docker.io', 'library/alpine', '3.20'))],
      diagnostics: [],
    });
  });

  it('targets the default of an ARG default and of COPY --from', () => {
    const content =
      'ARG IMAGE=${REGISTRY_IMAGE:-nginx:1.27}\nFROM $IMAGE\nCOPY --from=${X:-busybox:1.36} /bin /bin\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'nginx:1.27', NGINX),
        at(content, 'busybox:1.36', ref('docker.io', 'library/busybox', '1.36'), {
          kind: 'dockerfile-copy-from',
        }),
      ],
      diagnostics: [],
    });
  });
});

describe('a literal name with a variable tag', () => {
  it('targets the name part only, with the tag expanded in the reference', () => {
    const content = [
      'ARG GO_VERSION=1.22',
      'ARG TAG=7',
      'FROM golang:${GO_VERSION}',
      'FROM localhost:5000/team/app:v${TAG}-slim',
      'FROM ghcr.io/acme/base:${TAG:-1}',
      '',
    ].join('\n');

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'golang', ref('docker.io', 'library/golang', '1.22'), { part: 'name' }),
        at(content, 'localhost:5000/team/app', ref('localhost:5000', 'team/app', 'v7-slim'), {
          part: 'name',
        }),
        at(content, 'ghcr.io/acme/base', ref('ghcr.io', 'acme/base', '7'), { part: 'name' }),
      ],
      diagnostics: [],
    });
  });

  it('follows an ARG whose default has a variable tag to the name inside that default', () => {
    const content = 'ARG V=20\nARG IMAGE="node:${V}-alpine"\nFROM ${IMAGE}\nFROM $IMAGE AS b\n';

    const result = extract(content);

    const node = at(content, 'node', ref('docker.io', 'library/node', '20-alpine'), { part: 'name' });
    expect(result).toEqual({ occurrences: [node, node], diagnostics: [] });
  });
});

describe('everything else built from variables keeps the whole word', () => {
  it.each([
    [
      'a variable registry',
      'ARG REGISTRY=docker.io\nFROM ${REGISTRY}/library/nginx:1.27\n',
      '${REGISTRY}/library/nginx:1.27',
    ],
    ['a variable repository and tag', 'FROM ${IMG:-nginx}:${TAG:-1.27}\n', '${IMG:-nginx}:${TAG:-1.27}'],
    [
      'a variable inside the name',
      'ARG N=nginx\nFROM docker.io/library/${N}:1.27\n',
      'docker.io/library/${N}:1.27',
    ],
    ['a nested default', 'FROM ${A:-${B:-nginx:1.27}}\n', '${A:-${B:-nginx:1.27}}'],
    ['a quoted word', 'ARG T=1.27\nFROM "nginx:${T}"\n', '"nginx:${T}"'],
    ['an escaped name', 'ARG T=1.27\nFROM ngin\\x:${T}\n', 'ngin\\x:${T}'],
    ['literal text after the default', 'FROM ${BASE:-nginx}:1.27\n', '${BASE:-nginx}:1.27'],
  ])('%s', (_what, content, word) => {
    const result = extract(content);

    expect(result).toEqual({ occurrences: [at(content, word, NGINX)], diagnostics: [] });
  });

  it('a variable registry port (the text before the last literal colon is not the repository)', () => {
    const content = 'ARG P=5000\nFROM localhost:${P}/library/nginx:1.27\n';

    const result = extract(content);

    const reference = ref('localhost:5000', 'library/nginx', '1.27');
    expect(result).toEqual({
      occurrences: [at(content, 'localhost:${P}/library/nginx:1.27', reference)],
      diagnostics: [],
    });
  });

  it('a line continuation inside the name (the source text is not the name)', () => {
    const content = 'ARG T=1.27\nFROM ngi\\\nnx:${T}\n';

    const result = extract(content);

    const word = at(content, 'ngi\\\nnx:${T}', NGINX);
    if (word.target.type !== 'scalar') throw new Error('unreachable');
    const target = { ...word.target, scalar: { ...word.target.scalar, value: 'nginx:${T}' } };
    expect(result).toEqual({ occurrences: [{ ...word, target }], diagnostics: [] });
  });
});

describe('rewritablePart', () => {
  const unset = new Map();

  it.each([
    ['${B:-nginx:1}', unset, { type: 'default', start: 5, end: 12 }],
    [
      '${B-nginx:1}',
      new Map([['B', { value: undefined, origin: undefined }]]),
      { type: 'default', start: 4, end: 11 },
    ],
    [
      '${B:-nginx:1}',
      new Map([['B', { value: '', origin: undefined }]]),
      { type: 'default', start: 5, end: 12 },
    ],
    ['${B-nginx:1}', new Map([['B', { value: '', origin: undefined }]]), undefined],
    ['${B:-nginx:1}', new Map([['B', { value: 'alpine:3', origin: undefined }]]), undefined],
    ['localhost:5000/app:${T}', unset, { type: 'name', start: 0, end: 18 }],
    ['localhost:5000/${N}:1', unset, undefined],
    ['nginx@${D}', unset, undefined],
    // A `@` before the variable: the name part would carry a digest (compose refuses the same).
    [`nginx@sha256:${'a'.repeat(64)}:\${T}`, unset, undefined],
    ['nginx@sha256:${D}', unset, undefined],
    ['${N}:1', unset, undefined],
    [':${T}', unset, undefined],
    ['nginx:`${T}', unset, undefined],
  ])('%s → %j', (text, scope, expected) => {
    expect(rewritablePart(text, scope, '`')).toEqual(expected);
  });
});
