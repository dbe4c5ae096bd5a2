/** The path template read backwards: only sources that map forward to the same repository. */
import { describe, expect, it } from 'vitest';
import { mirrorReference, parseMirrorTarget, sourceOf } from '../../src/platform/mirror-target.js';
import { formatReference, parseReference } from '../../src/reference/index.js';

const back = (mirror: string, template?: string) => {
  const source = sourceOf(parseReference(mirror), parseMirrorTarget('us-docker.pkg.dev/p/r', template));
  return source && formatReference(source);
};

describe('sourceOf', () => {
  it('maps the default layout back, ports included', () => {
    expect(back('us-docker.pkg.dev/p/r/docker.io/library/nginx:1.25')).toBe('docker.io/library/nginx:1.25');
    expect(back('us-docker.pkg.dev/p/r/quay.io/a/b/c@sha256:' + 'a'.repeat(64))).toBe(
      `quay.io/a/b/c@sha256:${'a'.repeat(64)}`,
    );
    expect(back('us-docker.pkg.dev/p/r/localhost-5000/lib/app:1')).toBe('localhost:5000/lib/app:1');
    expect(back('us-docker.pkg.dev/p/r/127.0.0.1-5000/lib/app:1')).toBe('127.0.0.1:5000/lib/app:1');
  });

  it('reads {path} templates (Docker Hub official images regain library/) and refuses templates without {registry}', () => {
    expect(back('us-docker.pkg.dev/p/r/mirror/docker.io/nginx:1', 'mirror/{registry}/{path}')).toBe(
      'docker.io/library/nginx:1',
    );
    expect(back('us-docker.pkg.dev/p/r/nginx:1', '{name}')).toBeUndefined();
    // {path} drops library/, so nothing maps forward to a path that still has it.
    expect(
      back('us-docker.pkg.dev/p/r/mirror/docker.io/library/nginx:1', 'mirror/{registry}/{path}'),
    ).toBeUndefined();
    expect(back('us-docker.pkg.dev/other/r/docker.io/library/nginx:1')).toBeUndefined();
  });

  it('round-trips with mirrorReference', () => {
    const target = parseMirrorTarget('127.0.0.1:5000/m');
    for (const text of ['nginx:1', 'ghcr.io/a/b:2', 'registry.k8s.io/pause:3.9', 'localhost:5000/x:1']) {
      const source = parseReference(text);
      expect(sourceOf(mirrorReference(source, target), target)).toEqual(source);
    }
  });
});
