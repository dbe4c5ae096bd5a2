/**
 * `ar-mirror pulls`: which images the clusters pull and how often (the guide's step 2), and,
 * after the cut-over, the gate that no third-party pull is left (step 7). Sources: files or
 * stdin (gcloud/kubectl JSON), Cloud Logging (`--project`), a log sink's BigQuery dataset
 * (`--bigquery`). Exit 0; 1 when a source failed, or the gate found third-party pulls or could
 * not read its whole window; 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import type { GoogleEndpoints } from '../cloud/endpoints.js';
import type { GoogleApi } from '../cloud/http.js';
import { splitLists } from '../config.js';
import { errorMessage } from '../errors.js';
import { createStreamLogger, type Logger } from '../log.js';
import {
  DEFAULT_SINK_TABLE,
  parseSinkDataset,
  parseSinkTable,
  type SinkDataset,
} from '../platform/bigquery-pulls.js';
import { cutOverGate, type TruncatedRead } from '../platform/cut-over-gate.js';
import { type MirrorTarget, parseMirrorTarget } from '../platform/mirror-target.js';
import type { ParsedPulls, PullEvent } from '../platform/pull-events.js';
import { type PullSummary, summarisePulls } from '../platform/pull-report.js';
import { formatTime, parseDuration, parseTimeFlag } from '../platform/time.js';
import { printable } from '../text/escape.js';
import {
  createCommandGoogleApi,
  GOOGLE_OPTIONS,
  GOOGLE_USAGE,
  readEndpointsForUsage,
} from './google-flags.js';
import { type CommandIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError } from './io.js';
import { checkTree } from './pulls-checks.js';
import { type PullsView, renderPulls } from './pulls-render.js';
import { readBigQuery, readLoggingProject, readPullFile } from './pulls-sources.js';

/** The pulls command's usage text. */
export const PULLS_USAGE = `usage: ar-mirror pulls [FILE...|-] [--project P]... [--bigquery PROJECT.DATASET]... [options]
  FILE, -                   gcloud logging read --format=json output, or kubectl get events -A -o json ("-": stdin)
  --project P               read image-pull events from Cloud Logging in project P (repeatable)
  --bigquery P.DATASET      read them from a log sink's BigQuery dataset (repeatable); --bigquery-location L
  --bigquery-table T        the sink's tables: events_* (default, date-sharded) or events (a sink
                            created with --use-partitioned-tables)
  --since DURATION          window for Logging and BigQuery (and files when given): 30m, 12h, 7d (default 7d)
  --by hour|day             add a timeline
  --to DESTINATION          check whether each third-party image is already mirrored there
  --path-template TEMPLATE  the mirror's layout (default {registry}/{repository})
  --tree PATH               flag images that run but no file under PATH references (repeatable)
  --cluster-name NAME       cluster label for file events, which do not name one
  --fail-on-third-party     exit 1 when a third-party image was pulled (since --after TIME, default: the window),
                            or when --max-entries cut a source short before it read back past --after
  --first-party HOST        registries counted as first-party (repeatable)
  --max-entries N           entries read per source at most (default 100000)
  --json                    one JSON object
  --plain-http HOST  --dest-creds USER:PASS   for the --to check
${GOOGLE_USAGE}`;

interface PullsArgs {
  files: string[];
  projects: string[];
  sinks: SinkDataset[];
  bigqueryLocation: string | undefined;
  /** The sink's tables, `events_*` or a partitioned sink's `events`. */
  bigqueryTable: string;
  sinceMs: number;
  sinceGiven: boolean;
  by: 'hour' | 'day' | undefined;
  target: MirrorTarget | undefined;
  trees: string[];
  cluster: string | undefined;
  gate: boolean;
  after: string | undefined;
  firstParty: string[];
  maxEntries: number;
  json: boolean;
  verbose: boolean;
  token: string | undefined;
  endpoints: GoogleEndpoints;
  /** The raw --plain-http and --dest-creds values, read by the --to check (loaded only then). */
  registryValues: Record<string, unknown>;
}

