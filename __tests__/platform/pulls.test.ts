/** Pure pull-event parsing, the Docker Hub 6-hour window, BigQuery rows and the gate. */
import { describe, expect, it } from 'vitest';
import {
  eventsFromRows,
  PULL_COLUMNS,
  parseSinkDataset,
  parseSinkTable,
  pullQuery,
  timestampMs,
} from '../../src/platform/bigquery-pulls.js';
import { cutOverGate } from '../../src/platform/cut-over-gate.js';
import { type PullEvent, parsePullJson } from '../../src/platform/pull-events.js';
import { dockerHubPressure, thirdPartyAfter } from '../../src/platform/pull-report.js';
import { parseReference } from '../../src/reference/index.js';

const H = 3_600_000;
const event = (image: string, last: number, count = 1, cluster = 'c'): PullEvent => ({
  image: parseReference(image),
  project: '',
  location: '',
  cluster,
  namespace: 'n',
  first: last,
  last,
  count,
});

describe('parsePullJson', () => {
  it('reads log entries whose payload is an events.k8s.io/v1 event, and falls back to receiveTimestamp', () => {
    const entry = (jsonPayload: object, times: object) => ({
      logName: 'projects/p-proj1/logs/events',
      resource: { type: 'k8s_pod', labels: { project_id: 'p-proj1', location: 'l', cluster_name: 'c' } },
      jsonPayload: { reason: 'Pulling', ...jsonPayload },
      ...times,
    });

    const parsed = parsePullJson([
      entry(
        { note: 'Pulling image "redis:7"', regarding: { kind: 'Pod', namespace: 'cache' } },
        { timestamp: '2024-05-01T10:00:00.123456789Z' },
      ),
      entry(
        { message: 'Pulling image "nginx:1.25"', involvedObject: { namespace: 'web' } },
        { receiveTimestamp: '2024-05-01T11:00:00.5Z' },
      ),
    ]);

    expect(parsed.refused).toBe(0);
    expect(parsed.events.map((e) => [e.image.repository, e.namespace, e.cluster, e.last])).toEqual([
      ['library/redis', 'cache', 'c', Date.parse('2024-05-01T10:00:00.123Z')],
      ['library/nginx', 'web', 'c', Date.parse('2024-05-01T11:00:00.500Z')],
    ]);
  });

  it('reads core/v1 and events.k8s.io/v1 events with their counts and times', () => {
    const parsed = parsePullJson(
      {
        kind: 'List',
        items: [
          {
            reason: 'Pulling',
            message: 'Pulling image "nginx:1.25"',
            involvedObject: { namespace: 'a' },
            firstTimestamp: '2024-05-01T10:00:00Z',
            lastTimestamp: '2024-05-01T11:00:00Z',
            count: 3,
          },
          {
            reason: 'Pulling',
            note: 'Pulling image "quay.io/x/y:1"',
            regarding: { namespace: 'b' },
            eventTime: '2024-05-01T12:00:00.123456Z',
            deprecatedCount: 2,
          },
          { reason: 'Pulled', message: 'Successfully pulled image "z"' },
        ],
      },
      { cluster: 'onprem' },
    );

    expect(
      parsed.events.map((e) => [e.image.repository, e.namespace, e.count, e.first, e.last, e.cluster]),
    ).toEqual([
      [
        'library/nginx',
        'a',
        3,
        Date.parse('2024-05-01T10:00:00Z'),
        Date.parse('2024-05-01T11:00:00Z'),
        'onprem',
      ],
      [
        'x/y',
        'b',
        2,
        Date.parse('2024-05-01T12:00:00.123Z'),
        Date.parse('2024-05-01T12:00:00.123Z'),
        'onprem',
      ],
    ]);
    expect(parsed.refused).toBe(0);
  });

  it('refuses hostile or broken records with escaped reasons, and caps counts', () => {
    const parsed = parsePullJson([
      { reason: 'Pulling', message: 'Pulling image "a\u001b[31m:1"', lastTimestamp: '2024-05-01T10:00:00Z' },
      { reason: 'Pulling', message: 'Pulling image "nginx:1"', lastTimestamp: 'yesterday' },
      { reason: 'Pulling', message: 'pulling something', lastTimestamp: '2024-05-01T10:00:00Z' },
      {
        reason: 'Pulling',
        message: 'Pulling image "nginx:1"',
        lastTimestamp: '2024-05-01T10:00:00Z',
        count: 1e12,
      },
      {
        jsonPayload: { reason: 'Pulling', message: 'Pulling image "nginx:1"' },
        timestamp: '2024-05-01T10:00:00+02:00',
        resource: { labels: { cluster_name: 7 } },
      },
    ]);

    expect(parsed.refused).toBe(3);
    expect(parsed.problems.join('\n')).not.toMatch(/\u001b/);
    expect(parsed.problems[0]).toContain('a\\x1b[31m:1');
    expect(parsed.events.map((e) => [e.count, e.cluster, e.last])).toEqual([
      [1_000_000, '', Date.parse('2024-05-01T10:00:00Z')],
      [1, '', Date.parse('2024-05-01T08:00:00Z')],
    ]);
  });
});

