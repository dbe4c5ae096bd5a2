/**
 * Which hosts a registry may make us talk to. A registry chooses its redirects, token realms and
 * upload Locations, and a pull request chooses its source registries, so a hostile one could
 * point them at this machine or at a cloud metadata service (169.254.169.254) and have us send
 * requests, and credentials, there (SSRF).
 *
 * The rule: nothing local is reached unless the user exempted it, and an exemption covers only
 * the registry it names. An exemption is a `--plain-http`/AR_MIRROR_PLAIN_HTTP entry (`host:port`,
 * or a bare `host` for every port of it) or an AR_MIRROR_REGISTRY_ENDPOINTS endpoint:
 * - it lets the registry whose API lives at exactly that host:port be reached there;
 * - a local registry the user named itself (its API is the exempted host:port, not an endpoint
 *   standing in for a registry of another name) may also send us to other local hosts: its token
 *   server and storage run beside it;
 * - every other registry is judged by its own policy, which allows no local host at all, whatever
 *   else was exempted: a remote source cannot reach a local destination's port, or any other.
 * Literal addresses and well-known names are checked here on every request; DNS names are
 * checked when the connection is made (lookup.ts), with the same exemptions.
 */
import { RegistryError } from './errors.js';
import type { RoundTrip } from './types.js';

// Names that always mean this machine or a metadata service.
const LOCAL_NAMES = new Set(['localhost', 'metadata.google.internal', 'metadata']);
// Metadata services outside the link-local ranges: Alibaba Cloud, AWS over IPv6.
const METADATA_ADDRESSES = new Set(['100.100.100.200', 'fd00:ec2::254']);

/** True for loopback, unspecified, link-local and metadata hosts, by name or literal address. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (LOCAL_NAMES.has(host) || host.endsWith('.localhost')) return true;
  return isLocalAddress(host);
}

/**
 * True for an IP address (as the URL parser or the resolver writes it) that is loopback (127/8,
 * ::1), unspecified (0/8, ::), link-local (169.254/16, fe80::/10, where cloud metadata lives) or
 * another metadata address, including IPv4-mapped IPv6 forms of these.
 */
export function isLocalAddress(address: string): boolean {
  const host = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (METADATA_ADDRESSES.has(host)) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) return isLocalV4(Number(v4[1]), Number(v4[2]));
  if (!host.includes(':')) return false;
  if (host === '::1' || host === '::' || /^0*:(0*:)*0*1?$/.test(host)) return true;
  if (/^fe[89ab][0-9a-f]:/.test(host)) return true;
  // IPv4-mapped addresses: the URL parser writes them in hex (::ffff:7f00:1), resolvers dotted.
  const dotted = /^::ffff:(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (dotted) return isLocalV4(Number(dotted[1]), Number(dotted[2]));
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

/** Where one registry's traffic may go. */
export interface TargetPolicy {
  /** `host[:port]` of the registry's API, as request URLs write it. */
  readonly apiHost: string;
  /** The API host is local but exempted: it may be reached. */
  readonly apiExempt: boolean;
  /** A local registry the user named: its realm, redirects and upload Locations may be local too. */
  readonly localRegistry: boolean;
  /** Whether a request to `url` is allowed (literal addresses and well-known names). */
  allows(url: URL): boolean;
  /** Whether the connection for `url` may resolve to a local address (the lookup guard is off). */
  mayResolveLocal(url: URL): boolean;
}

/**
 * The policy of the registry named `registry` (`host[:port]`) whose API lives at `apiUrl`
 * (`scheme://host[:port]`: the registry itself, or an endpoint standing in for it). `exemptions`
 * are the plain-HTTP entries and endpoint hosts; only those naming its API host count.
 */
export function createTargetPolicy(
  registry: string,
  apiUrl: string,
  exemptions: readonly string[],
): TargetPolicy {
  const api = new URL(apiUrl);
  const apiHost = api.host;
  const apiExempt = isExempt(apiHost, exemptions);
  const localRegistry = apiExempt && registry.toLowerCase() === apiHost.toLowerCase();
  const mayResolveLocal = (url: URL) => (url.host === apiHost ? apiExempt : localRegistry);
  return {
    apiHost,
    apiExempt,
    localRegistry,
    mayResolveLocal,
    allows: (url) => mayResolveLocal(url) || !isLocalHost(url.hostname),
  };
}

/**
 * True when an entry (`host:port`, `[v6]:port`, or a bare `host` meaning every port of it) names
 * `host` (`host[:port]` as the transport talks to it). Compared as written, in lower case.
 */
export function isExempt(host: string, entries: readonly string[]): boolean {
  const wanted = host.trim().toLowerCase();
  const hostname = hostnameOf(wanted);
  return entries.some((entry) => {
    const text = entry.trim().toLowerCase();
    if (text === '') return false;
    return text === wanted || (!/:\d+$/.test(text) && hostnameOf(text) === hostname);
  });
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

/**
 * Refuses, before anything is sent, every request whose URL `policy` does not allow: whatever
 * layer above built it (the API base, a token realm, a redirect, an upload Location).
 */
export function withTargetPolicy(inner: RoundTrip, policy: TargetPolicy): RoundTrip {
  return (req) => {
    const url = new URL(req.url);
    if (policy.allows(url)) return inner(req);
    return Promise.reject(
      new RegistryError({
        method: req.method,
        url: req.url,
        temporary: false,
        reason: `${url.hostname} is a loopback, link-local or metadata host, and only a registry named in --plain-http (AR_MIRROR_PLAIN_HTTP) or AR_MIRROR_REGISTRY_ENDPOINTS may be reached there`,
      }),
    );
  };
}
