/** The Google REST clients against the stand-ins: BigQuery paging and polling, hostile shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/cloud/bigquery.js';
import { parseClusterNodes } from '../../src/cloud/container.js';
import { createGoogleApi } from '../../src/cloud/http.js';
import { getRole } from '../../src/cloud/iam.js';
import { listPullEntries } from '../../src/cloud/logging.js';
import { parsePolicy } from '../../src/cloud/policy.js';
import { pullQuery } from '../../src/platform/bigquery-pulls.js';
import { type GoogleApis, pullEntry, startGoogleApis } from '../support/google-apis/index.js';

let google: GoogleApis;
beforeAll(async () => {
  google = await startGoogleApis();
});
afterAll(async () => {
  await google?.stop();
});

const api = () =>
  createGoogleApi({ token: { getAccessToken: async () => google.token }, sleep: async () => {} });

describe('runQuery', () => {
  it('waits for the job, then follows pageToken through getQueryResults with the job location', async () => {
    const entries = ['a:1', 'b:1', 'c:1', 'd:1', 'e:1'].map((image, i) =>
      pullEntry({
        project: 'acme-prod',
        cluster: 'c',
        namespace: 'n',
        image,
        timestamp: `2024-05-01T0${i}:00:00Z`,
      }),
    );
    google.state.bigquery.datasets.set('acme-prod.logs', entries);
    google.state.bigquery.incompletePolls = 1;
    google.state.requests.length = 0;

    const result = await runQuery(api(), `${google.url}/bigquery/v2`, {
      project: 'acme-prod',
      query: pullQuery({ project: 'acme-prod', dataset: 'logs' }),
      parameters: [{ name: 'since', type: 'TIMESTAMP', value: '2024-01-01T00:00:00Z' }],
      location: 'EU',
      pageSize: 2,
    });

    expect(result.rows.map((row) => row[0]).sort()).toEqual(['a:1', 'b:1', 'c:1', 'd:1', 'e:1']);
    expect(result.truncated).toBe(false);
    expect(google.state.requests.filter((r) => r.startsWith('GET '))).toHaveLength(3); // one poll, two more pages
  });

  it('stops at maxRows and says so', async () => {
    google.state.bigquery.incompletePolls = 0;

    const result = await runQuery(api(), `${google.url}/bigquery/v2`, {
      project: 'acme-prod',
      query: pullQuery({ project: 'acme-prod', dataset: 'logs' }),
      parameters: [{ name: 'since', type: 'TIMESTAMP', value: '2024-01-01T00:00:00Z' }],
      location: 'EU',
      pageSize: 2,
      maxRows: 3,
    });

    expect([result.rows.length, result.truncated]).toEqual([3, true]);
  });

  it('gives up on a job that never completes', async () => {
    google.state.bigquery.incompletePolls = 100;

    const failure = await runQuery(api(), `${google.url}/bigquery/v2`, {
      project: 'acme-prod',
      query: pullQuery({ project: 'acme-prod', dataset: 'logs' }),
      parameters: [{ name: 'since', type: 'TIMESTAMP', value: '2024-01-01T00:00:00Z' }],
      location: 'EU',
      pollAttempts: 3,
    }).catch((e: unknown) => e as Error);

    expect((failure as Error).message).toMatch(/^BigQuery: job job_\w+ was not complete after 3 waits$/);
  });
});

describe('page bounds follow the entry bounds', () => {
  const many = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      pullEntry({
        project: 'acme-prod',
        cluster: 'c',
        namespace: 'n',
        image: `img${i}:1`,
        timestamp: new Date(Date.parse('2024-05-01T00:00:00Z') + i * 1000).toISOString(),
      }),
    );

  it('Logging reads up to maxEntries even when that takes more than 100 pages', async () => {
    google.state.logEntries.set('acme-prod', many(150));
    google.state.loggingProjects.add('acme-prod');

    const listed = await listPullEntries(api(), `${google.url}/logging/v2`, {
      project: 'acme-prod',
      since: new Date('2024-01-01T00:00:00Z'),
      pageSize: 1,
      maxEntries: 120,
    });

    expect([listed.items.length, listed.truncated]).toEqual([120, true]);
  });

  it('BigQuery reads up to maxRows even when that takes more than 100 pages', async () => {
    google.state.bigquery.datasets.set('acme-prod.many', many(150));
    google.state.bigquery.incompletePolls = 0;

    const result = await runQuery(api(), `${google.url}/bigquery/v2`, {
      project: 'acme-prod',
      query: pullQuery({ project: 'acme-prod', dataset: 'many' }),
      parameters: [{ name: 'since', type: 'TIMESTAMP', value: '2024-01-01T00:00:00Z' }],
      pageSize: 1,
      maxRows: 120,
    });

    expect([result.rows.length, result.truncated]).toEqual([120, true]);
  });
});

describe('hostile shapes', () => {
  it('parsePolicy drops malformed bindings and keeps conditions', () => {
    const policy = parsePolicy({
      bindings: [
        { role: 'roles/viewer', members: ['user:a@x', 7] },
        { role: 'not a role', members: ['user:b@x'] },
        {
          role: 'roles/editor',
          members: 'serviceAccount:c@x',
          condition: { title: 't', expression: 'true' },
        },
        null,
      ],
    });

    expect(policy.bindings).toEqual([
      { role: 'roles/viewer', members: ['user:a@x'], condition: undefined },
      { role: 'roles/editor', members: [], condition: { title: 't', expression: 'true' } },
    ]);
  });

  it('parseClusterNodes: empty accounts are "default"; Autopilot adds the auto-provisioned nodes', () => {
    expect(
      parseClusterNodes({
        autopilot: { enabled: true },
        nodePools: [{ name: 'p', config: { oauthScopes: [] } }, { config: {} }],
        autoscaling: {
          autoprovisioningNodePoolDefaults: {
            serviceAccount: 'n@acme-prod.iam.gserviceaccount.com',
            oauthScopes: ['s'],
          },
        },
      }),
    ).toEqual({
      autopilot: true,
      identities: [
        { pool: 'p', serviceAccount: 'default', oauthScopes: undefined },
        {
          pool: '(auto-provisioned)',
          serviceAccount: 'n@acme-prod.iam.gserviceaccount.com',
          oauthScopes: ['s'],
        },
      ],
    });
  });

  it('getRole refuses a name that is not a role before any request', async () => {
    google.state.requests.length = 0;

    await expect(getRole(api(), `${google.url}/iam/v1`, '../../v1/projects/x')).rejects.toThrow(
      'is not an IAM role name',
    );
    expect(google.state.requests).toEqual([]);
  });
});
