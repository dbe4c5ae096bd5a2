/**
 * Cloud Logging v2 `POST entries:list`: the image-pull events GKE writes, one project at a time
 * (the read quota, about 60 requests a minute, is per project), every page followed within
 * bounds. The entries stay `unknown` here: src/platform/pull-events.ts validates them.
 */
import type { GoogleApi } from './http.js';
import { asList, asText, collectPages, type Paged } from './json.js';
import { loggingListNeeds } from './permissions.js';

/** The guide's filter for image pulls (REFERENCE.md §9). */
export const PULL_FILTER = 'resource.type="k8s_pod" jsonPayload.reason="Pulling"';

/** Options of {@link listPullEntries}. */
export interface ListEntriesOptions {
  /** The project whose logs are read. */
  project: string;
  /** Only entries at or after this time. */
  since: Date;
  /** Only entries before this time. Default: none. */
  until?: Date;
  /** Entries per page (the API allows up to 1000). Default: 1000. */
  pageSize?: number;
  /**
   * Pages read at most. Default: enough for maxEntries twice over (Logging may answer a slow
   * search with empty pages), and at least 100.
   */
  maxPages?: number;
  /** Entries kept at most. Default: 100000. */
  maxEntries?: number;
}

/** The filter for pulls in a time window (RFC 3339 timestamps, as the Logging query language wants). */
export function pullFilter(since: Date, until?: Date): string {
  const window = [`timestamp>="${since.toISOString()}"`];
  if (until) window.push(`timestamp<"${until.toISOString()}"`);
  return `${PULL_FILTER} ${window.join(' ')}`;
}

/**
 * Lists the pull entries of one project, newest first: when maxEntries cuts the list short, what
 * is lost is the oldest pulls, never the latest ones the cut-over gate is there to see.
 */
export async function listPullEntries(
  api: GoogleApi,
  base: string,
  options: ListEntriesOptions,
): Promise<Paged<unknown>> {
  const pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
  const maxEntries = options.maxEntries ?? 100_000;
  const maxPages = options.maxPages ?? Math.max(100, 2 * Math.ceil(maxEntries / pageSize));
  return collectPages(
    async (pageToken) => {
      const body = await api.request({
        method: 'POST',
        url: `${base}/entries:list`,
        needs: loggingListNeeds(options.project),
        body: {
          resourceNames: [`projects/${options.project}`],
          filter: pullFilter(options.since, options.until),
          orderBy: 'timestamp desc',
          pageSize,
          ...(pageToken ? { pageToken } : {}),
        },
      });
      return { items: asList(body.entries, pageSize), nextPageToken: asText(body.nextPageToken, 4096) };
    },
    { maxPages, maxItems: maxEntries },
  );
}
