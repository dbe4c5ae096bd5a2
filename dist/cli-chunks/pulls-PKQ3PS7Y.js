import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  bigQueryNeeds,
  loggingListNeeds
} from "./chunk-LHB2P273.js";
import {
  asList,
  asObject,
  asText,
  collectPages,
  pick
} from "./chunk-KYDW4NMQ.js";
import {
  isInMirror,
  mirrorReference,
  parseMirrorTarget,
  sourceOf
} from "./chunk-SZTASEBZ.js";
import {
  GOOGLE_OPTIONS,
  GOOGLE_USAGE,
  createCommandGoogleApi,
  readEndpointsForUsage
} from "./chunk-5BPX3DTZ.js";
import {
  createStreamLogger
} from "./chunk-VAYOJ3Y5.js";
import {
  renderTable
} from "./chunk-YSGL2JGS.js";
import {
  allFinders,
  scanPaths
} from "./chunk-JZPMK2HD.js";
import {
  readRegularFile
} from "./chunk-7AXOBIP5.js";
import "./chunk-UBDPY4Y4.js";
import {
  DOCKER_HUB,
  formatReference,
  isThirdParty,
  parseReference,
  splitLists,
  tryParseReference
} from "./chunk-FHORZPU6.js";
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  parseCommandLine,
  printable
} from "./chunk-TH6AUOUN.js";
import {
  ConfigError,
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/pulls.ts
import { parseArgs } from "node:util";

// src/platform/bigquery-pulls.ts
var DATASET = /^((?:[a-z][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,28}[a-z0-9])\.([A-Za-z0-9_]{1,1024})$/;
function parseSinkDataset(text) {
  const match = DATASET.exec(text.trim());
  if (!match)
    throw new ConfigError(
      `--bigquery: expected PROJECT.DATASET (the log sink's dataset), got "${printable(text, 100)}"`
    );
  return { project: match[1], dataset: match[2] };
}
var DEFAULT_SINK_TABLE = "events_*";
function parseSinkTable(text) {
  if (!/^[A-Za-z0-9_]{1,1000}(_\*)?$/.test(text))
    throw new ConfigError(
      `--bigquery-table: expected the sink's table ("events" for a sink with partitioned tables) or its date-sharded tables ("events_*"), got "${printable(text, 100)}"`
    );
  return text;
}
var PULL_COLUMNS = [
  "image",
  "project",
  "location",
  "cluster",
  "namespace",
  "pulls",
  "first_seen",
  "last_seen"
];
function pullQuery(sink, table = DEFAULT_SINK_TABLE) {
  const sharded = table.endsWith("_*");
  return [
    "SELECT",
    `  REGEXP_EXTRACT(jsonPayload.message, r'"(.*?)"') AS image,`,
    "  resource.labels.project_id AS project,",
    "  resource.labels.location AS location,",
    "  resource.labels.cluster_name AS cluster,",
    "  resource.labels.namespace_name AS namespace,",
    "  COUNT(*) AS pulls,",
    "  MIN(timestamp) AS first_seen,",
    "  MAX(timestamp) AS last_seen",
    `FROM \`${sink.project}.${sink.dataset}.${table}\``,
    "WHERE jsonPayload.reason = 'Pulling'",
    "  AND timestamp >= @since",
    ...sharded ? ["  AND _TABLE_SUFFIX >= FORMAT_TIMESTAMP('%Y%m%d', @since)"] : [],
    "GROUP BY image, project, location, cluster, namespace, TIMESTAMP_TRUNC(timestamp, HOUR)",
    "ORDER BY last_seen DESC"
  ].join("\n");
}
function eventsFromRows(fields, rows) {
  const result = { events: [], refused: 0, problems: [] };
  const column = (name) => fields.indexOf(name);
  const missing = PULL_COLUMNS.filter((name) => column(name) < 0);
  if (missing.length > 0)
    throw new MirrorError(
      `BigQuery: the query result lacks the column(s) ${missing.join(", ")} (it has ${fields.map((f) => printable(f, 60)).join(", ") || "none"})`
    );
  const refuse = (why) => {
    result.refused++;
    if (result.problems.length < 20) result.problems.push(why);
  };
  for (const row of rows) {
    const cell = (name) => row[column(name)] ?? "";
    const parsed = tryParseReference(cell("image"));
    if (!parsed.ok) {
      refuse(
        `"${printable(cell("image"), 120)}" is not an image reference: ${printable(parsed.reason, 100)}`
      );
      continue;
    }
    const count = Number(cell("pulls"));
    const first = timestampMs(cell("first_seen"));
    const last = timestampMs(cell("last_seen"));
    if (!Number.isInteger(count) || count < 1 || first === void 0 || last === void 0) {
      refuse(`row for ${printable(cell("image"), 120)} has no valid count or time`);
      continue;
    }
    const text = (name) => cell(name).slice(0, 200);
    result.events.push({
      image: parsed.reference,
      project: text("project"),
      location: text("location"),
      cluster: text("cluster"),
      namespace: text("namespace"),
      first: Math.min(first, last),
      last,
      count: Math.min(count, 1e9)
    });
  }
  return result;
}
function oldestLastSeen(fields, rows) {
  const column = fields.indexOf("last_seen");
  let oldest;
  if (column < 0) return void 0;
  for (const row of rows) {
    const last = timestampMs(row[column] ?? "");
    if (last !== void 0 && (oldest === void 0 || last < oldest)) oldest = last;
  }
  return oldest;
}
function timestampMs(text) {
  if (/^\d{1,17}$/.test(text)) return Math.floor(Number(text) / 1e3);
  if (/^\d+(\.\d+)?(E\d+)?$/i.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.round(seconds * 1e3) : void 0;
  }
  return void 0;
}

// src/platform/time.ts
var UNITS = { m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };
var MAX_DURATION_MS = 400 * 864e5;
function parseDuration(text, where) {
  const match = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (!match)
    throw new ConfigError(
      `${where}: expected a duration like 30m, 12h, 7d or 2w, got "${text.slice(0, 50)}"`
    );
  const ms = Number(match[1]) * UNITS[match[2]];
  if (ms <= 0 || ms > MAX_DURATION_MS) throw new ConfigError(`${where}: ${text} is outside 1m\u2026400d`);
  return ms;
}
var RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
function parseTimestamp(value) {
  if (typeof value !== "string" || value.length > 40) return void 0;
  const match = RFC3339.exec(value);
  if (!match) return void 0;
  const fraction = (match[3] ?? "").slice(0, 4);
  const ms = Date.parse(`${match[1]}T${match[2]}${fraction}${match[4].toUpperCase()}`);
  return Number.isFinite(ms) ? ms : void 0;
}
function parseTimeFlag(text, where, now) {
  const at = parseTimestamp(text.trim());
  if (at !== void 0) return at;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) {
    const day = Date.parse(`${text.trim()}T00:00:00Z`);
    if (Number.isFinite(day)) return day;
  }
  try {
    return now - parseDuration(text, where);
  } catch {
    throw new ConfigError(
      `${where}: expected an RFC 3339 time (2024-05-01T12:00:00Z), a date or a duration (12h), got "${text.slice(0, 50)}"`
    );
  }
}
function formatTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// src/platform/pull-report.ts
var DOCKER_HUB_LIMITS = { windowMs: 6 * 36e5, anonymous: 100, authenticated: 200 };
function clusterLabel(event) {
  const parts = [event.project, event.location, event.cluster].filter((part) => part !== "");
  return parts.length > 0 ? parts.join("/") : "(unknown)";
}
function summarisePulls(events, options = {}) {
  const rows = /* @__PURE__ */ new Map();
  for (const event of events) {
    const image = formatReference(event.image);
    let row = rows.get(image);
    if (!row) {
      row = {
        image,
        pulls: 0,
        first: event.first,
        last: event.last,
        firstSeen: "",
        lastSeen: "",
        clusters: [],
        namespaces: [],
        thirdParty: isThirdParty(event.image.registry, event.image.repository, options.firstParty ?? []),
        mirror: null,
        atDestination: null,
        inTree: null
      };
      rows.set(image, row);
    }
    row.pulls += event.count;
    row.first = Math.min(row.first, event.first);
    row.last = Math.max(row.last, event.last);
    addSorted(row.clusters, clusterLabel(event));
    if (event.namespace !== "") addSorted(row.namespaces, event.namespace);
  }
  const images = [...rows.values()].map(({ first, last, ...row }) => ({ ...row, firstSeen: formatTime(first), lastSeen: formatTime(last) })).sort((a, b) => b.pulls - a.pulls || (a.image < b.image ? -1 : 1));
  return {
    images,
    dockerHub: dockerHubPressure(events),
    timeline: options.by ? timeline(events, options.by, options.firstParty ?? []) : [],
    totalPulls: events.reduce((sum, event) => sum + event.count, 0)
  };
}
function addSorted(list2, value) {
  if (list2.includes(value)) return;
  list2.push(value);
  list2.sort();
}
function dockerHubPressure(events) {
  const byCluster = /* @__PURE__ */ new Map();
  for (const event of events) {
    if (event.image.registry !== DOCKER_HUB) continue;
    const label = clusterLabel(event);
    const list2 = byCluster.get(label);
    if (list2) list2.push(event);
    else byCluster.set(label, [event]);
  }
  const result = [];
  for (const [cluster, list2] of byCluster) {
    const sorted = [...list2].sort((a, b) => a.last - b.last);
    let start = 0;
    let inWindow = 0;
    let peak = { pulls: 0, at: sorted[0].last };
    for (const event of sorted) {
      inWindow += event.count;
      while (event.last - sorted[start].last >= DOCKER_HUB_LIMITS.windowMs)
        inWindow -= sorted[start++].count;
      if (inWindow > peak.pulls) peak = { pulls: inWindow, at: sorted[start].last };
    }
    result.push({
      cluster,
      peakPulls: peak.pulls,
      windowStart: formatTime(peak.at),
      overAnonymous: peak.pulls > DOCKER_HUB_LIMITS.anonymous,
      overAuthenticated: peak.pulls > DOCKER_HUB_LIMITS.authenticated
    });
  }
  return result.sort((a, b) => b.peakPulls - a.peakPulls || (a.cluster < b.cluster ? -1 : 1));
}
function timeline(events, by, firstParty) {
  const size = by === "hour" ? 36e5 : 864e5;
  const buckets = /* @__PURE__ */ new Map();
  for (const event of events) {
    const start = Math.floor(event.last / size) * size;
    const bucket = buckets.get(start) ?? { start: formatTime(start), pulls: 0, thirdParty: 0 };
    bucket.pulls += event.count;
    if (isThirdParty(event.image.registry, event.image.repository, firstParty))
      bucket.thirdParty += event.count;
    buckets.set(start, bucket);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, bucket]) => bucket);
}
function thirdPartyAfter(events, after, firstParty = []) {
  const late = events.filter(
    (event) => event.last >= after && isThirdParty(event.image.registry, event.image.repository, firstParty)
  );
  return summarisePulls(late, { firstParty }).images.map((row) => ({
    image: row.image,
    pulls: row.pulls,
    lastSeen: row.lastSeen,
    clusters: row.clusters
  }));
}

