/**
 * BigQuery v2 stand-in for `jobs.query` (`POST projects/P/queries`) and `jobs.getQueryResults`
 * (`GET projects/P/queries/JOB`). It cannot run SQL: it recognises ar-mirror's pull query over a
 * sink's tables (checking the parts that matter: the table, the reason, the named `@since`
 * TIMESTAMP parameter, standard SQL) and computes its grouping over the stored entries. A sink
 * writes date-sharded `events_YYYYMMDD` tables, or one `events` table when it was created with
 * partitioned tables: the query must name what the dataset holds (`events_*` or `events`), as a
 * FROM naming a missing table is "Not found" in BigQuery, and `_TABLE_SUFFIX` exists only over a
 * wildcard. Rows come back in grouping order unless the query says `ORDER BY last_seen DESC`
 * (without ORDER BY, BigQuery promises no order). Jobs can stay incomplete for a number of
 * polls; rows page by `maxResults`.
 */
import { randomUUID } from 'node:crypto';
import {
  type ApiRequest,
  type ApiResponse,
  googleError,
  notFound,
  ok,
  pageToken,
  tokenOffset,
} from './http.js';
import type { LogEntry } from './logging.js';

interface Job {
  projectId: string;
  location: string;
  rows: string[][];
  pollsLeft: number;
  int64Timestamps: boolean;
}

/** The BigQuery side of the stand-in's state. */
export interface BigQueryState {
  /** Sink datasets `PROJECT.DATASET` → the entries exported to their tables. */
  datasets: Map<string, LogEntry[]>;
  /** Datasets whose sink uses partitioned tables (one `events` table, not `events_*`). */
  partitioned: Set<string>;
  /** How many getQueryResults calls a new job answers with jobComplete=false. Default: 0. */
  incompletePolls: number;
  jobs: Map<string, Job>;
}

const FIELDS = [
  ['image', 'STRING'],
  ['project', 'STRING'],
  ['location', 'STRING'],
  ['cluster', 'STRING'],
  ['namespace', 'STRING'],
  ['pulls', 'INTEGER'],
  ['first_seen', 'TIMESTAMP'],
  ['last_seen', 'TIMESTAMP'],
] as const;

/** `POST projects/P/queries`. */
export function query(req: ApiRequest, project: string, state: BigQueryState): ApiResponse {
  const body = req.body as Record<string, unknown>;
  const text = typeof body.query === 'string' ? body.query : '';
  if (body.useLegacySql !== false)
    return googleError(400, 'INVALID_ARGUMENT', 'expected standard SQL (useLegacySql: false)');
  const from = /FROM `([^`.]+\.[^`.]+)\.(events_\*|events)`/.exec(text);
  if (!from || !text.includes("jsonPayload.reason = 'Pulling'") || !text.includes('@since'))
    return googleError(400, 'INVALID_ARGUMENT', 'Syntax error: the stand-in only runs the pull query');
  const dataset = from[1]!;
  const table = from[2]!;
  const wildcard = table === 'events_*';
  if (!wildcard && text.includes('_TABLE_SUFFIX'))
    return googleError(400, 'INVALID_ARGUMENT', 'Unrecognized name: _TABLE_SUFFIX');
  const since = sinceParameter(body);
  if (since === undefined)
    return googleError(400, 'INVALID_ARGUMENT', 'Query parameter since of type TIMESTAMP is missing');
  const entries = state.datasets.get(dataset);
  if (!entries) return notFound(`Not found: Dataset ${dataset.replace('.', ':')} was`);
  if (wildcard === state.partitioned.has(dataset))
    return googleError(
      404,
      'NOT_FOUND',
      `Not found: Table ${dataset.replace('.', ':')}.${table} was not found in location US`,
    );
  const jobId = `job_${randomUUID().replace(/-/g, '_')}`;
  const int64Timestamps =
    (body.formatOptions as { useInt64Timestamp?: unknown } | undefined)?.useInt64Timestamp === true;
  const job: Job = {
    projectId: project,
    location: typeof body.location === 'string' ? body.location : 'US',
    rows: group(
      entries.filter((e) => Date.parse(e.timestamp) >= since),
      int64Timestamps,
      /ORDER BY last_seen DESC\s*$/.test(text),
    ),
    pollsLeft: state.incompletePolls,
    int64Timestamps,
  };
  state.jobs.set(jobId, job);
  return answer(jobId, job, 0, Number(body.maxResults ?? 1000));
}

