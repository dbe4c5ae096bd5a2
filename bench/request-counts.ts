/**
 * Counts the requests a registry client makes, by kind (what the Distribution API call is), for
 * the copy benchmark's request-cost report: how many manifest GETs reach the source (Docker
 * Hub counts them as pulls), how many blobs and manifests were fetched more than once, and the
 * total per tool.
 */

/** What a request is, from its method and path. */
export type RequestKind =
  | 'ping'
  | 'token'
  | 'manifest GET'
  | 'manifest HEAD'
  | 'manifest PUT'
  | 'blob GET'
  | 'blob HEAD'
  | 'upload POST'
  | 'upload PATCH'
  | 'upload PUT'
  | 'upload DELETE'
  | 'other';

/** The counts of one proxy since its last reset. */
export interface RequestCounts {
  /** Every request answered (or failed) through the proxy, /__counts excluded. */
  total: number;
  byKind: Partial<Record<RequestKind, number>>;
  /** Successful manifest GETs of a digest already fetched successfully (a second pull). */
  duplicateManifestGets: number;
  /** Successful blob GETs of a digest already fetched successfully. */
  duplicateBlobGets: number;
  /** TCP connections the clients opened to the proxy. */
  connections: number;
  /** Body bytes received from clients (uploads) and sent to them (downloads). */
  bytesIn: number;
  bytesOut: number;
}

/** The path prefix under which the proxy forwards token requests (see WanProxyOptions.tokenOrigin). */
export const TOKEN_PREFIX = '/__token';

/** Classifies one request; `path` may carry a query. */
export function classifyRequest(method: string, path: string): RequestKind {
  const pathname = path.split('?')[0] ?? '';
  if (pathname.startsWith(`${TOKEN_PREFIX}/`)) return 'token';
  if (pathname === '/v2/' || pathname === '/v2') return 'ping';
  const what = /^\/v2\/.+\/(manifests\/[^/]+|blobs\/uploads\/.*|blobs\/[^/]+)$/.exec(pathname)?.[1];
  if (!what) return 'other';
  const kind = what.startsWith('manifests/')
    ? 'manifest'
    : what.startsWith('blobs/uploads/')
      ? 'upload'
      : 'blob';
  const key = `${kind} ${method}`;
  return isKind(key) ? key : 'other';
}

const KINDS = new Set<string>([
  'manifest GET',
  'manifest HEAD',
  'manifest PUT',
  'blob GET',
  'blob HEAD',
  'upload POST',
  'upload PATCH',
  'upload PUT',
  'upload DELETE',
]);
const isKind = (key: string): key is RequestKind => KINDS.has(key);

/** One answered request, as the counter needs it. */
export interface CountedRequest {
  method: string;
  path: string;
  status: number;
  /** The response's Docker-Content-Digest (identifies a manifest fetched by tag). */
  contentDigest?: string | undefined;
}

/** A mutable counter behind one proxy. */
export interface RequestCounter {
  record(req: CountedRequest): void;
  connection(): void;
  bytes(direction: 'in' | 'out', n: number): void;
  snapshot(): RequestCounts;
  reset(): void;
}

/** Creates an empty counter. */
export function createRequestCounter(): RequestCounter {
  let counts = empty();
  let manifests = new Set<string>();
  let blobs = new Set<string>();
  const seen = (set: Set<string>, key: string) => {
    const again = set.has(key);
    set.add(key);
    return again ? 1 : 0;
  };
  return {
    record({ method, path, status, contentDigest }) {
      const kind = classifyRequest(method, path);
      counts.total++;
      counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
      if (status < 200 || status >= 400) return;
      const pathname = path.split('?')[0] ?? '';
      const last = pathname.slice(pathname.lastIndexOf('/') + 1);
      if (kind === 'manifest GET') counts.duplicateManifestGets += seen(manifests, contentDigest ?? last);
      if (kind === 'blob GET') counts.duplicateBlobGets += seen(blobs, last);
    },
    connection() {
      counts.connections++;
    },
    bytes(direction, n) {
      if (direction === 'in') counts.bytesIn += n;
      else counts.bytesOut += n;
    },
    snapshot: () => ({ ...counts, byKind: { ...counts.byKind } }),
    reset() {
      counts = empty();
      manifests = new Set();
      blobs = new Set();
    },
  };
}

function empty(): RequestCounts {
  return {
    total: 0,
    byKind: {},
    duplicateManifestGets: 0,
    duplicateBlobGets: 0,
    connections: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
}