// src/platform/cut-over-gate.ts
function readCovers(read, after) {
  return read.oldest !== void 0 && read.oldest < after;
}
function cutOverGate(events, after, options) {
  const violations = thirdPartyAfter(events, after, options.firstParty);
  let pulls = 0;
  for (const event of events) if (event.last >= after) pulls += event.count;
  const incomplete = options.truncated.filter((read) => !readCovers(read, after)).map((read) => read.source);
  return {
    after: formatTime(after),
    pulls,
    violations,
    truncated: options.truncated.map((read) => read.source),
    incomplete,
    passed: violations.length === 0 && incomplete.length === 0
  };
}

// src/commands/pulls-checks.ts
function keys(ref) {
  const name = `${ref.registry}/${ref.repository}`;
  return [...ref.tag ? [`${name}:${ref.tag}`] : [], ...ref.digest ? [`${name}@${ref.digest}`] : []];
}
function checkTree(summary, roots, options) {
  const scan = scanPaths(roots, {
    finders: allFinders,
    ...options.cwd === void 0 ? {} : { cwd: options.cwd }
  });
  const known = new Set(scan.occurrences.flatMap((occurrence) => keys(occurrence.reference)));
  for (const row of summary.images) {
    const ref = parseReference(row.image);
    const related = [ref];
    if (options.target) {
      if (isInMirror(ref, options.target)) {
        const source = sourceOf(ref, options.target);
        if (source) related.push(source);
      } else if (row.thirdParty) related.push(mirrorReference(ref, options.target));
    }
    row.inTree = related.some((candidate) => keys(candidate).some((key) => known.has(key)));
  }
}

