/**
 * Image-pull events from hostile sources, validated into PullEvents: Cloud Logging LogEntries
 * (the API's `entries`, or `gcloud logging read --format=json` output) and Kubernetes Events
 * (`kubectl get events -A -o json`, core/v1 or events.k8s.io/v1). The image is the quoted
 * name in the kubelet's message `Pulling image "<reference>"`, checked by the reference grammar.
 */
import { asList, asObject, asText, pick } from '../cloud/json.js';
import { tryParseReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { printable } from '../text/escape.js';
import { parseTimestamp } from './time.js';

/** One pull (or several identical pulls counted by the source), validated. */
export interface PullEvent {
  image: ImageReference;
  /** Where it ran; '' when the source does not say. */
  project: string;
  location: string;
  cluster: string;
  namespace: string;
  /** First and last time seen, ms since the epoch. */
  first: number;
  last: number;
  /** How many pulls this stands for (1 per log entry; a Kubernetes event's count). */
  count: number;
}

/** Events and what was refused, with at most MAX_PROBLEMS reasons kept. */
export interface ParsedPulls {
  events: PullEvent[];
  /** Records that were pull events but could not be used (bad image, bad time), counted. */
  refused: number;
  problems: string[];
}

const MESSAGE = /^Pulling image "([^"]{1,600})"/;
const MAX_PROBLEMS = 20;
const MAX_RECORDS = 1_000_000;
const MAX_COUNT = 1_000_000;

/** Collects events into `into`, refusing records with a reason. */
export function createPullCollector(context: { cluster?: string } = {}) {
  const result: ParsedPulls = { events: [], refused: 0, problems: [] };
  const refuse = (why: string) => {
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
    addLogEntry(entry: unknown) {
      if (pick(entry, 'jsonPayload.reason') !== 'Pulling') return;
      const time = firstTime(entry, ['timestamp', 'receiveTimestamp']);
      const event = fromMessage(
        pick(entry, 'jsonPayload.message') ?? pick(entry, 'jsonPayload.note'),
        refuse,
      );
      if (!event) return;
      if (time === undefined) return refuse(`log entry without a valid timestamp (${describeImage(event)})`);
      const label = (key: string) => asText(pick(entry, `resource.labels.${key}`), 200) ?? '';
      const payloadNamespace =
        pick(entry, 'jsonPayload.involvedObject.namespace') ?? pick(entry, 'jsonPayload.regarding.namespace');
      result.events.push({
        image: event,
        project: label('project_id'),
        location: label('location'),
        cluster: label('cluster_name'),
        namespace: label('namespace_name') || (asText(payloadNamespace, 200) ?? ''),
        first: time,
        last: time,
        count: 1,
      });
    },
    /** A Kubernetes Event (core/v1 or events.k8s.io/v1). */
    addKubeEvent(event: unknown) {
      if (pick(event, 'reason') !== 'Pulling') return;
      const image = fromMessage(pick(event, 'message') ?? pick(event, 'note'), refuse);
      if (!image) return;
      const last = firstTime(event, [
        'lastTimestamp',
        'series.lastObservedTime',
        'eventTime',
        'metadata.creationTimestamp',
      ]);
      if (last === undefined) return refuse(`event without a valid time (${describeImage(image)})`);
      const first = firstTime(event, ['firstTimestamp', 'deprecatedFirstTimestamp', 'eventTime']) ?? last;
      const namespace =
        pick(event, 'involvedObject.namespace') ??
        pick(event, 'regarding.namespace') ??
        pick(event, 'metadata.namespace');
      result.events.push({
        image,
        project: '',
        location: '',
        cluster: context.cluster ?? '',
        namespace: asText(namespace, 200) ?? '',
        first: Math.min(first, last),
        last,
        count: eventCount(event),
      });
    },
  };
}

/** Reads any of the accepted JSON shapes (see the module comment). */
export function parsePullJson(value: unknown, context: { cluster?: string } = {}): ParsedPulls {
  const collector = createPullCollector(context);
  const object = asObject(value);
  const records = Array.isArray(value)
    ? value
    : Array.isArray(object?.entries)
      ? object.entries
      : Array.isArray(object?.items)
        ? object.items
        : [value];
  for (const record of asList(records, MAX_RECORDS)) {
    if (pick(record, 'jsonPayload') !== undefined) collector.addLogEntry(record);
    else collector.addKubeEvent(record);
  }
  return collector.result;
}

/** The image of a kubelet message, validated; undefined (and a refusal) when it is not one. */
function fromMessage(message: unknown, refuse: (why: string) => void): ImageReference | undefined {
  const text = asText(message, 2000);
  const match = text === undefined ? null : MESSAGE.exec(text);
  if (!match) {
    refuse(`message is not 'Pulling image "<reference>"': ${printable(String(text ?? '(none)'), 80)}`);
    return undefined;
  }
  const parsed = tryParseReference(match[1]!);
  if (!parsed.ok) {
    refuse(`"${printable(match[1]!, 120)}" is not an image reference: ${printable(parsed.reason, 120)}`);
    return undefined;
  }
  return parsed.reference;
}

function firstTime(event: unknown, paths: string[]): number | undefined {
  for (const path of paths) {
    const time = parseTimestamp(pick(event, path));
    if (time !== undefined) return time;
  }
  return undefined;
}

function eventCount(event: unknown): number {
  for (const path of ['count', 'series.count', 'deprecatedCount']) {
    const value = pick(event, path);
    if (Number.isInteger(value) && (value as number) >= 1) return Math.min(value as number, MAX_COUNT);
  }
  return 1;
}

function describeImage(ref: ImageReference): string {
  return printable(`${ref.registry}/${ref.repository}`, 120);
}
