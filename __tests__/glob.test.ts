import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { globMatcher, globToRegExp } from '../src/glob.js';

describe('globToRegExp', () => {
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
    ['a+b(c).yaml', 'a+b(c).yaml', true],
  ])('%s ~ %s → %s', (glob, text, expected) => {
    expect(globToRegExp(glob).test(text)).toBe(expected);
  });

  it.each(['k8s/{prod', 'k8s/prod}/*.yaml', '{a,{b,c}'])(
    'rejects unbalanced braces in %s with a ConfigError naming the setting',
    (glob) => {
      expect(() => globToRegExp(glob, 'input "include"')).toThrowError(
        new ConfigError(`input "include": "${glob}" has unbalanced braces; expected {a,b} pairs`),
      );
    },
  );

  it('matches nothing with no globs', () => {
    expect(globMatcher([])('anything')).toBe(false);
  });
});
