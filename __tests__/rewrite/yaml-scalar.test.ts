import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { encodeScalar, isSafePlain } from '../../src/rewrite/yaml-scalar.js';

const REF = 'us-docker.pkg.dev/p/m/docker.io/library/redis:7@sha256:' + 'a'.repeat(64);

describe('encodeScalar', () => {
  it.each([
    ['dockerfile', 'nginx:1', REF],
    ['plain', 'nginx:1', REF],
    ['double', '"nginx:1"', `"${REF}"`],
    ['single', "'nginx:1'", `'${REF}'`],
  ] as const)('writes %s scalars in their own style', (style, original, expected) => {
    expect(encodeScalar(original, style, REF)).toEqual({ ok: true, text: expected });
  });

  it.each(['plain-inner', 'double-inner', 'single-inner'] as const)(
    'writes a reference inside a %s span as is, and refuses text that would need quoting there',
    (style) => {
      const name = style.replace('-inner', '');
      const refused = (value: string) => ({
        ok: false,
        reason: `"${value}" cannot be written inside a ${name} YAML scalar as is`,
      });

      expect(encodeScalar('nginx:1', style, REF)).toEqual({ ok: true, text: REF });
      expect(encodeScalar('nginx:1', style, 'a b')).toEqual(refused('a b'));
      expect(encodeScalar('nginx:1', style, 'a}b')).toEqual(refused('a}b'));
      expect(encodeScalar('nginx:1', style, "a'b")).toEqual(refused("a'b"));
      expect(encodeScalar('nginx:1', style, 'a"b')).toEqual(refused('a"b'));
      expect(encodeScalar('nginx:1', style, 'a#b')).toEqual(refused('a#b'));
      expect(encodeScalar('nginx:1', style, 'a$b')).toEqual(refused('a$b'));
    },
  );

  it('escapes backslashes, double quotes and control characters in double quotes', () => {
    expect(encodeScalar('"x"', 'double', 'a\\b"c\td')).toEqual({ ok: true, text: '"a\\\\b\\"c\\td"' });
  });

  it("doubles ' in single quotes", () => {
    expect(encodeScalar("'x'", 'single', "it's")).toEqual({ ok: true, text: "'it''s'" });
  });

  it.each([
    ['|\n    nginx:1\n', `|\n    ${REF}\n`],
    ['|-\r\n  nginx:1\r\n', `|-\r\n  ${REF}\r\n`],
    ['>+ # keep\n\n  nginx:1\n\n', `>+ # keep\n\n  ${REF}\n\n`],
    ['|2\n    nginx:1', `|2\n    ${REF}`],
  ])('keeps the block header, indentation, chomping and blank lines of %j', (original, expected) => {
    const style = original.startsWith('|') ? 'block-literal' : 'block-folded';

    expect(encodeScalar(original, style, REF)).toEqual({ ok: true, text: expected });
  });

  it('refuses block scalars with more than one content line', () => {
    expect(encodeScalar('>\n  nginx\n  :1\n', 'block-folded', REF)).toEqual({
      ok: false,
      reason: 'the block scalar does not hold exactly one content line',
    });
  });

  it.each([
    ['plain', '@x/y', '"@x/y" cannot be written as a plain YAML scalar'],
    ['plain', 'a: b', '"a: b" cannot be written as a plain YAML scalar'],
    ['plain', 'a #b', '"a #b" cannot be written as a plain YAML scalar'],
    ['plain', '1.0', '"1.0" cannot be written as a plain YAML scalar'],
    ['plain', 'true', '"true" cannot be written as a plain YAML scalar'],
    ['plain', 'yes', '"yes" cannot be written as a plain YAML scalar'],
    ['plain', 'a,b', '"a,b" cannot be written as a plain YAML scalar'],
    ['dockerfile', 'a b', '"a b" would need quoting or escaping in a Dockerfile'],
    ['dockerfile', '$X', '"$X" would need quoting or escaping in a Dockerfile'],
    ['double', 'a\nb', 'the value contains a line break'],
  ] as const)('refuses %s %j', (style, value, reason) => {
    expect(encodeScalar('x', style, value)).toEqual({ ok: false, reason });
  });
});

describe('isSafePlain', () => {
  it.each([
    ['nginx:1.27', true],
    ['127.0.0.1:5000/m/docker.io/library/redis:7', true],
    ['docker://ghcr.io/a/b:1', true],
    ['1:20', false], // YAML 1.1 sexagesimal integer
    ['null', false],
    ['~', false],
    ['', false],
    [' x', false],
    ['x:', false],
  ])('%j → %s', (value, expected) => {
    expect(isSafePlain(value)).toBe(expected);
  });
});

/** Valid references by the distribution grammar: optional host[:port], 1-3 path components, tag and/or digest. */
const component = fc.stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/).filter((c) => c.length <= 30);
const host = fc.tuple(
  fc.stringMatching(/^[a-z0-9]+(?:\.[a-z0-9]+)+$/),
  fc.option(fc.integer({ min: 1, max: 65535 })),
);
const reference = fc
  .record({
    host: fc.option(host),
    path: fc.array(component, { minLength: 1, maxLength: 3 }),
    tag: fc.option(fc.stringMatching(/^\w[\w.-]{0,20}$/)),
    digest: fc.option(fc.stringMatching(/^[a-f0-9]{64}$/)),
  })
  .map(({ host: h, path, tag, digest }) => {
    const name = h ? `${h[0]}${h[1] === null ? '' : `:${h[1]}`}/${path.join('/')}` : path.join('/');
    return `${name}${tag === null ? '' : `:${tag}`}${digest === null ? '' : `@sha256:${digest}`}`;
  });

describe('encode → parse round trip (property)', () => {
  it.each([
    ['plain', 'nginx:1'],
    ['double', '"nginx:1"'],
    ['single', "'nginx:1'"],
    ['block-literal', '|-\n  nginx:1'],
    ['block-folded', '>-\n  nginx:1'],
  ] as const)('%s scalars read back as the same string', (style, original) => {
    fc.assert(
      fc.property(reference, fc.constantFrom('', 'docker://'), (ref, prefix) => {
        const value = prefix + ref;
        const encoded = encodeScalar(original, style, value);
        // A plain scalar may refuse a value YAML would read as something else (`0`, `1.0`); the
        // other styles can write any reference.
        if (!encoded.ok) {
          expect([style, isSafePlain(value)]).toEqual(['plain', false]);
          return;
        }
        expect(parse(`image: ${encoded.text}\n`)).toEqual({ image: value });
        if (style.startsWith('block')) return;
        expect(parse(`spec:\n  - image: ${encoded.text} # note\n`)).toEqual({ spec: [{ image: value }] });
        expect(parse(`{image: ${encoded.text}, x: 1}`)).toEqual({ image: value, x: 1 });
      }),
      { numRuns: 300 },
    );
  });
});