// src/commands/pulls-render.ts
var yesNo = (value) => value === null ? "-" : value ? "yes" : "NO";
var list = (values) => values.length <= 3 ? values.join(",") : `${values.slice(0, 3).join(",")},+${values.length - 3}`;
function renderPulls(view) {
  const { summary } = view;
  const rows = summary.images.map((row) => [
    printable(row.image, 120),
    String(row.pulls),
    row.firstSeen,
    row.lastSeen,
    printable(list(row.clusters), 80),
    printable(list(row.namespaces), 60),
    row.thirdParty ? "third-party" : "first-party",
    yesNo(row.atDestination),
    yesNo(row.inTree)
  ]);
  let text = rows.length > 0 ? renderTable(
    [
      "IMAGE",
      "PULLS",
      "FIRST SEEN",
      "LAST SEEN",
      "CLUSTERS",
      "NAMESPACES",
      "SOURCE",
      "AT --to",
      "IN TREE"
    ],
    rows
  ) : "no image pulls found\n";
  const untracked = summary.images.filter((row) => row.inTree === false);
  if (untracked.length > 0) {
    text += `
running but referenced by no file of the tree (${untracked.length}):
`;
    for (const row of untracked) text += `  ${printable(row.image, 120)}
`;
  }
  text += renderPressure(summary);
  if (summary.timeline.length > 0)
    text += `
${renderTable(
      ["FROM", "PULLS", "THIRD-PARTY"],
      summary.timeline.map((b) => [b.start, String(b.pulls), String(b.thirdParty)])
    )}`;
  text += renderGate(view.gate);
  for (const note of view.notes) text += `note: ${note}
`;
  const thirdParty = summary.images.filter((row) => row.thirdParty).length;
  text += `${summary.totalPulls} pull(s) of ${summary.images.length} image(s), ${thirdParty} third-party
`;
  return text;
}
function renderPressure(summary) {
  if (summary.dockerHub.length === 0) return "";
  const rows = summary.dockerHub.map((p) => [
    printable(p.cluster, 100),
    String(p.peakPulls),
    p.windowStart,
    p.overAuthenticated ? "over both limits" : p.overAnonymous ? "over the anonymous limit" : "within limits"
  ]);
  return `
Docker Hub pulls per 6 hours (limits: ${DOCKER_HUB_LIMITS.anonymous} anonymous per IP, ${DOCKER_HUB_LIMITS.authenticated} authenticated; a cluster's nodes share one NAT address):
${renderTable(["CLUSTER", "PEAK 6H", "WINDOW FROM", "STATUS"], rows)}`;
}
function renderGate(gate) {
  if (!gate) return "";
  let text = "\n";
  if (gate.violations.length > 0) {
    text += `gate FAILED: ${gate.violations.length} third-party image(s) pulled since ${gate.after}:
`;
    for (const v of gate.violations)
      text += `  ${printable(v.image, 120)}  ${v.pulls} pull(s), last ${v.lastSeen}, ${printable(list(v.clusters), 80)}
`;
  }
  const covered = gate.truncated.filter((source) => !gate.incomplete.includes(source));
  if (covered.length > 0)
    text += `gate: the read of ${printable(covered.join(", "), 300)} was cut short at --max-entries, but only before ${gate.after}: every pull since then was read
`;
  if (gate.incomplete.length > 0)
    text += `gate FAILED: the read of ${printable(gate.incomplete.join(", "), 300)} was cut short at --max-entries, so pulls since ${gate.after} may be missing and cannot be vouched for; raise --max-entries or shorten --since to the cut-over
`;
  if (gate.passed)
    text += gate.pulls === 0 ? `gate: no pulls at all since ${gate.after}, third-party or first-party: nothing here shows that the pulls moved (check the sources and the window)
` : `gate: no third-party pulls since ${gate.after} (${gate.pulls} pull(s), all first-party)
`;
  return text;
}

