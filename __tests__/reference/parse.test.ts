import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidReferenceError } from '../../src/errors.js';
import { formatReference, parseReference, tryParseReference } from '../../src/reference/index.js';

const SHA = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', digest: undefined }],
    ['nginx:1.25', { registry: 'docker.io', repository: 'library/nginx', tag: '1.25', digest: undefined }],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7', digest: undefined }],
    [
      'index.docker.io/nginx',
      { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', digest: undefined },
    ],
    [
      'docker.io/library/nginx:1',
      { registry: 'docker.io', repository: 'library/nginx', tag: '1', digest: undefined },
    ],
    [
      'quay.io/prometheus/node-exporter:v1.8.0',
      { registry: 'quay.io', repository: 'prometheus/node-exporter', tag: 'v1.8.0', digest: undefined },
    ],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest', digest: undefined }],
    [
      'localhost:5000/team/app:2',
      { registry: 'localhost:5000', repository: 'team/app', tag: '2', digest: undefined },
    ],
    ['app:5000', { registry: 'docker.io', repository: 'library/app', tag: '5000', digest: undefined }],
    [
      'Registry.Example/app',
      { registry: 'Registry.Example', repository: 'app', tag: 'latest', digest: undefined },
    ],
    ['[::1]:5000/app', { registry: '[::1]:5000', repository: 'app', tag: 'latest', digest: undefined }],
    [`nginx@${SHA}`, { registry: 'docker.io', repository: 'library/nginx', tag: undefined, digest: SHA }],
    [`nginx:1.25@${SHA}`, { registry: 'docker.io', repository: 'library/nginx', tag: '1.25', digest: SHA }],
    [
      `nginx@sha512:${'b'.repeat(128)}`,
      {
        registry: 'docker.io',
        repository: 'library/nginx',
        tag: undefined,
        digest: `sha512:${'b'.repeat(128)}`,
      },
    ],
    [
      'ghcr.io/a/b__c/d-e.f:x_Y.z-1',
      { registry: 'ghcr.io', repository: 'a/b__c/d-e.f', tag: 'x_Y.z-1', digest: undefined },
    ],
  ])('parses %s', (raw, expected) => {
    expect(parseReference(raw)).toEqual(expected);
  });

  it.each([
    ['', 'empty reference'],
    ['Nginx:1', 'repository "Nginx" must be lowercase'],
    ['docker.io/Library/nginx', 'repository "Library/nginx" must be lowercase'],
    ['nginx:', 'tag "" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'],
    [`nginx:${'a'.repeat(129)}`, `tag "${'a'.repeat(129)}" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`],
    ['nginx@sha256:abc', 'a sha256 digest must be 64 lowercase hex characters, got "sha256:abc"'],
    [
      `nginx@sha256:${'A'.repeat(64)}`,
      `a sha256 digest must be 64 lowercase hex characters, got "sha256:${'A'.repeat(64)}"`,
    ],
    [
      `nginx@sha256:${'a'.repeat(65)}`,
      `a sha256 digest must be 64 lowercase hex characters, got "sha256:${'a'.repeat(65)}"`,
    ],
    // Only the registered algorithms, each with its exact length (the copy engine's Digest type).
    [
      `nginx@md5:${'a'.repeat(32)}`,
      `digest "md5:${'a'.repeat(32)}" must be sha256:<64 hex> or sha512:<128 hex>`,
    ],
    [
      `nginx@sha384:${'a'.repeat(96)}`,
      `digest "sha384:${'a'.repeat(73)}…" must be sha256:<64 hex> or sha512:<128 hex>`,
    ],
    [
      `nginx@sha512:${'a'.repeat(64)}`,
      `a sha512 digest must be 128 lowercase hex characters, got "sha512:${'a'.repeat(64)}"`,
    ],
    // Quoted text from a file is cut and its control characters escaped.
    [`nginx:${'a'.repeat(300)}`, `tag "${'a'.repeat(200)}…" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`],
    ['nginx:a\u001b[31m', 'tag "a\\u001b[31m" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'],
    ['a'.repeat(64), 'a 64-character hex string is an image ID, not a name'],
    ['nginx 1', 'contains whitespace'],
    ['-bad.example/app', 'registry "-bad.example" is not a valid host[:port]'],
    ['a//b', 'repository "a//b" must be lowercase letters, digits and separators (. _ __ -) joined by /'],
    ['a/b-', 'repository "a/b-" must be lowercase letters, digits and separators (. _ __ -) joined by /'],
    [`x.io/${'a'.repeat(256)}`, 'repository path is longer than 255 characters'],
  ])('rejects %j', (raw, reason) => {
    expect(tryParseReference(raw)).toEqual({ ok: false, reason });
  });

  it('throws InvalidReferenceError quoting the text', () => {
    expect(() => parseReference('Nginx:1')).toThrowError(
      new InvalidReferenceError('Nginx:1', 'repository "Nginx" must be lowercase'),
    );
    expect(() => parseReference('Nginx:1')).toThrow('invalid image reference "Nginx:1"');
  });
});

describe('formatReference', () => {
  it('writes registry/repository:tag and appends the digest', () => {
    expect(formatReference(parseReference('nginx'))).toBe('docker.io/library/nginx:latest');
    expect(formatReference(parseReference(`nginx@${SHA}`))).toBe(`docker.io/library/nginx@${SHA}`);
    expect(formatReference(parseReference(`quay.io/a/b:1@${SHA}`))).toBe(`quay.io/a/b:1@${SHA}`);
  });
});

// Generators that follow the grammar in REFERENCE.md §1, to check parse/format round-trips.
const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const alnum = fc.string({ unit: lower, minLength: 1, maxLength: 8 });
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const component = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const hostLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const domain = fc
  .tuple(fc.array(hostLabel, { minLength: 2, maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 })))
  .map(([labels, port]) => labels.join('.') + (port === null ? '' : `:${port}`));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);

describe('grammar properties', () => {
  it('every grammatical reference parses, and its canonical form parses to the same thing', () => {
    fc.assert(
      fc.property(fc.option(domain), path, fc.option(tag), fc.option(digest), (host, repo, t, d) => {
        // Without a host, a first component holding `.` (or `localhost`) would itself read as a registry host.
        const first = repo.split('/')[0]!;
        fc.pre(host !== null || !repo.includes('/') || (!first.includes('.') && first !== 'localhost'));
        const raw = (host ? `${host}/` : '') + repo + (t ? `:${t}` : '') + (d ? `@${d}` : '');
        const parsed = parseReference(raw);
        expect(parsed.tag).toBe(t ?? (d ? undefined : 'latest'));
        expect(parsed.digest).toBe(d ?? undefined);
        expect(parseReference(formatReference(parsed))).toEqual(parsed);
      }),
    );
  });

  it('an uppercase letter in a path component is always rejected', () => {
    fc.assert(
      fc.property(domain, path, fc.nat(), (host, repo, at) => {
        const i = at % repo.length;
        if (!/[a-z]/.test(repo[i] ?? '')) return;
        const raw = `${host}/${repo.slice(0, i)}${repo[i]!.toUpperCase()}${repo.slice(i + 1)}`;
        expect(tryParseReference(raw).ok).toBe(false);
      }),
    );
  });

  it('never throws anything but InvalidReferenceError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (raw) => {
        try {
          parseReference(raw);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidReferenceError);
        }
      }),
    );
  });
});
