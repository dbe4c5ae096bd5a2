import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestProblem, InvalidDigestError, isDigest, parseDigest } from '../../src/reference/digest.js';

const hex = (n: number) => 'a1'.repeat(n / 2);

describe('parseDigest', () => {
  it('accepts the two registered algorithms at their exact lowercase-hex lengths', () => {
    expect(parseDigest(`sha256:${hex(64)}`)).toBe(`sha256:${hex(64)}`);
    expect(parseDigest(`sha512:${hex(128)}`)).toBe(`sha512:${hex(128)}`);
  });

  it.each([
    ['a relative path', '../../../other/app/manifests/1'],
    ['an unregistered algorithm', `md5:${hex(32)}`],
    ['sha384', `sha384:${hex(96)}`],
    ['sha512 with sha256 length', `sha512:${hex(64)}`],
    ['upper-case hex', `sha256:${hex(64).toUpperCase()}`],
    ['a trailing newline', `sha256:${hex(64)}\n`],
    ['a path after the hex', `sha256:${hex(64)}/../x`],
    ['a prototype key', 'constructor:abc'],
    ['empty', ''],
  ])('refuses %s', (_name, text) => {
    expect(isDigest(text)).toBe(false);
    expect(() => parseDigest(text, 'image x')).toThrow(InvalidDigestError);
  });

  it('names where the bad digest came from and keeps control characters out of the message', () => {
    expect(() => parseDigest('sha256:x\n::error::boom', 'referrers of a/b')).toThrow(
      /^referrers of a\/b: .*sha256:x\\n::error::boom/,
    );
  });

  it('refuses non-strings', () => {
    expect(() => parseDigest(42)).toThrow('digest must be a string, got number');
  });

  it('accepts exactly the strings that match the OCI grammar for sha256 and sha512', () => {
    const strict = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^sha(256|512):[a-fA-F0-9]{60,130}$/),
          fc.stringMatching(/^sha256:[a-f0-9]{64}$/),
        ),
        (text) => {
          expect(digestProblem(text) === undefined).toBe(strict.test(text));
        },
      ),
    );
  });
});