/** Runs pulls and returns its exit code. */
export async function runPullsCommand(argv: string[], io: CommandIO, now = Date.now()): Promise<number> {
  const parsed = parseCommandLine('pulls', PULLS_USAGE, io, () => parsePullsArgs(argv, io.env));
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const since = new Date(now - args.sinceMs);
  let gathered: { events: PullEvent[]; notes: string[]; truncated: TruncatedRead[] };
  try {
    gathered = await gather(args, io, logger, since);
  } catch (err) {
    io.stderr(`ar-mirror pulls: ${errorMessage(err)}\n`);
    return EXIT_FAILURE;
  }
  const firstParty = [...args.firstParty, ...(args.target ? [args.target.host] : [])];
  const summary = summarisePulls(gathered.events, { firstParty, ...(args.by ? { by: args.by } : {}) });
  if (args.target) {
    // Loaded only here: the registry client and keychain (and with it google-auth-library) are
    // not needed by a run without --to.
    const { checkDestination } = await import('./pulls-checks-registry.js');
    try {
      await checkDestination(summary, args.target, {
        values: args.registryValues,
        env: io.env,
        logger,
        token: args.token,
      });
    } catch (err) {
      io.stderr(`ar-mirror pulls: ${errorMessage(err)}\n`);
      return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
    }
  }
  if (args.trees.length > 0) checkTree(summary, args.trees, { target: args.target, cwd: io.cwd });
  // File events are kept whatever their age unless --since was given: the report's window (and the
  // gate's default start) then reaches back to the oldest of them, not to a --since nobody gave.
  const start =
    args.sinceGiven || args.files.length === 0
      ? since.getTime()
      : gathered.events.reduce((min, e) => Math.min(min, e.first), since.getTime());
  const after = args.after === undefined ? start : parseTimeFlag(args.after, '--after', now);
  const gate = args.gate
    ? cutOverGate(gathered.events, after, { firstParty, truncated: gathered.truncated })
    : undefined;
  const view: PullsView = { summary, gate, notes: gathered.notes };
  io.stdout(args.json ? `${JSON.stringify(jsonReport(view, start, now), null, 2)}\n` : renderPulls(view));
  return gate && !gate.passed ? EXIT_FAILURE : EXIT_OK;
}

/** What one source gave, and how to speak of it in notes. */
interface SourceResult {
  source: string;
  /** What a truncated read stopped counting. */
  unit: 'events' | 'log entries' | 'grouped rows';
  /** A file: its events are kept whatever their age unless --since was given. */
  fromFile: boolean;
  parsed: ParsedPulls & { truncated?: boolean; oldest?: number | undefined };
}

async function readSources(args: PullsArgs, io: CommandIO, logger: Logger, since: Date) {
  const results: SourceResult[] = [];
  for (const file of args.files) {
    const parsed = await readPullFile(file, io, args.cluster);
    results.push({ source: file, unit: 'events', fromFile: true, parsed });
  }
  if (args.projects.length === 0 && args.sinks.length === 0) return results;
  const api: GoogleApi = await createCommandGoogleApi(args.token, io.env, logger);
  for (const project of args.projects) {
    const options = { since, maxEntries: args.maxEntries, project };
    const parsed = await readLoggingProject(api, args.endpoints, options);
    results.push({ source: `project ${project}`, unit: 'log entries', fromFile: false, parsed });
  }
  for (const sink of args.sinks) {
    const options = {
      sink,
      table: args.bigqueryTable,
      since,
      location: args.bigqueryLocation,
      maxRows: args.maxEntries,
    };
    const parsed = await readBigQuery(api, args.endpoints, options);
    // Rows are groups (image, cluster, namespace, hour), each standing for many pulls.
    const source = `bigquery ${sink.project}.${sink.dataset}`;
    results.push({ source, unit: 'grouped rows', fromFile: false, parsed });
  }
  return results;
}

async function gather(args: PullsArgs, io: CommandIO, logger: Logger, since: Date) {
  const notes: string[] = [];
  const events: PullEvent[] = [];
  const truncated: TruncatedRead[] = [];
  for (const { source, unit, fromFile, parsed } of await readSources(args, io, logger, since)) {
    const keepAll = fromFile && !args.sinceGiven;
    // One push per event: spreading a few hundred thousand arguments overflows the stack.
    for (const event of parsed.events) if (keepAll || event.last >= since.getTime()) events.push(event);
    if (parsed.truncated) {
      truncated.push({ source, oldest: parsed.oldest });
      const back = parsed.oldest === undefined ? '' : `, back to ${formatTime(parsed.oldest)}`;
      notes.push(
        `${printable(source)}: stopped after ${args.maxEntries} ${unit} (the newest kept${back}); narrow --since or raise --max-entries`,
      );
    }
    if (parsed.refused > 0)
      notes.push(
        `${printable(source)}: ${parsed.refused} pull event(s) refused, e.g. ${parsed.problems.slice(0, 3).join('; ')}`,
      );
  }
  return { events, notes, truncated };
}

