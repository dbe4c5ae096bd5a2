import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { destinationFor } from '../../src/plan/index.js';
import { sourceFor } from '../../src/plan/source-for.js';
import { formatReference, parseReference } from '../../src/reference/index.js';

const AR = 'us-docker.pkg.dev/proj/mirror';
const DIGEST = `sha256:${'a'.repeat(64)}`;

function back(mirror: string, pathTemplate?: string, destination = AR): string {
  const result = sourceFor(parseReference(mirror), {
    destination,
    ...(pathTemplate === undefined ? {} : { pathTemplate }),
  });
  return result.ok ? formatReference(result.source) : `error: ${result.reason}`;
}

describe('sourceFor', () => {
  it.each([
    [`${AR}/docker.io/library/nginx:1.26`, 'docker.io/library/nginx:1.26'],
    [`${AR}/docker.io/library/nginx:1.26@${DIGEST}`, `docker.io/library/nginx:1.26@${DIGEST}`],
    [`${AR}/quay.io/org/team/app@${DIGEST}`, `quay.io/org/team/app@${DIGEST}`],
    [`${AR}/localhost-5000/team/app:1`, 'localhost:5000/team/app:1'],
    [`${AR}/127.0.0.1-5302/lib/app:2`, '127.0.0.1:5302/lib/app:2'],
  ])('maps %s back to %s with the default layout', (mirror, source) => {
    expect(back(mirror)).toBe(source);
  });

  it.each([
    ['{registry}/{path}', `${AR}/docker.io/nginx:1`, 'docker.io/library/nginx:1'],
    ['{registry}/{path}', `${AR}/docker.io/bitnami/redis:7`, 'docker.io/bitnami/redis:7'],
    ['mirror/{registry}/{namespace}/{name}', `${AR}/mirror/quay.io/app:3`, 'quay.io/app:3'],
    ['mirror/{registry}/{namespace}/{name}', `${AR}/mirror/quay.io/a/b/c:3`, 'quay.io/a/b/c:3'],
    ['{repository}/from-{registry}', `${AR}/library/nginx/from-docker.io:1`, 'docker.io/library/nginx:1'],
  ])('template %s maps %s back to %s', (template, mirror, source) => {
    expect(back(mirror, template)).toBe(source);
  });

  it('refuses references outside the destination, and templates that lose the registry or namespace', () => {
    expect(back('us-docker.pkg.dev/proj/other/docker.io/library/nginx:1')).toBe(
      `error: it is not under the destination ${AR}`,
    );
    expect(back(`${AR}/nginx:1`, '{name}')).toBe(
      `error: path-template "{name}" maps no source image to ${AR}/nginx`,
    );
    expect(back(`${AR}/docker.io/nginx:1`, '{registry}/{name}')).toMatch(
      /^error: path-template "\{registry\}\/\{name\}" maps no source/,
    );
  });

  it('refuses a path that no source maps forward to, and one that maps back into the destination', () => {
    expect(back(`${AR}/docker.io/nginx:1`)).toBe(
      `error: path-template "{registry}/{repository}" maps no source image to ${AR}/docker.io/nginx`,
    );
    expect(back(`${AR}/us-docker.pkg.dev/proj/app:1`)).toBe(
      'error: it maps back to us-docker.pkg.dev/proj/app, which is not a third-party image',
    );
  });
});

// Generators: lowercase hosts whose last label does not end in -<digits> (that form reads back as
// a port; see registryHost), optional ports, Distribution path components, tags and digests.
const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const alnum = fc.string({ unit: lower, minLength: 1, maxLength: 6 });
const separator = fc.constantFrom('.', '_', '__', '-');
const component = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const hostLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,5}[a-z0-9])?$/);
const host = fc
  .tuple(fc.array(hostLabel, { minLength: 2, maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 })))
  .filter(([labels]) => !/-\d+$/.test(labels[labels.length - 1]!))
  .map(([labels, port]) => labels.join('.') + (port === null ? '' : `:${port}`));
const registry = fc.oneof(host, fc.constant('docker.io'), fc.constant('localhost:5000'));
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/);
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);

// Templates: every variable set that keeps the registry and the whole repository ({repository},
// {path}, or {namespace} with {name}), in either order, with literal segments around them.
const literal = fc.stringMatching(/^[a-z][a-z0-9-]{0,5}$/);
const registryPart = fc.oneof(
  fc.constant('{registry}'),
  literal.map((l) => `${l}-{registry}`),
  literal.map((l) => `{registry}.${l}`),
);
const repositoryPart = fc.constantFrom('{repository}', '{path}', '{namespace}/{name}', '{repository}/{name}');
const template = fc
  .tuple(
    fc.array(literal, { maxLength: 2 }),
    registryPart,
    fc.array(literal, { maxLength: 1 }),
    repositoryPart,
    fc.boolean(),
  )
  .map(([before, reg, middle, repo, swap]) =>
    [...before, ...(swap ? [repo, ...middle, reg] : [reg, ...middle, repo])].join('/'),
  );

describe('sourceFor ∘ destinationFor', () => {
  it('gives back every source, for every template variable set', () => {
    fc.assert(
      fc.property(
        registry,
        path,
        fc.option(tag),
        fc.option(digest),
        template,
        (reg, repo, t, d, pathTemplate) => {
          fc.pre(t !== null || d !== null);
          const raw = `${reg}/${repo}${t === null ? '' : `:${t}`}${d === null ? '' : `@${d}`}`;
          const source = parseReference(raw);
          const settings = { destination: AR, pathTemplate };
          let mirrored: string;
          try {
            mirrored = destinationFor(source, settings);
          } catch {
            fc.pre(false); // a path too long for the grammar: destinationFor refuses it
            return;
          }
          const mirror = parseReference(
            `${mirrored}${t === null ? '' : `:${t}`}${d === null ? '' : `@${d}`}`,
          );
          const result = sourceFor(mirror, settings);
          expect(result).toEqual({ ok: true, source });
        },
      ),
      { numRuns: 400 },
    );
  });
});