// src/commands/pulls-sources.ts
import path from "node:path";

// src/cloud/bigquery.ts
async function runQuery(api, base, options) {
  const pageSize = options.pageSize ?? 1e4;
  const maxRows = options.maxRows ?? 2e5;
  const waitMs = String(options.waitMs ?? 1e4);
  let answer = await api.request({
    method: "POST",
    url: `${base}/projects/${encodeURIComponent(options.project)}/queries`,
    ...options.needs ? { needs: options.needs } : {},
    body: {
      query: options.query,
      useLegacySql: false,
      parameterMode: "NAMED",
      queryParameters: (options.parameters ?? []).map((p) => ({
        name: p.name,
        parameterType: { type: p.type },
        parameterValue: { value: p.value }
      })),
      timeoutMs: Number(waitMs),
      maxResults: pageSize,
      formatOptions: { useInt64Timestamp: true },
      ...options.location ? { location: options.location } : {}
    }
  });
  const job = jobReference(answer);
  const results = (pageToken) => api.request({
    method: "GET",
    url: `${base}/projects/${encodeURIComponent(job?.projectId ?? "")}/queries/${encodeURIComponent(job?.jobId ?? "")}`,
    ...options.needs ? { needs: options.needs } : {},
    query: {
      pageToken,
      location: job?.location,
      maxResults: String(pageSize),
      timeoutMs: waitMs,
      "formatOptions.useInt64Timestamp": "true"
    }
  });
  for (let polls = 0; pick(answer, "jobComplete") !== true; polls++) {
    if (!job)
      throw new MirrorError("BigQuery: the query is not complete and the answer names no job to wait for");
    if (polls >= (options.pollAttempts ?? 60))
      throw new MirrorError(`BigQuery: job ${job.jobId} was not complete after ${polls} waits`);
    answer = await results();
  }
  const fields = asList(pick(answer, "schema.fields"), 100).map((f) => asText(asObject(f)?.name, 300) ?? "");
  const first = answer;
  const paged = await collectPages(
    async (pageToken) => {
      const page = pageToken === void 0 ? first : await results(pageToken);
      const next = asText(page.pageToken, 4096);
      if (next !== void 0 && !job)
        throw new MirrorError("BigQuery: more rows follow but the answer names no job");
      return {
        items: asList(page.rows, pageSize).map((row) => cells(row, fields.length)),
        nextPageToken: next
      };
    },
    {
      maxPages: options.maxPages ?? Math.max(100, Math.ceil(maxRows / pageSize) + 1),
      maxItems: maxRows
    }
  );
  return { fields, rows: paged.items, truncated: paged.truncated };
}
function jobReference(answer) {
  const projectId = asText(pick(answer, "jobReference.projectId"), 100);
  const jobId = asText(pick(answer, "jobReference.jobId"), 1024);
  const location = asText(pick(answer, "jobReference.location"), 64);
  if (!projectId || !jobId || !/^[\w:.-]+$/.test(projectId) || !/^[\w-]+$/.test(jobId)) return void 0;
  return { projectId, jobId, location: location && /^[\w-]+$/.test(location) ? location : void 0 };
}
function cells(row, width) {
  const values = asList(asObject(row)?.f, width).map((cell) => {
    const value = asObject(cell)?.v;
    return typeof value === "string" && value.length <= 4096 ? value : null;
  });
  while (values.length < width) values.push(null);
  return values;
}