function parsePullsArgs(argv: string[], env: NodeJS.ProcessEnv): PullsArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...GOOGLE_OPTIONS,
      'plain-http': { type: 'string', multiple: true },
      'dest-creds': { type: 'string' },
      project: { type: 'string', multiple: true },
      bigquery: { type: 'string', multiple: true },
      'bigquery-location': { type: 'string' },
      'bigquery-table': { type: 'string' },
      since: { type: 'string' },
      by: { type: 'string' },
      to: { type: 'string' },
      'path-template': { type: 'string' },
      tree: { type: 'string', multiple: true },
      'cluster-name': { type: 'string' },
      'fail-on-third-party': { type: 'boolean', default: false },
      after: { type: 'string' },
      'first-party': { type: 'string', multiple: true },
      'max-entries': { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  // A source named twice is read once: its pulls would otherwise be counted twice.
  const projects = [...new Set(splitLists(values.project))];
  for (const project of projects)
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project))
      throw new UsageError(`--project: "${printable(project, 60)}" is not a project ID`);
  const sinks = [...new Set(splitLists(values.bigquery).map((text) => text.trim()))].map((text) =>
    asUsage(() => parseSinkDataset(text)),
  );
  if (positionals.length === 0 && projects.length === 0 && sinks.length === 0)
    throw new UsageError('give a FILE (or - for stdin), --project or --bigquery');
  if (positionals.includes('-') && positionals.filter((p) => p === '-').length > 1)
    throw new UsageError('"-" may be given once');
  if (values.by !== undefined && values.by !== 'hour' && values.by !== 'day')
    throw new UsageError('--by: expected hour or day');
  if (values['bigquery-table'] !== undefined && sinks.length === 0)
    throw new UsageError('--bigquery-table needs --bigquery');
  if (values.after !== undefined && !values['fail-on-third-party'])
    throw new UsageError('--after needs --fail-on-third-party');
  if (values.after !== undefined) asUsage(() => parseTimeFlag(values.after!, '--after', Date.now()));
  const maxEntries = values['max-entries'] === undefined ? 100_000 : Number(values['max-entries']);
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > 10_000_000)
    throw new UsageError('--max-entries: expected a whole number from 1 to 10000000');
  return {
    files: [...new Set(positionals)],
    projects,
    sinks,
    bigqueryLocation: values['bigquery-location'],
    bigqueryTable: asUsage(() => parseSinkTable(values['bigquery-table'] ?? DEFAULT_SINK_TABLE)),
    sinceMs: asUsage(() => parseDuration(values.since ?? '7d', '--since')),
    sinceGiven: values.since !== undefined,
    by: values.by as 'hour' | 'day' | undefined,
    target:
      values.to === undefined
        ? undefined
        : asUsage(() => parseMirrorTarget(values.to!, values['path-template'])),
    trees: values.tree ?? [],
    cluster: values['cluster-name'],
    gate: values['fail-on-third-party'] === true,
    after: values.after,
    firstParty: splitLists(values['first-party']),
    maxEntries,
    json: values.json === true,
    verbose: values.verbose === true,
    token: values['gcp-access-token'],
    endpoints: readEndpointsForUsage(env),
    registryValues: { 'plain-http': values['plain-http'], 'dest-creds': values['dest-creds'] },
  };
}

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}

function jsonReport(view: PullsView, start: number, now: number) {
  const summary: PullSummary = view.summary;
  return {
    window: { since: formatTime(start), until: formatTime(now) },
    totalPulls: summary.totalPulls,
    images: summary.images,
    notInTree: summary.images.filter((row) => row.inTree === false).map((row) => row.image),
    dockerHub: { windowHours: 6, anonymousLimit: 100, authenticatedLimit: 200, clusters: summary.dockerHub },
    timeline: summary.timeline,
    gate: view.gate ?? null,
    notes: view.notes,
  };
}
