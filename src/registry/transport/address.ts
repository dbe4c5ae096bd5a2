/**
 * Which hosts a registry may send us to. A registry's redirects and token realms are chosen by
 * the registry, so a hostile one could point them at the machine itself or at a cloud metadata
 * service (169.254.169.254) and have us send the keychain's credentials there (SSRF). Only
 * literal addresses and well-known names are recognised: a DNS name is not resolved here.
 */

// Names that always mean this machine or the metadata service.
const LOCAL_NAMES = new Set(['localhost', 'metadata.google.internal']);

/** True for loopback (127/8, ::1, localhost) and link-local (169.254/16, fe80::/10) hosts. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (LOCAL_NAMES.has(host) || host.endsWith('.localhost')) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) return isLocalV4(Number(v4[1]), Number(v4[2]));
  if (!host.includes(':')) return false;
  if (host === '::1' || host === '::') return true;
  if (/^fe[89ab][0-9a-f]:/.test(host)) return true;
  // IPv4-mapped addresses, which the URL parser writes in hex (::ffff:7f00:1).
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(host);
  if (mapped) {
    const high = Number.parseInt(mapped[1]!, 16);
    return isLocalV4(high >> 8, high & 0xff);
  }
  return false;
}

function isLocalV4(first: number, second: number): boolean {
  return first === 127 || first === 0 || (first === 169 && second === 254);
}

/**
 * A predicate for hosts the registry at `registryHost` may send us to: anything not local; local
 * hosts the user named themselves (plain-HTTP hosts, endpoint overrides), compared by hostname so
 * a local registry's token server on another port is accepted; and any local host when the
 * registry itself is local (it runs beside us and could reach them anyway).
 */
export function createHostPolicy(registryHost: string, named: readonly string[]): (url: URL) => boolean {
  if (isLocalHost(hostnameOf(registryHost))) return () => true;
  const names = new Set(named.map((entry) => hostnameOf(entry)));
  return (url) => !isLocalHost(url.hostname) || names.has(url.hostname.toLowerCase());
}

/** The hostname of `host`, `host:port`, `[v6]:port` or a URL, lower case. */
export function hostnameOf(entry: string): string {
  const text = entry.trim().toLowerCase();
  try {
    return new URL(text.includes('://') ? text : `http://${text}`).hostname;
  } catch {
    return text;
  }
}