describe('dockerHubPressure', () => {
  it('finds the busiest rolling 6-hour window per cluster, Docker Hub only', () => {
    const events = [
      event('nginx:1', 0, 60),
      event('redis:7', 5 * H, 50),
      event('nginx:1', 6 * H, 30), // the first event has left the window
      event('quay.io/x/y:1', 5 * H, 500),
      event('nginx:1', 0, 10, 'other'),
    ];

    expect(dockerHubPressure(events)).toEqual([
      {
        cluster: 'c',
        peakPulls: 110,
        windowStart: '1970-01-01T00:00:00Z',
        overAnonymous: true,
        overAuthenticated: false,
      },
      {
        cluster: 'other',
        peakPulls: 10,
        windowStart: '1970-01-01T00:00:00Z',
        overAnonymous: false,
        overAuthenticated: false,
      },
    ]);
  });
});

describe('thirdPartyAfter', () => {
  it('names third-party images pulled at or after the cut-over only', () => {
    const events = [
      event('nginx:1', 1 * H),
      event('redis:7', 3 * H),
      event('us-docker.pkg.dev/p/r/docker.io/library/redis:7', 4 * H),
    ];

    expect(thirdPartyAfter(events, 2 * H).map((v) => v.image)).toEqual(['docker.io/library/redis:7']);
  });
});

describe('cutOverGate', () => {
  const events = [event('us-docker.pkg.dev/p/r/docker.io/library/redis:7', 3 * H, 4)];

  it('passes only a whole read without third-party pulls, and counts the pulls it judged', () => {
    const whole = cutOverGate(events, 2 * H, { firstParty: [], truncated: [] });
    const cut = cutOverGate(events, 2 * H, {
      firstParty: [],
      truncated: [{ source: 'project p', oldest: undefined }],
    });
    const empty = cutOverGate(events, 4 * H, { firstParty: [], truncated: [] });

    expect([whole.passed, whole.pulls]).toEqual([true, 4]);
    expect([cut.passed, cut.truncated, cut.incomplete, cut.violations]).toEqual([
      false,
      ['project p'],
      ['project p'],
      [],
    ]);
    expect([empty.passed, empty.pulls]).toEqual([true, 0]);
  });

  it('passes a read cut short only when it reached back before `after`, still naming it as cut short', () => {
    const gate = (oldest: number) =>
      cutOverGate(events, 2 * H, { firstParty: [], truncated: [{ source: 'project p', oldest }] });
    const covered = gate(2 * H - 1);
    const short = gate(2 * H + 1);
    const atAfter = gate(2 * H); // entries at that very time may have been cut

    expect([covered.passed, covered.truncated, covered.incomplete]).toEqual([true, ['project p'], []]);
    expect([short.passed, short.incomplete]).toEqual([false, ['project p']]);
    expect(atAfter.passed).toBe(false);
  });
});

describe('BigQuery rows', () => {
  it('parses int64 microsecond and float-second timestamps', () => {
    expect(timestampMs('1714557600123456')).toBe(1714557600123);
    expect(timestampMs('1.7145576E9')).toBe(1714557600000);
    expect(timestampMs('soon')).toBeUndefined();
  });

  it('refuses rows with bad images or counts', () => {
    const rows = [
      ['nginx:1', 'p', 'l', 'c', 'n', '4', '1714557600000000', '1714561200000000'],
      ['Bad Image', 'p', 'l', 'c', 'n', '4', '1714557600000000', '1714561200000000'],
      ['nginx:1', 'p', 'l', 'c', 'n', '-1', '1714557600000000', '1714561200000000'],
    ];

    const parsed = eventsFromRows([...PULL_COLUMNS], rows);

    expect(parsed.events.map((e) => [e.count, e.cluster, e.last])).toEqual([[4, 'c', 1714561200000]]);
    expect(parsed.refused).toBe(2);
  });

  it('accepts only PROJECT.DATASET names', () => {
    expect(parseSinkDataset('acme-prod.image_pull_logs')).toEqual({
      project: 'acme-prod',
      dataset: 'image_pull_logs',
    });
    expect(() => parseSinkDataset('acme-prod.logs`; DROP')).toThrow(/expected PROJECT.DATASET/);
  });

  it('queries date shards by suffix and a partitioned table by its timestamp only, newest groups first', () => {
    const sink = parseSinkDataset('acme-prod.logs');

    const sharded = pullQuery(sink);
    const partitioned = pullQuery(sink, parseSinkTable('events'));

    expect(sharded).toContain('FROM `acme-prod.logs.events_*`');
    expect(sharded).toContain('_TABLE_SUFFIX >=');
    expect(partitioned).toContain('FROM `acme-prod.logs.events`');
    expect(partitioned).not.toContain('_TABLE_SUFFIX');
    for (const query of [sharded, partitioned]) expect(query).toMatch(/\nORDER BY last_seen DESC$/);
    for (const bad of ['events*', 'events_*x', 'x`; DROP', ''])
      expect(() => parseSinkTable(bad)).toThrow(/--bigquery-table/);
  });
});
