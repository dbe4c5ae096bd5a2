/** The validated types registry answers are parsed into: names, platforms, descriptors, manifests, budgets. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidDigestError, parseDigest } from '../../src/reference/digest.js';
import { createJobBudget, LimitExceededError } from '../../src/registry/limits.js';
import { InvalidManifestError, parseDescriptor, parseManifest } from '../../src/registry/media-types.js';
import { digestTag, InvalidNameError, parseRepository, parseTag } from '../../src/registry/names.js';
import { InvalidPlatformError, isPlatformText, parsePlatform } from '../../src/registry/platform.js';

const D = `sha256:${'a'.repeat(64)}`;
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

describe('repository names and tags', () => {
  it('accepts the distribution grammar and refuses paths, queries and escapes', () => {
    const repos = ['library/nginx', 'a/b-c/d_e.f', 'x'].map((r) => parseRepository(r));
    const bad = ['../other', 'a/../b', 'a//b', 'A/b', 'a/b?x', 'a/b#x', 'a%2fb', '', 'a/b/', `a\nb`];

    expect(repos).toEqual(['library/nginx', 'a/b-c/d_e.f', 'x']);
    for (const text of bad) expect(() => parseRepository(text, 'source'), text).toThrow(InvalidNameError);
    expect(() => parseTag('../1')).toThrow('tag "../1" must match');
    expect(() => parseTag('a'.repeat(129))).toThrow(InvalidNameError);
  });

  it('never accepts a name whose path segments could move a URL elsewhere (property)', () => {
    const accepts = (parse: (t: string) => string, text: string) => {
      try {
        parse(text);
        return true;
      } catch {
        return false;
      }
    };
    const alphabet = fc.constantFrom('a', 'b', '0', '.', '-', '_', '/', '?', '#', '%', ' ', '\n', ':', 'A');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 24 }).map((cs) => cs.join('')),
        (text) => {
          const safe =
            !/[?#%\s:]/.test(text) &&
            text.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
          const tagSafe = !/[/?#%\s:]/.test(text) && text !== '.' && text !== '..';
          return (!accepts(parseRepository, text) || safe) && (!accepts(parseTag, text) || tagSafe);
        },
      ),
    );
  });

  it('makes the referrers fallback tag, cutting a sha512 encoding to 64 characters', () => {
    const sha512 = parseDigest(`sha512:${'b'.repeat(128)}`);

    expect([digestTag(parseDigest(D)), digestTag(parseDigest(D), 'sig'), digestTag(sha512)]).toEqual([
      `sha256-${'a'.repeat(64)}`,
      `sha256-${'a'.repeat(64)}.sig`,
      `sha512-${'b'.repeat(64)}`,
    ]);
  });
});

describe('platforms', () => {
  it('accepts os/arch[/variant] and refuses markdown, mentions, newlines and extra parts', () => {
    expect(
      ['linux/amd64', 'linux/arm/v7', 'windows/amd64', 'unknown/unknown', 'linux/x86_64'].map(isPlatformText),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['Linux/amd64', 'linux', 'linux/arm/v7/x', 'linux/@everyone', 'linux/[a](b)', 'linux/\namd64'].map(
        isPlatformText,
      ),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('parses a descriptor platform, ignoring os.version and features, an empty variant meaning none', () => {
    expect(
      parsePlatform({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1', variant: '' }, 'x'),
    ).toEqual({
      os: 'windows',
      architecture: 'amd64',
    });
    expect(() =>
      parsePlatform({ os: 'linux', architecture: 'amd64', variant: 'v7\n' }, 'manifests[2]'),
    ).toThrow(InvalidPlatformError);
    expect(() => parsePlatform('linux/amd64', 'manifests[0]')).toThrow(
      'manifests[0]: platform must be an object with os and architecture',
    );
  });
});

describe('parseDescriptor', () => {
  const ok = { mediaType: LAYER, digest: D, size: 10 };

  it('keeps the fields it validated and nothing else', () => {
    const parsed = parseDescriptor(
      { ...ok, urls: ['https://x/y'], extra: { nested: true }, artifactType: 'text/plain' },
      'layers[0]',
    );

    expect(parsed).toEqual({ ...ok, urls: ['https://x/y'], artifactType: 'text/plain' });
  });

  it.each([
    [
      { ...ok, digest: '../../other/app/manifests/1' },
      InvalidDigestError,
      'layers[0].digest: digest "../../other/app/manifests/1"',
    ],
    [{ ...ok, digest: D.toUpperCase() }, InvalidDigestError, 'layers[0].digest'],
    [
      { ...ok, size: -1 },
      InvalidManifestError,
      'layers[0].size must be a non-negative whole number of bytes',
    ],
    [{ ...ok, size: 1.5 }, InvalidManifestError, 'layers[0].size'],
    [{ ...ok, size: 2 ** 60 }, InvalidManifestError, 'layers[0].size'],
    [{ ...ok, size: '10' }, InvalidManifestError, 'layers[0].size'],
    [
      { ...ok, mediaType: `${LAYER}\n::error::x` },
      InvalidManifestError,
      'layers[0].mediaType "application/vnd.oci.image.layer.v1.tar+gzip\\n::error::x',
    ],
    [{ ...ok, mediaType: 'x'.repeat(300) }, InvalidManifestError, 'is not a media type'],
    [{ ...ok, urls: 'https://x' }, InvalidManifestError, 'layers[0].urls must be a list'],
    [
      { ...ok, annotations: { a: 1 } },
      InvalidManifestError,
      'layers[0].annotations must map strings to strings',
    ],
    [null, InvalidManifestError, 'layers[0] is not a descriptor object'],
  ])('refuses %j', (value, type, message) => {
    const parse = () => parseDescriptor(value, 'layers[0]');

    expect(parse).toThrow(type);
    expect(parse).toThrow(message);
  });
});

describe('parseManifest', () => {
  const index = (manifests: unknown[], extra: object = {}) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests,
        ...extra,
      }),
    );
  const child = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D, size: 5 };

  it('bounds the entries of an index and reads its subject', () => {
    expect(parseManifest(index([child], { subject: child }), undefined)).toEqual({
      kind: 'index',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [child],
      subject: child,
    });
    expect(() => parseManifest(index(Array(257).fill(child)), undefined)).toThrow(
      new LimitExceededError('manifest "manifests" lists 257 entries; the limit is 256'),
    );
  });

  it('refuses a manifest mediaType outside the grammar and a JSON document that is not an object', () => {
    expect(() => parseManifest(index([], { mediaType: 'a/b\r\nx: y' }), undefined)).toThrow(
      InvalidManifestError,
    );
    expect(() => parseManifest(Buffer.from('[1]'), undefined)).toThrow('manifest is not a JSON object');
  });
});

describe('createJobBudget', () => {
  it('refuses the manifest past the count or the bytes, not before', () => {
    const budget = createJobBudget({ manifests: 2, bytes: 100 });
    budget.chargeManifest(10);
    budget.chargeManifest(10);

    expect(() => budget.chargeManifest(1)).toThrow(
      'the image has more than 2 manifests (the limit per copy)',
    );
    const bytes = createJobBudget({ manifests: 10, bytes: 100 });
    bytes.chargeManifest(100);
    expect(() => bytes.chargeManifest(1)).toThrow(LimitExceededError);
  });
});
