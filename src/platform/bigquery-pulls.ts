/**
 * The guide's BigQuery side (pure): the query over a log sink's tables (date-sharded `events_*`,
 * or the one partitioned `events` table of a sink made with --use-partitioned-tables), grouped
 * per image, cluster, namespace and hour so history of any length comes back in a bounded number
 * of rows, newest first, and the rows turned into PullEvents.
 */
import { ConfigError, MirrorError } from '../errors.js';
import { tryParseReference } from '../reference/index.js';
import { printable } from '../text/escape.js';
import type { ParsedPulls } from './pull-events.js';

/** `PROJECT.DATASET` of a sink's dataset. */
export interface SinkDataset {
  project: string;
  dataset: string;
}

// Dataset IDs: letters, digits, underscores (up to 1024). Project IDs may carry a `domain:` prefix.
const DATASET = /^((?:[a-z][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,28}[a-z0-9])\.([A-Za-z0-9_]{1,1024})$/;

/** Parses `--bigquery PROJECT.DATASET`; the names go into the SQL text, so nothing else passes. */
export function parseSinkDataset(text: string): SinkDataset {
  const match = DATASET.exec(text.trim());
  if (!match)
    throw new ConfigError(
      `--bigquery: expected PROJECT.DATASET (the log sink's dataset), got "${printable(text, 100)}"`,
    );
  return { project: match[1]!, dataset: match[2]! };
}

/** The sink's tables by default: GKE's `events` log, date-sharded (`events_20240501`, …). */
export const DEFAULT_SINK_TABLE = 'events_*';

/**
 * Parses `--bigquery-table`: a table name (a partitioned sink's single table) or `PREFIX_*` (its
 * date-sharded tables). A bare `events*` is not offered for both: BigQuery documents a wildcard
 * as the union of the tables whose names begin with the prefix, not whether the prefix table
 * itself is one, and refuses a wildcard over a mix of partitioned and unpartitioned tables.
 */
export function parseSinkTable(text: string): string {
  if (!/^[A-Za-z0-9_]{1,1000}(_\*)?$/.test(text))
    throw new ConfigError(
      `--bigquery-table: expected the sink's table ("events" for a sink with partitioned tables) or its date-sharded tables ("events_*"), got "${printable(text, 100)}"`,
    );
  return text;
}

/** The columns the query returns, in order. */
export const PULL_COLUMNS = [
  'image',
  'project',
  'location',
  'cluster',
  'namespace',
  'pulls',
  'first_seen',
  'last_seen',
] as const;

/**
 * The query: the guide's REGEXP_EXTRACT over `jsonPayload.message`. Over date shards only those
 * from the window's first day are read (`_TABLE_SUFFIX`, so older shards are not scanned or
 * billed); the table of a sink created with partitioned tables is partitioned on its `timestamp`
 * column (all new sinks), which the window already prunes. Newest groups first, so a --max-entries cut drops the oldest, never the latest pulls.
 */
export function pullQuery(sink: SinkDataset, table: string = DEFAULT_SINK_TABLE): string {
  const sharded = table.endsWith('_*');
  return [
    'SELECT',
    `  REGEXP_EXTRACT(jsonPayload.message, r'"(.*?)"') AS image,`,
    '  resource.labels.project_id AS project,',
    '  resource.labels.location AS location,',
    '  resource.labels.cluster_name AS cluster,',
    '  resource.labels.namespace_name AS namespace,',
    '  COUNT(*) AS pulls,',
    '  MIN(timestamp) AS first_seen,',
    '  MAX(timestamp) AS last_seen',
    `FROM \`${sink.project}.${sink.dataset}.${table}\``,
    "WHERE jsonPayload.reason = 'Pulling'",
    '  AND timestamp >= @since',
    ...(sharded ? ["  AND _TABLE_SUFFIX >= FORMAT_TIMESTAMP('%Y%m%d', @since)"] : []),
    'GROUP BY image, project, location, cluster, namespace, TIMESTAMP_TRUNC(timestamp, HOUR)',
    'ORDER BY last_seen DESC',
  ].join('\n');
}

/**
 * Turns query rows into events; rows with a bad image, count or time are refused with a reason.
 * A result without the query's columns is no answer to it: that throws (a report of zero pulls
 * would be a lie), naming the columns.
 */
export function eventsFromRows(fields: readonly string[], rows: readonly (string | null)[][]): ParsedPulls {
  const result: ParsedPulls = { events: [], refused: 0, problems: [] };
  const column = (name: string) => fields.indexOf(name);
  const missing = PULL_COLUMNS.filter((name) => column(name) < 0);
  if (missing.length > 0)
    throw new MirrorError(
      `BigQuery: the query result lacks the column(s) ${missing.join(', ')} (it has ${fields.map((f) => printable(f, 60)).join(', ') || 'none'})`,
    );
  const refuse = (why: string) => {
    result.refused++;
    if (result.problems.length < 20) result.problems.push(why);
  };
  for (const row of rows) {
    const cell = (name: (typeof PULL_COLUMNS)[number]) => row[column(name)] ?? '';
    const parsed = tryParseReference(cell('image'));
    if (!parsed.ok) {
      refuse(
        `"${printable(cell('image'), 120)}" is not an image reference: ${printable(parsed.reason, 100)}`,
      );
      continue;
    }
    const count = Number(cell('pulls'));
    const first = timestampMs(cell('first_seen'));
    const last = timestampMs(cell('last_seen'));
    if (!Number.isInteger(count) || count < 1 || first === undefined || last === undefined) {
      refuse(`row for ${printable(cell('image'), 120)} has no valid count or time`);
      continue;
    }
    const text = (name: (typeof PULL_COLUMNS)[number]) => cell(name).slice(0, 200);
    result.events.push({
      image: parsed.reference,
      project: text('project'),
      location: text('location'),
      cluster: text('cluster'),
      namespace: text('namespace'),
      first: Math.min(first, last),
      last,
      count: Math.min(count, 1e9),
    });
  }
  return result;
}

/**
 * The smallest `last_seen` among the rows read, refused ones included (ms; undefined when none
 * has a valid one). The query orders by `last_seen DESC`, so a cut drops only groups whose
 * last pull is not after it.
 */
export function oldestLastSeen(
  fields: readonly string[],
  rows: readonly (string | null)[][],
): number | undefined {
  const column = fields.indexOf('last_seen');
  let oldest: number | undefined;
  if (column < 0) return undefined;
  for (const row of rows) {
    const last = timestampMs(row[column] ?? '');
    if (last !== undefined && (oldest === undefined || last < oldest)) oldest = last;
  }
  return oldest;
}

/** A TIMESTAMP cell: int64 microseconds (useInt64Timestamp) or float seconds (the older format). */
export function timestampMs(text: string): number | undefined {
  if (/^\d{1,17}$/.test(text)) return Math.floor(Number(text) / 1000);
  if (/^\d+(\.\d+)?(E\d+)?$/i.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
  }
  return undefined;
}