/** `GET projects/P/queries/JOB`. */
export function getQueryResults(
  req: ApiRequest,
  project: string,
  jobId: string,
  state: BigQueryState,
): ApiResponse {
  const job = state.jobs.get(jobId);
  if (!job || job.projectId !== project) return notFound(`Not found: Job ${project}:${jobId}`);
  if (req.query.get('location') !== job.location)
    return notFound(`Not found: Job ${project}:${jobId} (location ${req.query.get('location')})`);
  const offset = tokenOffset(req.query.get('pageToken'));
  if (offset === undefined) return googleError(400, 'INVALID_ARGUMENT', 'Invalid page token');
  return answer(jobId, job, offset, Number(req.query.get('maxResults') ?? 1000));
}

function answer(jobId: string, job: Job, offset: number, maxResults: number): ApiResponse {
  const jobReference = { projectId: job.projectId, jobId, location: job.location };
  if (job.pollsLeft > 0) {
    job.pollsLeft--;
    return ok({ kind: 'bigquery#getQueryResultsResponse', jobReference, jobComplete: false });
  }
  const page = job.rows.slice(offset, offset + maxResults);
  return ok({
    kind: 'bigquery#queryResponse',
    schema: { fields: FIELDS.map(([name, type]) => ({ name, type, mode: 'NULLABLE' })) },
    jobReference,
    totalRows: String(job.rows.length),
    ...(page.length > 0 ? { rows: page.map((row) => ({ f: row.map((v) => ({ v })) })) } : {}),
    ...(offset + maxResults < job.rows.length ? { pageToken: pageToken(offset + maxResults) } : {}),
    totalBytesProcessed: '1024',
    jobComplete: true,
    cacheHit: false,
  });
}

function sinceParameter(body: Record<string, unknown>): number | undefined {
  if (body.parameterMode !== 'NAMED' || !Array.isArray(body.queryParameters)) return undefined;
  const parameter = (
    body.queryParameters as {
      name?: string;
      parameterType?: { type?: string };
      parameterValue?: { value?: string };
    }[]
  ).find((p) => p.name === 'since');
  if (parameter?.parameterType?.type !== 'TIMESTAMP') return undefined;
  const at = Date.parse(parameter.parameterValue?.value ?? '');
  return Number.isFinite(at) ? at : undefined;
}

/** GROUP BY image, project, location, cluster, namespace, hour; as BigQuery would answer it. */
function group(entries: LogEntry[], int64Timestamps: boolean, newestFirst: boolean): string[][] {
  const groups = new Map<string, { key: string[]; pulls: number; first: number; last: number }>();
  for (const entry of entries) {
    if (entry.resource.type !== 'k8s_pod' || entry.jsonPayload.reason !== 'Pulling') continue;
    const image = /"(.*?)"/.exec(String(entry.jsonPayload.message))?.[1] ?? '';
    const labels = entry.resource.labels;
    const at = Date.parse(entry.timestamp);
    const key = [
      image,
      labels.project_id ?? '',
      labels.location ?? '',
      labels.cluster_name ?? '',
      labels.namespace_name ?? '',
    ];
    const id = [...key, Math.floor(at / 3_600_000)].join('\u0000');
    const found = groups.get(id) ?? { key, pulls: 0, first: at, last: at };
    found.pulls++;
    found.first = Math.min(found.first, at);
    found.last = Math.max(found.last, at);
    groups.set(id, found);
  }
  // TIMESTAMPs: int64 microseconds with useInt64Timestamp, else float seconds in E notation.
  const time = (ms: number) =>
    int64Timestamps ? String(ms * 1000) : (ms / 1000).toExponential().toUpperCase().replace('E+', 'E');
  const list = [...groups.values()];
  if (newestFirst) list.sort((a, b) => b.last - a.last);
  return list.map((g) => [...g.key, String(g.pulls), time(g.first), time(g.last)]);
}
