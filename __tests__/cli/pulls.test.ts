/**
 * `ar-mirror pulls` through its command runner against the Google API stand-ins (Logging,
 * BigQuery) and a real local registry (the `--to` check), plus gcloud and kubectl JSON input.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPullsCommand } from '../../src/commands/pulls.js';
import { type GoogleApis, googleError, pullEntry, startGoogleApis } from '../support/google-apis/index.js';
import { pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { runCommand } from './run-command.js';

const NOW = Date.parse('2024-05-08T12:00:00Z');
let google: GoogleApis;
let registry: TestRegistry;
let work: string;

beforeAll(async () => {
  [google, registry] = await Promise.all([startGoogleApis(), startRegistry({ mode: 'none' })]);
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-pulls-'));
});
afterAll(async () => {
  await Promise.all([google?.stop(), registry?.stop()]);
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  google.state.logEntries.clear();
  google.state.faults.length = 0;
  google.state.requests.length = 0;
});

const at = (hoursAgo: number) => new Date(NOW - hoursAgo * 3_600_000).toISOString();
const pulls = (argv: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCommand((a, io) => runPullsCommand(a, io, NOW), argv, {
    env: { ...google.env(), ...options.env },
    ...options,
  });

function seedLogs(project: string, count: number, image: string, cluster = 'prod', hoursAgo = 1) {
  const list = google.state.logEntries.get(project) ?? [];
  for (let i = 0; i < count; i++)
    list.push(
      pullEntry({ project, cluster, namespace: `ns${i % 2}`, image, timestamp: at(hoursAgo + i / 1000) }),
    );
  google.state.logEntries.set(project, list);
  google.state.loggingProjects.add(project);
}

describe('pulls from Cloud Logging', () => {
  it('reads every page of several projects, one row per canonical image, with Docker Hub pressure', async () => {
    seedLogs('proj-one', 1500, 'nginx:1.25');
    seedLogs('proj-one', 3, 'docker.io/library/nginx:1.25', 'prod', 2);
    seedLogs('proj-two', 40, 'quay.io/prometheus/node-exporter:v1.8.0', 'edge');
    seedLogs('proj-two', 2, 'us-docker.pkg.dev/acme-prod/mirror/docker.io/library/redis:7', 'edge');
    seedLogs('proj-two', 1, 'nginx:1.25', 'edge', 24 * 10); // outside --since 7d

    const run = await pulls(['--project', 'proj-one,proj-two', '--json']);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.images.map((r: { image: string; pulls: number }) => [r.image, r.pulls])).toEqual([
      ['docker.io/library/nginx:1.25', 1503],
      ['quay.io/prometheus/node-exporter:v1.8.0', 40],
      ['us-docker.pkg.dev/acme-prod/mirror/docker.io/library/redis:7', 2],
    ]);
    expect(report.images[0]).toMatchObject({
      clusters: ['proj-one/us-central1/prod'],
      namespaces: ['ns0', 'ns1'],
      thirdParty: true,
      atDestination: null,
      inTree: null,
    });
    expect(report.images[2].thirdParty).toBe(false);
    expect(report.dockerHub.clusters).toEqual([
      expect.objectContaining({
        cluster: 'proj-one/us-central1/prod',
        peakPulls: 1503,
        overAnonymous: true,
        overAuthenticated: true,
      }),
    ]);
    // 1503 entries at 1000 a page: two pages for proj-one, one for proj-two.
    expect(google.state.requests.filter((r) => r === 'POST /logging/v2/entries:list')).toHaveLength(3);
  });

  it('reads a project named twice once, so its pulls are not counted twice', async () => {
    seedLogs('proj-one', 5, 'alpine:3.20');

    const run = await pulls(['--project', 'proj-one', '--project', 'proj-one,proj-one', '--json']);

    expect([run.code, JSON.parse(run.stdout).totalPulls]).toEqual([0, 5]);
    expect(google.state.requests).toEqual(['POST /logging/v2/entries:list']);
  });

  it('waits out 429 RESOURCE_EXHAUSTED answers (Retry-After) and goes on', async () => {
    seedLogs('proj-one', 5, 'alpine:3.20');
    google.state.faults.push({
      path: /entries:list$/,
      times: 2,
      answer: {
        ...googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric Read requests'),
        headers: { 'retry-after': '0' },
      },
    });

    const run = await pulls(['--project', 'proj-one', '--json']);

    expect([run.code, JSON.parse(run.stdout).totalPulls]).toEqual([0, 5]);
    expect(run.stderr).toContain('RESOURCE_EXHAUSTED');
    expect(google.state.requests).toHaveLength(3);
  });

  it('fails with Google’s message and the role it takes when the project cannot be read', async () => {
    const run = await pulls(['--project', 'proj-denied']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "403 PERMISSION_DENIED: Permission 'logging.logEntries.list' denied on resource 'projects/proj-denied'.; the caller needs logging.logEntries.list on project proj-denied (roles/logging.viewer)",
    );
  });

  it('refuses hostile messages and escapes hostile labels in the table', async () => {
    seedLogs('proj-one', 1, 'alpine:3.20', 'prod\u001b[31mRED');
    const list = google.state.logEntries.get('proj-one')!;
    list.push(
      pullEntry({
        project: 'proj-one',
        cluster: 'c',
        namespace: 'n',
        image: '',
        timestamp: at(1),
        message: 'Pulling image "evil\u001b]0;title\u0007:1"',
      }),
    );
    list.push(
      pullEntry({
        project: 'proj-one',
        cluster: 'c',
        namespace: 'n',
        image: '',
        timestamp: at(1),
        message: 'Pulling image "UPPER/Case:1"',
      }),
    );

    const run = await pulls(['--project', 'proj-one']);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\u001b/);
    expect(run.stdout).toContain('prod\\x1b[31mRED');
    expect(run.stdout).toContain('2 pull event(s) refused');
    expect(run.stdout).toMatch(/^docker\.io\/library\/alpine:3\.20 +1 /m);
  });
});

describe('the cut-over gate over a bounded read', () => {
  const MIRROR = 'us-docker.pkg.dev/acme-prod/mirror/docker.io/library/redis:7';

  it('keeps the newest entries when --max-entries cuts the read, so late third-party pulls fail the gate', async () => {
    seedLogs('proj-one', 5, MIRROR, 'prod', 10);
    seedLogs('proj-one', 5, 'docker.io/library/redis:7', 'prod', 1);

    const run = await pulls(['--project', 'proj-one', '--fail-on-third-party', '--max-entries', '5']);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('gate FAILED: 1 third-party image(s) pulled since');
    expect(run.stdout).toMatch(/^ {2}docker\.io\/library\/redis:7 {2}5 pull\(s\)/m);
    expect(run.stdout).not.toContain(MIRROR);
  });

  it('fails the gate when a source was cut short, though what was read is all first-party', async () => {
    seedLogs('proj-one', 10, MIRROR);

    const text = await pulls(['--project', 'proj-one', '--fail-on-third-party', '--max-entries', '5']);
    const json = await pulls([
      '--project',
      'proj-one',
      '--fail-on-third-party',
      '--max-entries',
      '5',
      '--json',
    ]);
    const whole = await pulls(['--project', 'proj-one', '--fail-on-third-party', '--json']);

    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'gate FAILED: the read of project proj-one was cut short at --max-entries, so pulls since',
    );
    expect(text.stdout).toContain('raise --max-entries or shorten --since to the cut-over');
    expect(text.stdout).not.toContain('gate: no third-party pulls');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).gate).toMatchObject({
      pulls: 5,
      violations: [],
      truncated: ['project proj-one'],
      passed: false,
    });
    expect([whole.code, JSON.parse(whole.stdout).gate.passed, JSON.parse(whole.stdout).gate.pulls]).toEqual([
      0,
      true,
      10,
    ]);
  });

  it('passes a Logging read cut short before --after, saying so, and fails one cut short after it', async () => {
    seedLogs('proj-one', 3, MIRROR, 'prod', 1);
    seedLogs('proj-one', 3, MIRROR, 'prod', 10);
    seedLogs('proj-one', 5, 'docker.io/library/redis:7', 'prod', 20); // before --after, never read
    const gate = (after: string, json: string[] = []) =>
      pulls([
        '--project',
        'proj-one',
        '--fail-on-third-party',
        '--max-entries',
        '5',
        '--after',
        after,
        ...json,
      ]);

    // Read: the three pulls of 1h ago and two of 10h ago, so every pull since 5h ago.
    const covered = await gate(at(5));
    const coveredJson = await gate(at(5), ['--json']);
    // Since 12h ago the third pull of 10h ago was not read.
    const short = await gate(at(12), ['--json']);

    expect(covered.code).toBe(0);
    expect(covered.stdout).toContain(
      `gate: the read of project proj-one was cut short at --max-entries, but only before ${at(5).replace('.000', '')}`,
    );
    expect(covered.stdout).toContain('gate: no third-party pulls since');
    expect(covered.stdout).toMatch(/stopped after 5 log entries \(the newest kept, back to /);
    expect(JSON.parse(coveredJson.stdout).gate).toMatchObject({
      pulls: 3,
      truncated: ['project proj-one'],
      incomplete: [],
      passed: true,
    });
    expect(short.code).toBe(1);
    expect(JSON.parse(short.stdout).gate).toMatchObject({
      truncated: ['project proj-one'],
      incomplete: ['project proj-one'],
      passed: false,
    });
  });

  it('passes a BigQuery read cut short before --after only when its oldest group reaches back past it', async () => {
    const entry = (image: string, hoursAgo: number) =>
      pullEntry({ project: 'proj-one', cluster: 'prod', namespace: 'web', image, timestamp: at(hoursAgo) });
    google.state.bigquery.datasets.set('proj-one.cut_logs', [
      entry('docker.io/library/redis:7', 30),
      entry(MIRROR, 20),
      entry(MIRROR, 2),
    ]);
    google.state.bigquery.incompletePolls = 0;
    const gate = (maxEntries: string) =>
      pulls([
        '--bigquery',
        'proj-one.cut_logs',
        '--max-entries',
        maxEntries,
        '--fail-on-third-party',
        '--after',
        at(10),
        '--json',
      ]);

    const covered = await gate('2'); // groups of 2h and 20h ago
    const short = await gate('1'); // the group of 2h ago only

    expect([covered.code, JSON.parse(covered.stdout).gate]).toMatchObject([
      0,
      { pulls: 1, truncated: ['bigquery proj-one.cut_logs'], incomplete: [], passed: true },
    ]);
    expect([short.code, JSON.parse(short.stdout).gate.incomplete]).toEqual([
      1,
      ['bigquery proj-one.cut_logs'],
    ]);
  });

  it('says so when the gate window holds no pull at all (exit 0, but no claim that the pulls moved)', async () => {
    const file = path.join(work, 'no-late-pulls.json');
    writeFileSync(
      file,
      JSON.stringify([
        pullEntry({ project: 'p-proj1', cluster: 'c1', namespace: 'a', image: MIRROR, timestamp: at(10) }),
      ]),
    );

    const run = await pulls([file, '--fail-on-third-party', '--after', at(5)]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `gate: no pulls at all since ${at(5).replace('.000', '')}, third-party or first-party`,
    );
    expect(run.stdout).not.toContain('gate: no third-party pulls');
  });

  it('asks BigQuery for the newest groups first, so --max-entries keeps the latest pulls', async () => {
    const entry = (image: string, hoursAgo: number) =>
      pullEntry({ project: 'proj-one', cluster: 'prod', namespace: 'web', image, timestamp: at(hoursAgo) });
    // Exported oldest first: without ORDER BY the stand-in answers in that order.
    google.state.bigquery.datasets.set('proj-one.ordered_logs', [
      entry(MIRROR, 30),
      entry(MIRROR, 20),
      entry('docker.io/library/redis:7', 2),
    ]);
    google.state.bigquery.incompletePolls = 0;

    const run = await pulls([
      '--bigquery',
      'proj-one.ordered_logs',
      '--max-entries',
      '1',
      '--fail-on-third-party',
      '--json',
    ]);

    const report = JSON.parse(run.stdout);
    expect(report.images.map((r: { image: string }) => r.image)).toEqual(['docker.io/library/redis:7']);
    expect(report.gate.violations.map((v: { image: string }) => v.image)).toEqual([
      'docker.io/library/redis:7',
    ]);
    expect(report.gate.truncated).toEqual(['bigquery proj-one.ordered_logs']);
    expect(run.code).toBe(1);
  });
});

describe('pulls from BigQuery', () => {
  it('runs the grouped query, waits while jobComplete is false, and sums the groups', async () => {
    const entries = [
      ...Array.from({ length: 7 }, (_, i) =>
        pullEntry({
          project: 'proj-one',
          cluster: 'prod',
          namespace: 'web',
          image: 'nginx:1.25',
          timestamp: at(30 + i),
        }),
      ),
      pullEntry({
        project: 'proj-one',
        cluster: 'prod',
        namespace: 'web',
        image: 'nginx:1.25',
        timestamp: at(24 * 30),
      }),
    ];
    google.state.bigquery.datasets.set('proj-one.image_pull_logs', entries);
    google.state.bigquery.incompletePolls = 2;

    const run = await pulls([
      '--bigquery',
      'proj-one.image_pull_logs',
      '--since',
      '14d',
      '--by',
      'day',
      '--json',
    ]);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.images).toEqual([
      expect.objectContaining({
        image: 'docker.io/library/nginx:1.25',
        pulls: 7,
        firstSeen: at(36).replace('.000', ''),
        lastSeen: at(30).replace('.000', ''),
      }),
    ]);
    expect(report.timeline.reduce((sum: number, b: { pulls: number }) => sum + b.pulls, 0)).toBe(7);
    expect(
      google.state.requests.filter((r) => r.startsWith('GET /bigquery/v2/projects/proj-one/queries/')),
    ).toHaveLength(2);
  });

  it('fails, naming the columns, when the answer is not the pull query’s result (never reports zero pulls)', async () => {
    google.state.bigquery.datasets.set('proj-one.image_pull_logs', []);
    // A complete jobs.query answer in BigQuery's shape, but for another query (the guide's columns).
    google.state.faults.push({
      path: /\/queries$/,
      times: 1,
      answer: {
        status: 200,
        body: {
          kind: 'bigquery#queryResponse',
          schema: {
            fields: [
              { name: 'imageName', type: 'STRING', mode: 'NULLABLE' },
              { name: 'numberOfPulls', type: 'INTEGER', mode: 'NULLABLE' },
            ],
          },
          jobReference: { projectId: 'proj-one', jobId: 'job_1', location: 'US' },
          totalRows: '1',
          rows: [{ f: [{ v: 'nginx:1.25' }, { v: '12' }] }],
          jobComplete: true,
        },
      },
    });

    const run = await pulls(['--bigquery', 'proj-one.image_pull_logs', '--json']);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('lacks the column(s) image, project, location, cluster, namespace, pulls');
    expect(run.stderr).toContain('it has imageName, numberOfPulls');
  });

  it('reads the single events table of a sink with partitioned tables (--bigquery-table events)', async () => {
    google.state.bigquery.datasets.set('proj-one.partitioned_logs', [
      pullEntry({
        project: 'proj-one',
        cluster: 'prod',
        namespace: 'web',
        image: 'nginx:1.25',
        timestamp: at(3),
      }),
    ]);
    google.state.bigquery.partitioned.add('proj-one.partitioned_logs');
    google.state.bigquery.incompletePolls = 0;

    const sharded = await pulls(['--bigquery', 'proj-one.partitioned_logs', '--json']);
    const partitioned = await pulls([
      '--bigquery',
      'proj-one.partitioned_logs',
      '--bigquery-table',
      'events',
      '--json',
    ]);
    const wildcard = await pulls(['--bigquery', 'proj-one.partitioned_logs', '--bigquery-table', 'events*']);

    expect(sharded.code).toBe(1);
    expect(sharded.stderr).toContain('Not found: Table proj-one:partitioned_logs.events_*');
    expect([partitioned.code, JSON.parse(partitioned.stdout).totalPulls]).toEqual([0, 1]);
    expect(wildcard.code).toBe(2);
    expect(wildcard.stderr).toContain('--bigquery-table: expected the sink');
  });

  it('names the roles a refused query needs', async () => {
    google.state.bigquery.datasets.set('proj-one.image_pull_logs', []);
    google.state.faults.push({
      path: /\/queries$/,
      times: 1,
      answer: googleError(
        403,
        'PERMISSION_DENIED',
        'Access Denied: Project proj-one: User does not have bigquery.jobs.create permission in project proj-one.',
      ),
    });

    const run = await pulls(['--bigquery', 'proj-one.image_pull_logs']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'the caller needs bigquery.jobs.create on project proj-one (roles/bigquery.jobUser) and bigquery.tables.getData on dataset proj-one.image_pull_logs (roles/bigquery.dataViewer)',
    );
  });

  it('refuses a dataset name that would change the SQL', async () => {
    const run = await pulls(['--bigquery', 'proj-one.x` WHERE 1=1 --']);

    expect(run.code).toBe(2);
    expect(google.state.requests).toEqual([]);
  });
});

describe('pulls from files', () => {
  const kubectlEvents = (items: object[]) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
  const event = (image: string, count: number, last: string) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17c', namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
    reason: 'Pulling',
    message: `Pulling image "${image}"`,
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: at(5),
    lastTimestamp: last,
    count,
    type: 'Normal',
  });

  it('reads kubectl events from stdin, checks --to on a real registry and --tree, and flags untracked images', async () => {
    const port = registry.host.split(':')[1];
    await pushRandomImage(registry, 'mirror/docker.io/library/nginx:1.25', { layers: 1, layerSize: 512 });
    const tree = path.join(work, 'tree');
    mkdirSync(tree, { recursive: true });
    writeFileSync(
      path.join(tree, 'deploy.yaml'),
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: nginx:1.25\n',
    );
    const stdin = kubectlEvents([
      event('nginx:1.25', 4, at(1)),
      event('ghcr.io/acme/sidecar:2', 1, at(2)),
      { ...event('x', 1, at(1)), reason: 'Pulled', message: 'Successfully pulled image "x"' },
    ]);

    const run = await pulls(
      [
        '-',
        '--cluster-name',
        'onprem',
        '--to',
        `127.0.0.1:${port}/mirror`,
        '--plain-http',
        `127.0.0.1:${port}`,
        '--tree',
        tree,
        '--json',
      ],
      { stdin },
    );

    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(
      report.images.map((r: Record<string, unknown>) => [
        r.image,
        r.pulls,
        r.clusters,
        r.mirror,
        r.atDestination,
        r.inTree,
      ]),
    ).toEqual([
      [
        'docker.io/library/nginx:1.25',
        4,
        ['onprem'],
        `127.0.0.1:${port}/mirror/docker.io/library/nginx:1.25`,
        true,
        true,
      ],
      [
        'ghcr.io/acme/sidecar:2',
        1,
        ['onprem'],
        `127.0.0.1:${port}/mirror/ghcr.io/acme/sidecar:2`,
        false,
        false,
      ],
    ]);
    expect(report.notInTree).toEqual(['ghcr.io/acme/sidecar:2']);
  });

  it('without --since, a file’s window and the gate’s default start reach back to its oldest event', async () => {
    const file = path.join(work, 'old-events.json');
    writeFileSync(file, kubectlEvents([event('redis:7', 2, at(24 * 30)), event('nginx:1.25', 1, at(1))]));

    const run = await pulls([file, '--fail-on-third-party', '--json']);
    const windowed = await pulls([file, '--since', '7d', '--fail-on-third-party', '--json']);

    const report = JSON.parse(run.stdout);
    expect(report.images.map((r: { image: string }) => r.image)).toEqual([
      'docker.io/library/redis:7',
      'docker.io/library/nginx:1.25',
    ]);
    // Every image in the report is in the window it names, and the gate covers what it reports.
    expect(report.window.since).toBe(at(24 * 30).replace('.000', ''));
    expect(report.gate.violations.map((v: { image: string }) => v.image)).toEqual([
      'docker.io/library/redis:7',
      'docker.io/library/nginx:1.25',
    ]);
    expect(run.code).toBe(1);
    const recent = JSON.parse(windowed.stdout);
    expect(recent.window.since).toBe(at(24 * 7).replace('.000', ''));
    expect(recent.images.map((r: { image: string }) => r.image)).toEqual(['docker.io/library/nginx:1.25']);
  });

  it('reads a file of 200000 events (no argument spread overflows the stack)', async () => {
    const file = path.join(work, 'many-events.json');
    const one = JSON.stringify({
      reason: 'Pulling',
      message: 'Pulling image "redis:7"',
      lastTimestamp: at(1),
    });
    writeFileSync(file, `{"kind":"List","items":[${Array(200_000).fill(one).join(',')}]}`);

    const run = await pulls([file, '--json']);

    expect(run.stderr).toBe('');
    expect([run.code, JSON.parse(run.stdout).totalPulls]).toEqual([0, 200_000]);
  });

  it('reads gcloud logging read JSON and gates the cut-over', async () => {
    const file = path.join(work, 'gcloud.json');
    writeFileSync(
      file,
      JSON.stringify([
        pullEntry({ project: 'p-proj1', cluster: 'c1', namespace: 'a', image: 'redis:7', timestamp: at(10) }),
        pullEntry({
          project: 'p-proj1',
          cluster: 'c1',
          namespace: 'a',
          image: 'us-docker.pkg.dev/acme-prod/mirror/docker.io/library/redis:7',
          timestamp: at(1),
        }),
      ]),
    );

    const before = await pulls([file, '--fail-on-third-party', '--after', at(12)]);
    const after = await pulls([file, '--fail-on-third-party', '--after', at(5)]);

    expect(before.code).toBe(1);
    expect(before.stdout).toContain('gate FAILED: 1 third-party image(s) pulled since');
    expect(before.stdout).toMatch(/^ {2}docker\.io\/library\/redis:7 {2}1 pull\(s\)/m);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('gate: no third-party pulls since');
  });
});
