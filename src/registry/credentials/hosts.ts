/**
 * Registry host names as credentials are keyed: Docker config keys may be URLs
 * (`https://index.docker.io/v1/`), and Docker Hub answers to several names (the table lives in
 * src/reference, shared with reference parsing and the transport).
 */
import { DOCKER_HUB, DOCKER_HUB_ALIASES } from '../../reference/parse.js';

/** The canonical name of Docker Hub in references and keychain lookups. */
export const DOCKER_HUB_HOST = DOCKER_HUB;

/** The server URL Docker stores Docker Hub credentials under (and passes to credential helpers). */
export const DOCKER_HUB_SERVER_URL = 'https://index.docker.io/v1/';

/**
 * Reduces a registry name or URL to `host[:port]` in lower case, with every Docker Hub alias
 * mapped to `docker.io`: `https://index.docker.io/v1/` → `docker.io`, `HTTP://Reg:5000/x` → `reg:5000`.
 */
export function normaliseRegistryHost(text: string): string {
  let host = text.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  host = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB_HOST : host;
}

/** True for hosts whose registry takes Google access tokens: `*.pkg.dev`, `gcr.io` and `*.gcr.io`. */
export function isGoogleRegistryHost(host: string): boolean {
  const name = normaliseRegistryHost(host).replace(/:\d+$/, '');
  return name.endsWith('.pkg.dev') || name === 'gcr.io' || name.endsWith('.gcr.io');
}

/** The server URL a credential helper expects for `host` (Docker Hub has its historical URL). */
export function helperServerUrl(host: string): string {
  return normaliseRegistryHost(host) === DOCKER_HUB_HOST
    ? DOCKER_HUB_SERVER_URL
    : normaliseRegistryHost(host);
}
