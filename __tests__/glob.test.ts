import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { globMatcher, validateGlobs } from '../src/glob.js';

const matches = (globs: string[], text: string) => globMatcher(globs)(text);

describe('globMatcher: one pattern', () => {
  it.each([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'dir/a.yaml', false],
    ['**/*.yaml', 'a.yaml', true],
    ['**/*.yaml', 'x/y/a.yaml', true],
    ['vendor/**', 'vendor/a/b', true],
    ['vendor/**', 'vendorx/a', false],
    ['k8s/{prod,staging}/*.y*ml', 'k8s/prod/a.yml', true],
    ['k8s/{prod,staging}/*.y?ml', 'k8s/dev/a.yaml', false],
    ['docker.io/library/busybox*', 'docker.io/library/busybox:1.36', true],
    ['docker.io/library/busybox*', 'docker.io/library/busybox/extra:1', false],
    ['a+b(c).yaml', 'a+b(c).yaml', true],
  ])('%s ~ %s → %s', (glob, text, expected) => {
    expect(matches([glob], text)).toBe(expected);
  });

  it('matches nothing with no globs', () => {
    expect(globMatcher([])('anything')).toBe(false);
  });
});

// picomatch's README: "[abc] Matches any characters inside the brackets"; with the posix option
// a leading `!` in brackets negates the class, and named POSIX classes are supported.
describe('globMatcher: character classes (picomatch, posix: true)', () => {
  it.each([
    ['deploy/[ab]pp.yaml', 'deploy/app.yaml', true],
    ['deploy/[ab]pp.yaml', 'deploy/cpp.yaml', false],
    ['v[0-9].yaml', 'v7.yaml', true],
    ['v[0-9].yaml', 'vx.yaml', false],
    ['env-[!p]*.yaml', 'env-dev.yaml', true],
    ['env-[!p]*.yaml', 'env-prod.yaml', false],
    ['env-[^p]*.yaml', 'env-prod.yaml', false],
    ['v[[:digit:]].yaml', 'v3.yaml', true],
    ['v[[:digit:]].yaml', 'vv.yaml', false],
    ['quay.io/[[:lower:]]*/app:*', 'quay.io/team/app:1', true],
  ])('%s ~ %s → %s', (glob, text, expected) => {
    expect(matches([glob], text)).toBe(expected);
  });
});

// picomatch's README: `*` "does not match ... hidden files or directories ("dotfiles"), unless
// explicitly enabled by setting the dot option to true". ar-mirror sets it, as GitHub's paths: do.
describe('globMatcher: dotfiles (dot: true)', () => {
  it.each([
    ['**/*.yaml', '.github/workflows/ci.yaml', true],
    ['*', '.env.yaml', true],
    ['**', '.github/ar-mirror.yml', true],
    ['deploy/*/app.yaml', 'deploy/.hidden/app.yaml', true],
    ['?env.yaml', '.env.yaml', true],
  ])('%s ~ %s → %s', (glob, text, expected) => {
    expect(matches([glob], text)).toBe(expected);
  });

  it('never lets a dot segment climb out (picomatch refuses . and .. segments even with dot: true)', () => {
    expect([matches(['*/x'], '../x'), matches(['**/x'], 'a/../x')]).toEqual([false, false]);
  });
});

describe('globMatcher: "!" negation, read in order like GitHub paths: filters', () => {
  const globs = ['k8s/**', '!k8s/test/**', 'k8s/test/keep.yaml'];

  it.each([
    ['k8s/prod/app.yaml', true],
    ['k8s/test/fixture.yaml', false],
    ['k8s/test/keep.yaml', true],
    ['charts/app.yaml', false],
  ])('%s → %s', (text, expected) => {
    expect(matches(globs, text)).toBe(expected);
  });

  it('a later pattern wins over an earlier exclusion and vice versa', () => {
    expect([matches(['!a.yaml', 'a.yaml'], 'a.yaml'), matches(['a.yaml', '!a.yaml'], 'a.yaml')]).toEqual([
      true,
      false,
    ]);
  });

  it('negates image globs too', () => {
    const isIgnored = globMatcher(['docker.io/library/*', '!docker.io/library/postgres:*']);

    expect([isIgnored('docker.io/library/redis:7'), isIgnored('docker.io/library/postgres:16')]).toEqual([
      true,
      false,
    ]);
  });

  it('refuses a list of exclusions only, which would match nothing', () => {
    expect(() => validateGlobs(['!vendor/**'], 'input "exclude"')).toThrowError(
      new ConfigError(
        'input "exclude": every pattern starts with "!", so nothing would match; add a pattern to exclude from, e.g. "**"',
      ),
    );
  });
});

describe('validateGlobs', () => {
  it.each(['k8s/{prod', 'k8s/prod}/*.yaml', '{a,{b,c}', '!x/{a'])(
    'rejects unbalanced braces in %s with a ConfigError naming the setting',
    (glob) => {
      expect(() => validateGlobs([glob], 'input "include"')).toThrowError(
        new ConfigError(`input "include": "${glob}" has unbalanced braces; expected {a,b} pairs`),
      );
    },
  );

  it('rejects an unclosed character class naming the setting', () => {
    expect(() => validateGlobs(['deploy/[ab.yaml'], '--exclude')).toThrowError(
      /^--exclude: "deploy\/\[ab\.yaml" is not a valid glob: Missing closing: "\]"/,
    );
  });

  it('rejects a lone "!"', () => {
    expect(() => validateGlobs(['**', '!'], 'glob')).toThrowError(
      new ConfigError('glob: "!" is an empty pattern'),
    );
  });

  it('accepts escaped braces', () => {
    expect(matches(['a\\{b.yaml'], 'a{b.yaml')).toBe(true);
  });
});
