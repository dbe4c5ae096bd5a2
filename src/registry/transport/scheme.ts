import type { RoundTrip } from './types.js';

/** Docker Hub's API host: `docker.io` is only the name used in references and keychains. */
export function registryHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/** Splits an endpoint URL (`http://127.0.0.1:5000`) into the host and scheme a transport talks to. */
export function parseEndpoint(endpoint: string): { host: string; scheme: 'http' | 'https' } {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`registry endpoint "${endpoint}" must be an http:// or https:// URL`);
  }
  return { host: url.host, scheme: url.protocol === 'http:' ? 'http' : 'https' };
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
