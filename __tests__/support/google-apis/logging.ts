/**
 * Cloud Logging v2 `POST entries:list` stand-in: `{resourceNames, filter, orderBy, pageSize,
 * pageToken}` → `{entries, nextPageToken}`. It understands the parts of the filter language
 * ar-mirror sends (the resource type, the reason, a timestamp window) and refuses others, and
 * orders as the API does: `orderBy` is "timestamp asc" (the default) or "timestamp desc",
 * anything else is INVALID_ARGUMENT.
 */
import { type ApiRequest, type ApiResponse, googleError, ok, pageToken, tokenOffset } from './http.js';

/** A LogEntry (the fields GKE event entries carry). */
export interface LogEntry {
  logName: string;
  resource: { type: string; labels: Record<string, string> };
  timestamp: string;
  receiveTimestamp?: string;
  severity?: string;
  insertId: string;
  jsonPayload: Record<string, unknown>;
}

/** Builds a GKE "Pulling" event entry as the event exporter writes it. */
export function pullEntry(options: {
  project: string;
  location?: string;
  cluster: string;
  namespace: string;
  image: string;
  timestamp: string;
  message?: string;
}): LogEntry {
  const labels = {
    project_id: options.project,
    location: options.location ?? 'us-central1',
    cluster_name: options.cluster,
    namespace_name: options.namespace,
    pod_name: `pod-${Math.random().toString(36).slice(2, 8)}`,
  };
  return {
    logName: `projects/${options.project}/logs/events`,
    resource: { type: 'k8s_pod', labels },
    timestamp: options.timestamp,
    receiveTimestamp: options.timestamp,
    severity: 'INFO',
    insertId: Math.random().toString(36).slice(2, 14),
    jsonPayload: {
      kind: 'Event',
      apiVersion: 'v1',
      reason: 'Pulling',
      type: 'Normal',
      message: options.message ?? `Pulling image "${options.image}"`,
      involvedObject: {
        kind: 'Pod',
        namespace: options.namespace,
        name: labels.pod_name,
        fieldPath: 'spec.containers{app}',
      },
      source: { component: 'kubelet', host: 'gke-node-1' },
      metadata: { namespace: options.namespace, name: `${labels.pod_name}.17c1` },
    },
  };
}

const REQUIRED = ['resource.type="k8s_pod"', 'jsonPayload.reason="Pulling"'];

/** Handles entries:list over `entries` (project → entries). */
export function listEntries(
  req: ApiRequest,
  entries: Map<string, LogEntry[]>,
  allowed: Set<string>,
): ApiResponse {
  const {
    resourceNames,
    filter,
    orderBy = 'timestamp asc',
    pageSize = 50,
    pageToken: token,
  } = req.body as {
    resourceNames?: unknown;
    filter?: unknown;
    orderBy?: unknown;
    pageSize?: unknown;
    pageToken?: unknown;
  };
  if (!Array.isArray(resourceNames) || resourceNames.length === 0)
    return googleError(400, 'INVALID_ARGUMENT', 'resourceNames is required');
  if (typeof pageSize !== 'number' || pageSize < 1 || pageSize > 1000)
    return googleError(400, 'INVALID_ARGUMENT', 'pageSize must be between 1 and 1000');
  if (orderBy !== 'timestamp asc' && orderBy !== 'timestamp desc')
    return googleError(400, 'INVALID_ARGUMENT', `invalid orderBy: ${String(orderBy)}`);
  if (typeof filter !== 'string' || !REQUIRED.every((part) => filter.includes(part)))
    return googleError(400, 'INVALID_ARGUMENT', `unsupported filter: ${String(filter)}`);
  const offset = tokenOffset(token as string | undefined);
  if (offset === undefined) return googleError(400, 'INVALID_ARGUMENT', 'invalid page token');
  const since = /timestamp>="([^"]+)"/.exec(filter)?.[1];
  const until = /timestamp<"([^"]+)"/.exec(filter)?.[1];
  const all: LogEntry[] = [];
  for (const name of resourceNames as string[]) {
    const project = /^projects\/(.+)$/.exec(name)?.[1] ?? '';
    if (!allowed.has(project))
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Permission 'logging.logEntries.list' denied on resource '${name}'.`,
      );
    all.push(...(entries.get(project) ?? []));
  }
  const inWindow = all
    .filter((e) => (since ? Date.parse(e.timestamp) >= Date.parse(since) : true))
    .filter((e) => (until ? Date.parse(e.timestamp) < Date.parse(until) : true))
    .sort(
      (a, b) => (Date.parse(a.timestamp) - Date.parse(b.timestamp)) * (orderBy === 'timestamp desc' ? -1 : 1),
    );
  const page = inWindow.slice(offset, offset + pageSize);
  const next = offset + pageSize < inWindow.length ? { nextPageToken: pageToken(offset + pageSize) } : {};
  // The real API leaves `entries` out of an empty page.
  return ok({ ...(page.length > 0 ? { entries: page } : {}), ...next });
}