// src/cloud/logging.ts
var PULL_FILTER = 'resource.type="k8s_pod" jsonPayload.reason="Pulling"';
function pullFilter(since, until) {
  const window = [`timestamp>="${since.toISOString()}"`];
  if (until) window.push(`timestamp<"${until.toISOString()}"`);
  return `${PULL_FILTER} ${window.join(" ")}`;
}
async function listPullEntries(api, base, options) {
  const pageSize = Math.min(1e3, Math.max(1, options.pageSize ?? 1e3));
  const maxEntries = options.maxEntries ?? 1e5;
  const maxPages = options.maxPages ?? Math.max(100, 2 * Math.ceil(maxEntries / pageSize));
  return collectPages(
    async (pageToken) => {
      const body = await api.request({
        method: "POST",
        url: `${base}/entries:list`,
        needs: loggingListNeeds(options.project),
        body: {
          resourceNames: [`projects/${options.project}`],
          filter: pullFilter(options.since, options.until),
          orderBy: "timestamp desc",
          pageSize,
          ...pageToken ? { pageToken } : {}
        }
      });
      return { items: asList(body.entries, pageSize), nextPageToken: asText(body.nextPageToken, 4096) };
    },
    { maxPages, maxItems: maxEntries }
  );
}

// src/platform/pull-events.ts
var MESSAGE = /^Pulling image "([^"]{1,600})"/;
var MAX_PROBLEMS = 20;
var MAX_RECORDS = 1e6;
var MAX_COUNT = 1e6;
function createPullCollector(context = {}) {
  const result = { events: [], refused: 0, problems: [] };
  const refuse = (why) => {
    result.refused++;
    if (result.problems.length < MAX_PROBLEMS) result.problems.push(why);
  };
  return {
    result,
    /**
     * A LogEntry (API or gcloud JSON) whose jsonPayload is the event, core/v1 (`message`,
     * `involvedObject`) or events.k8s.io/v1 (`note`, `regarding`). Entries of other reasons are
     * skipped silently. `receiveTimestamp` stands in for a missing `timestamp`.
     */
    addLogEntry(entry) {
      if (pick(entry, "jsonPayload.reason") !== "Pulling") return;
      const time = firstTime(entry, ["timestamp", "receiveTimestamp"]);
      const event = fromMessage(
        pick(entry, "jsonPayload.message") ?? pick(entry, "jsonPayload.note"),
        refuse
      );
      if (!event) return;
      if (time === void 0) return refuse(`log entry without a valid timestamp (${describeImage(event)})`);
      const label = (key) => asText(pick(entry, `resource.labels.${key}`), 200) ?? "";
      const payloadNamespace = pick(entry, "jsonPayload.involvedObject.namespace") ?? pick(entry, "jsonPayload.regarding.namespace");
      result.events.push({
        image: event,
        project: label("project_id"),
        location: label("location"),
        cluster: label("cluster_name"),
        namespace: label("namespace_name") || (asText(payloadNamespace, 200) ?? ""),
        first: time,
        last: time,
        count: 1
      });
    },
    /** A Kubernetes Event (core/v1 or events.k8s.io/v1). */
    addKubeEvent(event) {
      if (pick(event, "reason") !== "Pulling") return;
      const image = fromMessage(pick(event, "message") ?? pick(event, "note"), refuse);
      if (!image) return;
      const last = firstTime(event, [
        "lastTimestamp",
        "series.lastObservedTime",
        "eventTime",
        "metadata.creationTimestamp"
      ]);
      if (last === void 0) return refuse(`event without a valid time (${describeImage(image)})`);
      const first = firstTime(event, ["firstTimestamp", "deprecatedFirstTimestamp", "eventTime"]) ?? last;
      const namespace = pick(event, "involvedObject.namespace") ?? pick(event, "regarding.namespace") ?? pick(event, "metadata.namespace");
      result.events.push({
        image,
        project: "",
        location: "",
        cluster: context.cluster ?? "",
        namespace: asText(namespace, 200) ?? "",
        first: Math.min(first, last),
        last,
        count: eventCount(event)
      });
    }
  };
}
function parsePullJson(value, context = {}) {
  const collector = createPullCollector(context);
  const object = asObject(value);
  const records = Array.isArray(value) ? value : Array.isArray(object?.entries) ? object.entries : Array.isArray(object?.items) ? object.items : [value];
  for (const record of asList(records, MAX_RECORDS)) {
    if (pick(record, "jsonPayload") !== void 0) collector.addLogEntry(record);
    else collector.addKubeEvent(record);
  }
  return collector.result;
}
function fromMessage(message, refuse) {
  const text = asText(message, 2e3);
  const match = text === void 0 ? null : MESSAGE.exec(text);
  if (!match) {
    refuse(`message is not 'Pulling image "<reference>"': ${printable(String(text ?? "(none)"), 80)}`);
    return void 0;
  }
  const parsed = tryParseReference(match[1]);
  if (!parsed.ok) {
    refuse(`"${printable(match[1], 120)}" is not an image reference: ${printable(parsed.reason, 120)}`);
    return void 0;
  }
  return parsed.reference;
}
function firstTime(event, paths) {
  for (const path2 of paths) {
    const time = parseTimestamp(pick(event, path2));
    if (time !== void 0) return time;
  }
  return void 0;
}
function eventCount(event) {
  for (const path2 of ["count", "series.count", "deprecatedCount"]) {
    const value = pick(event, path2);
    if (Number.isInteger(value) && value >= 1) return Math.min(value, MAX_COUNT);
  }
  return 1;
}
function describeImage(ref) {
  return printable(`${ref.registry}/${ref.repository}`, 120);
}

