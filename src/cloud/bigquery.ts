/**
 * BigQuery v2 `jobs.query` (`POST projects/P/queries`) and `jobs.getQueryResults`
 * (`GET projects/P/queries/JOB`): runs one standard-SQL query with named parameters, waits
 * for it while `jobComplete` is false (bounded), and follows `pageToken`s (bounded). Rows come
 * back as `{f: [{v}]}`; only scalar cells are kept, as strings (TIMESTAMPs as int64 microseconds).
 */
import { MirrorError } from '../errors.js';
import type { GoogleApi } from './http.js';
import { asList, asObject, asText, collectPages, pick } from './json.js';

/** A named query parameter (`@name` in the SQL). */
export interface QueryParameter {
  name: string;
  type: 'STRING' | 'TIMESTAMP' | 'INT64';
  value: string;
}

/** Options of {@link runQuery}. */
export interface QueryOptions {
  /** The project the job runs (and is billed) in. */
  project: string;
  query: string;
  parameters?: QueryParameter[];
  /** The dataset's location (`US`, `europe-west4`). Default: BigQuery decides. */
  location?: string;
  /** Rows per page. Default: 10000. */
  pageSize?: number;
  /** Pages read at most. Default: enough for maxRows, and at least 100. */
  maxPages?: number;
  /** Rows kept at most. Default: 200000. */
  maxRows?: number;
  /** getQueryResults calls made while the job is not complete. Default: 60. */
  pollAttempts?: number;
  /** How long BigQuery may hold each call waiting for the job. Default: 10000 ms. */
  waitMs?: number;
  /** What the caller needs, said on a 403 (see permissions.ts). Default: nothing added. */
  needs?: string;
}

/** The column names and the rows (cells as strings, null for NULL). */
export interface QueryResult {
  fields: string[];
  rows: (string | null)[][];
  truncated: boolean;
}

interface JobRef {
  projectId: string;
  jobId: string;
  location: string | undefined;
}

/** Runs a query and returns all its rows within the bounds. */
export async function runQuery(api: GoogleApi, base: string, options: QueryOptions): Promise<QueryResult> {
  const pageSize = options.pageSize ?? 10_000;
  const maxRows = options.maxRows ?? 200_000;
  const waitMs = String(options.waitMs ?? 10_000);
  let answer = await api.request({
    method: 'POST',
    url: `${base}/projects/${encodeURIComponent(options.project)}/queries`,
    ...(options.needs ? { needs: options.needs } : {}),
    body: {
      query: options.query,
      useLegacySql: false,
      parameterMode: 'NAMED',
      queryParameters: (options.parameters ?? []).map((p) => ({
        name: p.name,
        parameterType: { type: p.type },
        parameterValue: { value: p.value },
      })),
      timeoutMs: Number(waitMs),
      maxResults: pageSize,
      formatOptions: { useInt64Timestamp: true },
      ...(options.location ? { location: options.location } : {}),
    },
  });
  const job = jobReference(answer);
  const results = (pageToken?: string) =>
    api.request({
      method: 'GET',
      url: `${base}/projects/${encodeURIComponent(job?.projectId ?? '')}/queries/${encodeURIComponent(job?.jobId ?? '')}`,
      ...(options.needs ? { needs: options.needs } : {}),
      query: {
        pageToken,
        location: job?.location,
        maxResults: String(pageSize),
        timeoutMs: waitMs,
        'formatOptions.useInt64Timestamp': 'true',
      },
    });
  for (let polls = 0; pick(answer, 'jobComplete') !== true; polls++) {
    if (!job)
      throw new MirrorError('BigQuery: the query is not complete and the answer names no job to wait for');
    if (polls >= (options.pollAttempts ?? 60))
      throw new MirrorError(`BigQuery: job ${job.jobId} was not complete after ${polls} waits`);
    answer = await results();
  }
  const fields = asList(pick(answer, 'schema.fields'), 100).map((f) => asText(asObject(f)?.name, 300) ?? '');
  const first = answer;
  const paged = await collectPages(
    async (pageToken) => {
      const page = pageToken === undefined ? first : await results(pageToken);
      const next = asText(page.pageToken, 4096);
      if (next !== undefined && !job)
        throw new MirrorError('BigQuery: more rows follow but the answer names no job');
      return {
        items: asList(page.rows, pageSize).map((row) => cells(row, fields.length)),
        nextPageToken: next,
      };
    },
    {
      maxPages: options.maxPages ?? Math.max(100, Math.ceil(maxRows / pageSize) + 1),
      maxItems: maxRows,
    },
  );
  return { fields, rows: paged.items, truncated: paged.truncated };
}

function jobReference(answer: Record<string, unknown>): JobRef | undefined {
  const projectId = asText(pick(answer, 'jobReference.projectId'), 100);
  const jobId = asText(pick(answer, 'jobReference.jobId'), 1024);
  const location = asText(pick(answer, 'jobReference.location'), 64);
  if (!projectId || !jobId || !/^[\w:.-]+$/.test(projectId) || !/^[\w-]+$/.test(jobId)) return undefined;
  return { projectId, jobId, location: location && /^[\w-]+$/.test(location) ? location : undefined };
}

/** A row's scalar cells; records, arrays and over-long values become null. */
function cells(row: unknown, width: number): (string | null)[] {
  const values = asList(asObject(row)?.f, width).map((cell) => {
    const value = asObject(cell)?.v;
    return typeof value === 'string' && value.length <= 4096 ? value : null;
  });
  while (values.length < width) values.push(null);
  return values;
}
