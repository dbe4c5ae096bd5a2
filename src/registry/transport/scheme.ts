import type { RoundTrip } from './types.js';

/** Docker Hub's API host: `docker.io` is only the name used in references and keychains. */
export function registryHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/**
 * `http` only for a registry the user listed (`host:port` or just `host`, which covers every
 * port); HTTPS for everything else.
 */
export function registryScheme(registry: string, plainHttp: readonly string[] = []): 'http' | 'https' {
  const host = registry.toLowerCase();
  const bare = host.replace(/:\d+$/, '');
  const listed = plainHttp.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e !== '' && (e === host || e === bare);
  });
  return listed ? 'http' : 'https';
}

/**
 * Forces the registry's scheme on requests to the registry host. Upload `Location`s and
 * redirects may name the registry with the other scheme when it sits behind a proxy; requests to
 * other hosts (storage redirects) keep their own.
 */
export function withScheme(inner: RoundTrip, options: { host: string; scheme: 'http' | 'https' }): RoundTrip {
  return (req) => {
    const url = new URL(req.url);
    if (url.host !== options.host || url.protocol === `${options.scheme}:`) return inner(req);
    url.protocol = `${options.scheme}:`;
    return inner({ ...req, url: url.toString() });
  };
}