// src/commands/pulls-sources.ts
var MAX_INPUT_BYTES = 256 * 1024 * 1024;
async function readPullFile(file, io, cluster) {
  const bytes = file === "-" ? io.readStdin ? await io.readStdin() : new Uint8Array() : readNamedFile(path.resolve(io.cwd ?? process.cwd(), file), file);
  if (bytes.length > MAX_INPUT_BYTES)
    throw new MirrorError(`${printable(file)}: larger than ${MAX_INPUT_BYTES} bytes`);
  const text = Buffer.from(bytes).toString("utf8");
  const context = cluster === void 0 ? {} : { cluster };
  try {
    return parsePullJson(JSON.parse(text), context);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  const collector = createPullCollector(context);
  let lineNumber = 0;
  for (const line of text.split("\n")) {
    lineNumber++;
    if (line.trim() === "") continue;
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      throw new MirrorError(
        `${printable(file)}: line ${lineNumber} is not JSON (expected gcloud or kubectl JSON output)`
      );
    }
    const parsed = parsePullJson(value, context);
    for (const event of parsed.events) collector.result.events.push(event);
    collector.result.refused += parsed.refused;
    collector.result.problems.push(...parsed.problems.slice(0, 20 - collector.result.problems.length));
  }
  return collector.result;
}
async function readLoggingProject(api, endpoints, options) {
  const listed = await listPullEntries(api, endpoints.logging, options);
  const collector = createPullCollector();
  let oldest;
  for (const entry of listed.items) {
    collector.addLogEntry(entry);
    const time = parseTimestamp(pick(entry, "timestamp"));
    if (time !== void 0 && (oldest === void 0 || time < oldest)) oldest = time;
  }
  return { ...collector.result, truncated: listed.truncated, oldest };
}
async function readBigQuery(api, endpoints, options) {
  const result = await runQuery(api, endpoints.bigquery, {
    project: options.sink.project,
    query: pullQuery(options.sink, options.table),
    needs: bigQueryNeeds(options.sink.project, options.sink.dataset),
    parameters: [{ name: "since", type: "TIMESTAMP", value: options.since.toISOString() }],
    ...options.location ? { location: options.location } : {},
    maxRows: options.maxRows
  });
  return {
    ...eventsFromRows(result.fields, result.rows),
    truncated: result.truncated,
    oldest: oldestLastSeen(result.fields, result.rows)
  };
}
function readNamedFile(absolute, shown) {
  const read = readRegularFile(absolute, MAX_INPUT_BYTES);
  if ("problem" in read) throw new MirrorError(`${printable(shown)}: ${read.problem}`);
  return read.bytes;
}

