/**
 * Local stand-ins for the Google REST APIs the platform commands call, on one 127.0.0.1 port,
 * each under its own base path, following the real shapes (field names of the discovery
 * documents, `nextPageToken`/`pageToken` paging, errors as `{error: {code, message, status,
 * details}}`): Cloud Logging v2, BigQuery v2, GKE (Container v1), Resource Manager v1, IAM v1,
 * Artifact Registry v1 getIamPolicy and Cloud Run Admin v2. A request needs the stand-in's
 * bearer token. Faults (429s, 5xx, quota errors) can be queued per path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BigQueryState, getQueryResults, query } from './bigquery.js';
import { type ApiRequest, type ApiResponse, googleError, notFound, ok, readJson, send } from './http.js';
import { type LogEntry, listEntries } from './logging.js';

export { googleError } from './http.js';
export { type LogEntry, pullEntry } from './logging.js';

/** An IAM policy binding as the APIs return it. */
export interface Binding {
  role: string;
  members: string[];
  condition?: { title?: string; expression: string };
}

/** A fault answered instead of the real response, `times` times, for paths matching `path`. */
export interface Fault {
  path: RegExp;
  times: number;
  answer: ApiResponse;
}

/** Everything tests arrange and inspect. */
export interface GoogleApisState {
  logEntries: Map<string, LogEntry[]>;
  /** Projects whose logs the token may read. */
  loggingProjects: Set<string>;
  bigquery: BigQueryState;
  /** Resource Manager projects: number and IAM bindings. */
  projects: Map<string, { projectNumber: string; bindings: Binding[] }>;
  /** GKE clusters by `projects/P/locations/L/clusters/C`, as Cluster resources. */
  clusters: Map<string, Record<string, unknown>>;
  /** IAM roles by name (`roles/X`, `projects/P/roles/X`, `organizations/O/roles/X`). */
  roles: Map<string, { includedPermissions: string[]; deleted?: boolean }>;
  /** Artifact Registry repositories' bindings by `projects/P/locations/L/repositories/R`. */
  repositoryPolicies: Map<string, Binding[]>;
  /** Cloud Run services by `projects/P/locations/L/services/S`, as Service resources. */
  runServices: Map<string, Record<string, unknown>>;
  faults: Fault[];
  /** Every request as `METHOD /base/path`, in order. */
  requests: string[];
}

