import { describe, expect, it } from 'vitest';
import { isThirdParty, matchesRegistry } from '../../src/reference/index.js';

describe('isThirdParty', () => {
  it.each([
    ['us-docker.pkg.dev', 'p/r/app', false],
    ['europe-west1-docker.pkg.dev', 'p/r/app', false],
    ['gcr.io', 'google-containers/pause', false],
    ['eu.gcr.io', 'p/app', false],
    ['docker.io', 'library/nginx', true],
    ['quay.io', 'a/b', true],
    ['ghcr.io', 'a/b', true],
    ['pkg.dev.evil.com', 'a', true],
    ['evilgcr.io', 'a', true],
  ])('%s/%s → %s', (registry, repository, expected) => {
    expect(isThirdParty(registry, repository)).toBe(expected);
  });

  it('honours extra first-party hosts, wildcards and path prefixes', () => {
    const extra = ['registry.corp.example', '*.internal', 'ghcr.io/my-org'];
    expect(isThirdParty('registry.corp.example', 'x', extra)).toBe(false);
    expect(isThirdParty('REGISTRY.corp.example', 'x', extra)).toBe(false);
    expect(isThirdParty('a.internal', 'x', extra)).toBe(false);
    expect(isThirdParty('internal', 'x', extra)).toBe(true);
    expect(isThirdParty('ghcr.io', 'my-org/app', extra)).toBe(false);
    expect(isThirdParty('ghcr.io', 'my-org-other/app', extra)).toBe(true);
    expect(isThirdParty('ghcr.io', 'other/app', extra)).toBe(true);
  });

  it('matches ports exactly', () => {
    expect(matchesRegistry(['127.0.0.1:5000'], '127.0.0.1:5000')).toBe(true);
    expect(matchesRegistry(['127.0.0.1:5000'], '127.0.0.1:5001')).toBe(false);
  });
});