// src/commands/pulls.ts
var PULLS_USAGE = `usage: ar-mirror pulls [FILE...|-] [--project P]... [--bigquery PROJECT.DATASET]... [options]
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
async function runPullsCommand(argv, io, now = Date.now()) {
  const parsed = parseCommandLine("pulls", PULLS_USAGE, io, () => parsePullsArgs(argv, io.env));
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  const since = new Date(now - args.sinceMs);
  let gathered;
  try {
    gathered = await gather(args, io, logger, since);
  } catch (err) {
    io.stderr(`ar-mirror pulls: ${errorMessage(err)}
`);
    return EXIT_FAILURE;
  }
  const firstParty = [...args.firstParty, ...args.target ? [args.target.host] : []];
  const summary = summarisePulls(gathered.events, { firstParty, ...args.by ? { by: args.by } : {} });
  if (args.target) {
    const { checkDestination } = await import("./pulls-checks-registry-KKIMNLLD.js");
    try {
      await checkDestination(summary, args.target, {
        values: args.registryValues,
        env: io.env,
        logger,
        token: args.token
      });
    } catch (err) {
      io.stderr(`ar-mirror pulls: ${errorMessage(err)}
`);
      return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
    }
  }
  if (args.trees.length > 0) checkTree(summary, args.trees, { target: args.target, cwd: io.cwd });
  const start = args.sinceGiven || args.files.length === 0 ? since.getTime() : gathered.events.reduce((min, e) => Math.min(min, e.first), since.getTime());
  const after = args.after === void 0 ? start : parseTimeFlag(args.after, "--after", now);
  const gate = args.gate ? cutOverGate(gathered.events, after, { firstParty, truncated: gathered.truncated }) : void 0;
  const view = { summary, gate, notes: gathered.notes };
  io.stdout(args.json ? `${JSON.stringify(jsonReport(view, start, now), null, 2)}
