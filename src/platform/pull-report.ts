/**
 * What the clusters pull, summarised (pure): one row per canonical image, Docker Hub pressure
 * per cluster (the rolling 6-hour window Docker Hub limits by, per NAT address), an optional
 * hourly or daily timeline, and the cut-over gate (third-party pulls after a given time).
 */
import { DOCKER_HUB, formatReference, isThirdParty } from '../reference/index.js';
import type { PullEvent } from './pull-events.js';
import { formatTime } from './time.js';

/** Docker Hub's pull limits per 6 hours (REFERENCE.md §4): anonymous per IP, and per account. */
export const DOCKER_HUB_LIMITS = { windowMs: 6 * 3_600_000, anonymous: 100, authenticated: 200 } as const;

/** One canonical image and how it was pulled. */
export interface ImageRow {
  /** `registry/repository:tag[@digest]` */
  image: string;
  pulls: number;
  firstSeen: string;
  lastSeen: string;
  /** `project/location/cluster` (or what the source knew), sorted. */
  clusters: string[];
  namespaces: string[];
  thirdParty: boolean;
  /** Where the mirror keeps it (`--to` given, third-party images only), else null. */
  mirror: string | null;
  /** The mirror holds it: true/false after a registry check, null when not checked. */
  atDestination: boolean | null;
  /** A file of `--tree` references it: null without --tree. */
  inTree: boolean | null;
}

/** The busiest 6-hour window of Docker Hub pulls of one cluster. */
export interface ClusterPressure {
  cluster: string;
  peakPulls: number;
  windowStart: string;
  overAnonymous: boolean;
  overAuthenticated: boolean;
}

/** Pulls in one hour or day (UTC). */
export interface TimelineBucket {
  start: string;
  pulls: number;
  thirdParty: number;
}

/** Options of {@link summarisePulls}. */
export interface SummaryOptions {
  /** Registries counted as first-party beyond the defaults (the mirror's host). Default: none. */
  firstParty?: readonly string[];
  /** Timeline granularity. Default: none. */
  by?: 'hour' | 'day';
}

/** The whole summary. */
export interface PullSummary {
  images: ImageRow[];
  dockerHub: ClusterPressure[];
  timeline: TimelineBucket[];
  totalPulls: number;
}

/** The cluster label of an event: `project/location/cluster`, or what is known of it. */
export function clusterLabel(event: PullEvent): string {
  const parts = [event.project, event.location, event.cluster].filter((part) => part !== '');
  return parts.length > 0 ? parts.join('/') : '(unknown)';
}

/** Summarises events (see the module comment). Rows are sorted by pulls, most first. */
export function summarisePulls(events: readonly PullEvent[], options: SummaryOptions = {}): PullSummary {
  const rows = new Map<string, ImageRow & { first: number; last: number }>();
  for (const event of events) {
    const image = formatReference(event.image);
    let row = rows.get(image);
    if (!row) {
      row = {
        image,
        pulls: 0,
        first: event.first,
        last: event.last,
        firstSeen: '',
        lastSeen: '',
        clusters: [],
        namespaces: [],
        thirdParty: isThirdParty(event.image.registry, event.image.repository, options.firstParty ?? []),
        mirror: null,
        atDestination: null,
        inTree: null,
      };
      rows.set(image, row);
    }
    row.pulls += event.count;
    row.first = Math.min(row.first, event.first);
    row.last = Math.max(row.last, event.last);
    addSorted(row.clusters, clusterLabel(event));
    if (event.namespace !== '') addSorted(row.namespaces, event.namespace);
  }
  const images = [...rows.values()]
    .map(({ first, last, ...row }) => ({ ...row, firstSeen: formatTime(first), lastSeen: formatTime(last) }))
    .sort((a, b) => b.pulls - a.pulls || (a.image < b.image ? -1 : 1));
  return {
    images,
    dockerHub: dockerHubPressure(events),
    timeline: options.by ? timeline(events, options.by, options.firstParty ?? []) : [],
    totalPulls: events.reduce((sum, event) => sum + event.count, 0),
  };
}

function addSorted(list: string[], value: string): void {
  if (list.includes(value)) return;
  list.push(value);
  list.sort();
}

/**
 * Per cluster, the most Docker Hub pulls inside any 6-hour window (a sliding window over the
 * events' last-seen times). Every node of a cluster behind one NAT address shares the
 * anonymous limit, so a cluster is the unit that runs out.
 */
export function dockerHubPressure(events: readonly PullEvent[]): ClusterPressure[] {
  const byCluster = new Map<string, PullEvent[]>();
  for (const event of events) {
    if (event.image.registry !== DOCKER_HUB) continue;
    const label = clusterLabel(event);
    const list = byCluster.get(label);
    if (list) list.push(event);
    else byCluster.set(label, [event]);
  }
  const result: ClusterPressure[] = [];
  for (const [cluster, list] of byCluster) {
    const sorted = [...list].sort((a, b) => a.last - b.last);
    let start = 0;
    let inWindow = 0;
    let peak = { pulls: 0, at: sorted[0]!.last };
    for (const event of sorted) {
      inWindow += event.count;
      while (event.last - sorted[start]!.last >= DOCKER_HUB_LIMITS.windowMs)
        inWindow -= sorted[start++]!.count;
      if (inWindow > peak.pulls) peak = { pulls: inWindow, at: sorted[start]!.last };
    }
    result.push({
      cluster,
      peakPulls: peak.pulls,
      windowStart: formatTime(peak.at),
      overAnonymous: peak.pulls > DOCKER_HUB_LIMITS.anonymous,
      overAuthenticated: peak.pulls > DOCKER_HUB_LIMITS.authenticated,
    });
  }
  return result.sort((a, b) => b.peakPulls - a.peakPulls || (a.cluster < b.cluster ? -1 : 1));
}

function timeline(
  events: readonly PullEvent[],
  by: 'hour' | 'day',
  firstParty: readonly string[],
): TimelineBucket[] {
  const size = by === 'hour' ? 3_600_000 : 86_400_000;
  const buckets = new Map<number, TimelineBucket>();
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

/** A third-party image still pulled after the cut-over. */
export interface GateViolation {
  image: string;
  pulls: number;
  lastSeen: string;
  clusters: string[];
}

/**
 * The guide's step 7 as a gate: every pull at or after `after` must name a first-party
 * registry (the mirror). Returns the images that broke it, most pulls first.
 */
export function thirdPartyAfter(
  events: readonly PullEvent[],
  after: number,
  firstParty: readonly string[] = [],
): GateViolation[] {
  const late = events.filter(
    (event) => event.last >= after && isThirdParty(event.image.registry, event.image.repository, firstParty),
  );
  return summarisePulls(late, { firstParty }).images.map((row) => ({
    image: row.image,
    pulls: row.pulls,
    lastSeen: row.lastSeen,
    clusters: row.clusters,
  }));
}
