/**
 * Where `ar-mirror pulls` reads pull events from: files or stdin (gcloud or kubectl JSON),
 * Cloud Logging per project, and a log sink's BigQuery dataset. I/O lives here; the parsing
 * and the summary are pure (src/platform/).
 */
import path from 'node:path';
import { runQuery } from '../cloud/bigquery.js';
import type { GoogleEndpoints } from '../cloud/endpoints.js';
import type { GoogleApi } from '../cloud/http.js';
import { pick } from '../cloud/json.js';
import { listPullEntries } from '../cloud/logging.js';
import { bigQueryNeeds } from '../cloud/permissions.js';
import { MirrorError } from '../errors.js';
import { eventsFromRows, oldestLastSeen, pullQuery, type SinkDataset } from '../platform/bigquery-pulls.js';
import { createPullCollector, type ParsedPulls, parsePullJson } from '../platform/pull-events.js';
import { parseTimestamp } from '../platform/time.js';
import { printable } from '../text/escape.js';
import { readRegularFile } from '../util/read-regular-file.js';
import type { CommandIO } from './io.js';

// A week of events of a large fleet fits; a bigger file is refused rather than buffered.
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Reads one file (or `-`, stdin) of JSON or JSON lines. */
export async function readPullFile(
  file: string,
  io: CommandIO,
  cluster: string | undefined,
): Promise<ParsedPulls> {
  const bytes =
    file === '-'
      ? io.readStdin
        ? await io.readStdin()
        : new Uint8Array()
      : readNamedFile(path.resolve(io.cwd ?? process.cwd(), file), file);
  if (bytes.length > MAX_INPUT_BYTES)
    throw new MirrorError(`${printable(file)}: larger than ${MAX_INPUT_BYTES} bytes`);
  const text = Buffer.from(bytes).toString('utf8');
  const context = cluster === undefined ? {} : { cluster };
  try {
    return parsePullJson(JSON.parse(text), context);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  // JSON lines (`gcloud logging read --format=json` piped through jq -c, or a log export).
  const collector = createPullCollector(context);
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new MirrorError(
        `${printable(file)}: line ${lineNumber} is not JSON (expected gcloud or kubectl JSON output)`,
      );
    }
    const parsed = parsePullJson(value, context);
    for (const event of parsed.events) collector.result.events.push(event);
    collector.result.refused += parsed.refused;
    collector.result.problems.push(...parsed.problems.slice(0, 20 - collector.result.problems.length));
  }
  return collector.result;
}

/**
 * What a source read, whether a bound cut it short and the oldest time it read (ms; undefined
 * when it read none): sources are read newest first, so a cut drops only entries not after `oldest`.
 */
export type SourcePulls = ParsedPulls & { truncated: boolean; oldest: number | undefined };

/** Reads pull entries of one project through the Logging API. */
export async function readLoggingProject(
  api: GoogleApi,
  endpoints: GoogleEndpoints,
  options: { project: string; since: Date; maxEntries: number },
): Promise<SourcePulls> {
  const listed = await listPullEntries(api, endpoints.logging, options);
  const collector = createPullCollector();
  let oldest: number | undefined;
  for (const entry of listed.items) {
    collector.addLogEntry(entry);
    // The order is by `timestamp` (desc): any entry read, used or refused, shows how far back it got.
    const time = parseTimestamp(pick(entry, 'timestamp'));
    if (time !== undefined && (oldest === undefined || time < oldest)) oldest = time;
  }
  return { ...collector.result, truncated: listed.truncated, oldest };
}

/** Runs the grouped query over a sink's tables (`events_*`, or a partitioned sink's `events`). */
export async function readBigQuery(
  api: GoogleApi,
  endpoints: GoogleEndpoints,
  options: { sink: SinkDataset; table: string; since: Date; location?: string | undefined; maxRows: number },
): Promise<SourcePulls> {
  const result = await runQuery(api, endpoints.bigquery, {
    project: options.sink.project,
    query: pullQuery(options.sink, options.table),
    needs: bigQueryNeeds(options.sink.project, options.sink.dataset),
    parameters: [{ name: 'since', type: 'TIMESTAMP', value: options.since.toISOString() }],
    ...(options.location ? { location: options.location } : {}),
    maxRows: options.maxRows,
  });
  return {
    ...eventsFromRows(result.fields, result.rows),
    truncated: result.truncated,
    oldest: oldestLastSeen(result.fields, result.rows),
  };
}

/** A named input file: regular files only, never more than MAX_INPUT_BYTES read (a FIFO or /dev/zero is refused). */
function readNamedFile(absolute: string, shown: string): Buffer {
  const read = readRegularFile(absolute, MAX_INPUT_BYTES);
  if ('problem' in read) throw new MirrorError(`${printable(shown)}: ${read.problem}`);
  return read.bytes;
}