` : renderPulls(view));
  return gate && !gate.passed ? EXIT_FAILURE : EXIT_OK;
}
async function readSources(args, io, logger, since) {
  const results = [];
  for (const file of args.files) {
    const parsed = await readPullFile(file, io, args.cluster);
    results.push({ source: file, unit: "events", fromFile: true, parsed });
  }
  if (args.projects.length === 0 && args.sinks.length === 0) return results;
  const api = await createCommandGoogleApi(args.token, io.env, logger);
  for (const project of args.projects) {
    const options = { since, maxEntries: args.maxEntries, project };
    const parsed = await readLoggingProject(api, args.endpoints, options);
    results.push({ source: `project ${project}`, unit: "log entries", fromFile: false, parsed });
  }
  for (const sink of args.sinks) {
    const options = {
      sink,
      table: args.bigqueryTable,
      since,
      location: args.bigqueryLocation,
      maxRows: args.maxEntries
    };
    const parsed = await readBigQuery(api, args.endpoints, options);
    const source = `bigquery ${sink.project}.${sink.dataset}`;
    results.push({ source, unit: "grouped rows", fromFile: false, parsed });
  }
  return results;
}
async function gather(args, io, logger, since) {
  const notes = [];
  const events = [];
  const truncated = [];
  for (const { source, unit, fromFile, parsed } of await readSources(args, io, logger, since)) {
    const keepAll = fromFile && !args.sinceGiven;
    for (const event of parsed.events) if (keepAll || event.last >= since.getTime()) events.push(event);
    if (parsed.truncated) {
      truncated.push({ source, oldest: parsed.oldest });
      const back = parsed.oldest === void 0 ? "" : `, back to ${formatTime(parsed.oldest)}`;
      notes.push(
        `${printable(source)}: stopped after ${args.maxEntries} ${unit} (the newest kept${back}); narrow --since or raise --max-entries`
      );
    }
    if (parsed.refused > 0)
      notes.push(
        `${printable(source)}: ${parsed.refused} pull event(s) refused, e.g. ${parsed.problems.slice(0, 3).join("; ")}`
      );
  }
  return { events, notes, truncated };
}
function parsePullsArgs(argv, env) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...GOOGLE_OPTIONS,
      "plain-http": { type: "string", multiple: true },
      "dest-creds": { type: "string" },
      project: { type: "string", multiple: true },
      bigquery: { type: "string", multiple: true },
      "bigquery-location": { type: "string" },
      "bigquery-table": { type: "string" },
      since: { type: "string" },
      by: { type: "string" },
      to: { type: "string" },
      "path-template": { type: "string" },
      tree: { type: "string", multiple: true },
      "cluster-name": { type: "string" },
      "fail-on-third-party": { type: "boolean", default: false },
      after: { type: "string" },
      "first-party": { type: "string", multiple: true },
      "max-entries": { type: "string" },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", short: "v", default: false },
      help: { type: "boolean", short: "h", default: false }
    }
  });
  if (values.help) return "help";
  const projects = [...new Set(splitLists(values.project))];
  for (const project of projects)
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project))
      throw new UsageError(`--project: "${printable(project, 60)}" is not a project ID`);
  const sinks = [...new Set(splitLists(values.bigquery).map((text) => text.trim()))].map(
    (text) => asUsage(() => parseSinkDataset(text))
  );
  if (positionals.length === 0 && projects.length === 0 && sinks.length === 0)
    throw new UsageError("give a FILE (or - for stdin), --project or --bigquery");
  if (positionals.includes("-") && positionals.filter((p) => p === "-").length > 1)
    throw new UsageError('"-" may be given once');
  if (values.by !== void 0 && values.by !== "hour" && values.by !== "day")
    throw new UsageError("--by: expected hour or day");
  if (values["bigquery-table"] !== void 0 && sinks.length === 0)
    throw new UsageError("--bigquery-table needs --bigquery");
  if (values.after !== void 0 && !values["fail-on-third-party"])
    throw new UsageError("--after needs --fail-on-third-party");
  if (values.after !== void 0) asUsage(() => parseTimeFlag(values.after, "--after", Date.now()));
  const maxEntries = values["max-entries"] === void 0 ? 1e5 : Number(values["max-entries"]);
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > 1e7)
    throw new UsageError("--max-entries: expected a whole number from 1 to 10000000");
  return {
    files: [...new Set(positionals)],
    projects,
    sinks,
    bigqueryLocation: values["bigquery-location"],
    bigqueryTable: asUsage(() => parseSinkTable(values["bigquery-table"] ?? DEFAULT_SINK_TABLE)),
    sinceMs: asUsage(() => parseDuration(values.since ?? "7d", "--since")),
    sinceGiven: values.since !== void 0,
    by: values.by,
    target: values.to === void 0 ? void 0 : asUsage(() => parseMirrorTarget(values.to, values["path-template"])),
    trees: values.tree ?? [],
    cluster: values["cluster-name"],
    gate: values["fail-on-third-party"] === true,
    after: values.after,
    firstParty: splitLists(values["first-party"]),
    maxEntries,
    json: values.json === true,
    verbose: values.verbose === true,
    token: values["gcp-access-token"],
    endpoints: readEndpointsForUsage(env),
    registryValues: { "plain-http": values["plain-http"], "dest-creds": values["dest-creds"] }
  };
}
function asUsage(fn) {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}
function jsonReport(view, start, now) {
  const summary = view.summary;
  return {
    window: { since: formatTime(start), until: formatTime(now) },
    totalPulls: summary.totalPulls,
    images: summary.images,
    notInTree: summary.images.filter((row) => row.inTree === false).map((row) => row.image),
    dockerHub: { windowHours: 6, anonymousLimit: 100, authenticatedLimit: 200, clusters: summary.dockerHub },
    timeline: summary.timeline,
    gate: view.gate ?? null,
    notes: view.notes
  };
}
export {
  PULLS_USAGE,
  runPullsCommand
};
