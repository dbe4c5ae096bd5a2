import { DOCKER_HUB, DOCKER_HUB_ALIASES, DOCKER_HUB_API_HOST } from '../../reference/parse.js';
import { isExempt } from './address.js';
import type { RoundTrip } from './types.js';

/** The API host of a registry: Docker Hub (by any of its names) lives at `registry-1.docker.io`. */
export function registryHost(registry: string): string {
  const name = registry.toLowerCase();
  return name === DOCKER_HUB || DOCKER_HUB_ALIASES.has(name) ? DOCKER_HUB_API_HOST : registry;
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
  return isExempt(registry, plainHttp) ? 'http' : 'https';
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