/** A running stand-in. */
export interface GoogleApis {
  url: string;
  /** The only bearer token accepted. */
  token: string;
  state: GoogleApisState;
  /** The AR_MIRROR_*_API variables (and the token) pointing at this stand-in. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

type Route = (req: ApiRequest, match: RegExpExecArray, state: GoogleApisState) => ApiResponse;

const ROUTES: [string, RegExp, Route][] = [
  [
    'POST',
    /^\/logging\/v2\/entries:list$/,
    (req, _m, s) => listEntries(req, s.logEntries, s.loggingProjects),
  ],
  ['POST', /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/, (req, m, s) => query(req, m[1]!, s.bigquery)],
  [
    'GET',
    /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/,
    (req, m, s) => getQueryResults(req, m[1]!, m[2]!, s.bigquery),
  ],
  [
    'GET',
    /^\/container\/v1\/(projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+)$/,
    (_r, m, s) => found(s.clusters.get(m[1]!), `Cluster ${m[1]}`),
  ],
  ['GET', /^\/crm\/v1\/projects\/([^/:]+)$/, (_r, m, s) => project(s, m[1]!)],
  ['POST', /^\/crm\/v1\/projects\/([^/:]+):getIamPolicy$/, (req, m, s) => projectPolicy(req, s, m[1]!)],
  [
    'GET',
    /^\/iam\/v1\/((?:(?:projects|organizations)\/[^/]+\/)?roles\/[^/]+)$/,
    (_r, m, s) => role(s, m[1]!),
  ],
  [
    'GET',
    /^\/ar\/v1\/(projects\/[^/]+\/locations\/[^/]+\/repositories\/[^/:]+):getIamPolicy$/,
    (req, m, s) => repositoryPolicy(req, s, m[1]!),
  ],
  [
    'GET',
    /^\/run\/v2\/(projects\/[^/]+\/locations\/[^/]+\/services\/[^/]+)$/,
    (_r, m, s) => found(s.runServices.get(m[1]!), `Service ${m[1]}`),
  ],
];

const found = (value: unknown, what: string) => (value ? ok(value) : notFound(what));

function project(state: GoogleApisState, id: string): ApiResponse {
  const p = state.projects.get(id);
  if (!p) return googleError(403, 'PERMISSION_DENIED', `The caller does not have permission`);
  return ok({
    projectNumber: p.projectNumber,
    projectId: id,
    lifecycleState: 'ACTIVE',
    name: id,
    createTime: '2020-01-01T00:00:00.000Z',
  });
}

function policy(bindings: Binding[]) {
  return { version: bindings.some((b) => b.condition) ? 3 : 1, etag: 'BwX1', bindings };
}

function projectPolicy(req: ApiRequest, state: GoogleApisState, id: string): ApiResponse {
  const p = state.projects.get(id);
  if (!p) return googleError(403, 'PERMISSION_DENIED', `The caller does not have permission`);
  const version = (req.body.options as { requestedPolicyVersion?: number } | undefined)
    ?.requestedPolicyVersion;
  if (p.bindings.some((b) => b.condition) && version !== 3)
    return googleError(400, 'INVALID_ARGUMENT', 'a policy with conditions needs requestedPolicyVersion 3');
  return ok(policy(p.bindings));
}

function repositoryPolicy(req: ApiRequest, state: GoogleApisState, name: string): ApiResponse {
  const bindings = state.repositoryPolicies.get(name);
  if (!bindings) return notFound(`Repository ${name}`);
  if (bindings.some((b) => b.condition) && req.query.get('options.requestedPolicyVersion') !== '3')
    return googleError(400, 'INVALID_ARGUMENT', 'a policy with conditions needs requestedPolicyVersion 3');
  return ok(bindings.length > 0 ? policy(bindings) : { etag: 'ACAB' });
}

function role(state: GoogleApisState, name: string): ApiResponse {
  const r = state.roles.get(name);
  if (!r) return notFound(`Role ${name}`);
  return ok({
    name,
    title: name,
    includedPermissions: r.includedPermissions,
    stage: 'GA',
    etag: 'BwX',
    ...(r.deleted ? { deleted: true } : {}),
  });
}

/** Starts the stand-in on a kernel-chosen port. */
export async function startGoogleApis(): Promise<GoogleApis> {
  const token = `ya29.stand-in-${Math.random().toString(36).slice(2)}`;
  const state: GoogleApisState = {
    logEntries: new Map(),
    loggingProjects: new Set(),
    bigquery: { datasets: new Map(), partitioned: new Set(), incompletePolls: 0, jobs: new Map() },
    projects: new Map(),
    clusters: new Map(),
    roles: new Map(),
    repositoryPolicies: new Map(),
    runServices: new Map(),
    faults: [],
    requests: [],
  };
  const server = http.createServer((req, res) => {
    handle(req, state, token)
      .then((answer) => send(res, answer))
      .catch((err: unknown) => send(res, googleError(500, 'INTERNAL', String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    state,
    env: () => ({
      AR_MIRROR_LOGGING_API: `${url}/logging/v2`,
      AR_MIRROR_BIGQUERY_API: `${url}/bigquery/v2`,
      AR_MIRROR_CONTAINER_API: `${url}/container/v1`,
      AR_MIRROR_RESOURCE_MANAGER_API: `${url}/crm/v1`,
      AR_MIRROR_IAM_API: `${url}/iam/v1`,
      AR_MIRROR_ARTIFACT_REGISTRY_API: `${url}/ar/v1`,
      AR_MIRROR_RUN_API: `${url}/run/v2`,
      AR_MIRROR_GCP_ACCESS_TOKEN: token,
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: http.IncomingMessage,
  state: GoogleApisState,
  token: string,
): Promise<ApiResponse> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = decodeURIComponent(url.pathname);
  state.requests.push(`${req.method} ${path}`);
  const body = req.method === 'POST' ? await readJson(req) : {};
  if (req.headers.authorization !== `Bearer ${token}`)
    return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
  const fault = state.faults.find((f) => f.times > 0 && f.path.test(path));
  if (fault) {
    fault.times--;
    return fault.answer;
  }
  for (const [method, pattern, route] of ROUTES) {
    const match = pattern.exec(path);
    if (match && method === req.method)
      return route({ method, path, query: url.searchParams, body }, match, state);
  }
  return googleError(404, 'NOT_FOUND', `no such method ${req.method} ${path}`);
}
