/**
 * `ar-mirror doctor` through its command runner against the GKE, Resource Manager, IAM, Artifact
 * Registry and Cloud Run stand-ins: node pools (default and custom accounts, narrow scopes),
 * Autopilot, cross-project, custom roles, groups and conditions, Cloud Run service agents; and
 * the printed fixes, applied to the stand-in, make the same run pass.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../src/commands/doctor.js';
import { type Binding, type GoogleApis, googleError, startGoogleApis } from '../support/google-apis/index.js';
import { runCommand } from './run-command.js';

let google: GoogleApis;
beforeAll(async () => {
  google = await startGoogleApis();
});
afterAll(async () => {
  await google?.stop();
});

const REPO = 'projects/acme-mirror/locations/us/repositories/mirror';
const DEFAULT_SCOPES = [
  'https://www.googleapis.com/auth/devstorage.read_only',
  'https://www.googleapis.com/auth/logging.write',
  'https://www.googleapis.com/auth/monitoring',
];

beforeEach(() => {
  const s = google.state;
  s.projects.clear();
  s.clusters.clear();
  s.roles.clear();
  s.repositoryPolicies.clear();
  s.runServices.clear();
  s.faults.length = 0;
  s.projects.set('acme-mirror', {
    projectNumber: '111111111111',
    bindings: [
      {
        role: 'roles/editor',
        members: ['serviceAccount:111111111111-compute@developer.gserviceaccount.com'],
      },
      {
        role: 'roles/run.serviceAgent',
        members: ['serviceAccount:service-111111111111@serverless-robot-prod.iam.gserviceaccount.com'],
      },
      { role: 'roles/artifactregistry.reader', members: ['domain:acme.example'] },
    ],
  });
  s.projects.set('acme-prod', { projectNumber: '222222222222', bindings: [] });
  s.repositoryPolicies.set(REPO, [
    {
      role: 'roles/artifactregistry.reader',
      members: ['serviceAccount:nodes@acme-mirror.iam.gserviceaccount.com'],
    },
    {
      role: 'projects/acme-mirror/roles/imagePuller',
      members: ['serviceAccount:222222222222-compute@developer.gserviceaccount.com'],
    },
    {
      role: 'roles/artifactregistry.reader',
      members: ['serviceAccount:batch@acme-prod.iam.gserviceaccount.com'],
      condition: { title: 'office hours', expression: 'request.time.getHours("UTC") < 18' },
    },
  ]);
  s.roles.set('projects/acme-mirror/roles/imagePuller', {
    includedPermissions: [
      'artifactregistry.repositories.downloadArtifacts',
      'artifactregistry.repositories.get',
    ],
  });
  s.clusters.set('projects/acme-mirror/locations/us-central1/clusters/shop', {
    name: 'shop',
    location: 'us-central1',
    nodePools: [
      { name: 'default-pool', config: { serviceAccount: 'default', oauthScopes: DEFAULT_SCOPES } },
      {
        name: 'narrow',
        config: {
          serviceAccount: 'nodes@acme-mirror.iam.gserviceaccount.com',
          oauthScopes: ['https://www.googleapis.com/auth/logging.write'],
        },
      },
      {
        name: 'batch',
        config: {
          serviceAccount: 'batch@acme-prod.iam.gserviceaccount.com',
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        },
      },
    ],
  });
  s.clusters.set('projects/acme-prod/locations/europe-west4/clusters/auto', {
    name: 'auto',
    location: 'europe-west4',
    autopilot: { enabled: true },
    autoscaling: {
      enableNodeAutoprovisioning: true,
      autoprovisioningNodePoolDefaults: { serviceAccount: 'gke-nodes@acme-prod.iam.gserviceaccount.com' },
    },
    nodePools: [
      {
        name: 'default-pool',
        config: {
          serviceAccount: 'default',
          oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        },
      },
    ],
  });
  s.runServices.set('projects/acme-prod/locations/us-central1/services/api', {
    name: 'projects/acme-prod/locations/us-central1/services/api',
    uri: 'https://api-xyz.a.run.app',
    template: {
      serviceAccount: 'api@acme-prod.iam.gserviceaccount.com',
      containers: [{ image: 'us-docker.pkg.dev/acme-mirror/mirror/docker.io/library/nginx:1.25' }],
    },
  });
  s.runServices.set('projects/acme-mirror/locations/us-central1/services/web', {
    name: 'projects/acme-mirror/locations/us-central1/services/web',
    template: {
      containers: [{ image: 'us-docker.pkg.dev/acme-mirror/mirror/docker.io/library/nginx:1.25' }],
    },
  });
});

const ARGS = [
  '--to',
  'us-docker.pkg.dev/acme-mirror/mirror',
  '--cluster',
  'projects/acme-mirror/locations/us-central1/clusters/shop',
  '--cluster',
  'projects/acme-prod/locations/europe-west4/clusters/auto',
  '--run-service',
  'projects/acme-prod/locations/us-central1/services/api',
  '--run-service',
  'projects/acme-mirror/locations/us-central1/services/web',
];
const doctor = (argv: string[]) => runCommand(runDoctorCommand, argv, { env: google.env() });

interface Check {
  workload: string;
  account: string;
  status: string;
  reasons: string[];
  grants: string[];
  notes: string[];
  fixes: string[];
}

describe('ar-mirror doctor', () => {
  it('decides every identity with its reason, and exits 1', async () => {
    const run = await doctor([...ARGS, '--json']);

    expect(run.code).toBe(1);
    const checks: Check[] = JSON.parse(run.stdout).checks;
    expect(checks.map((c) => [c.workload, c.account, c.status])).toEqual([
      [
        'cluster acme-mirror/us-central1/shop, node pool default-pool',
        '111111111111-compute@developer.gserviceaccount.com',
        'pass',
      ],
      [
        'cluster acme-mirror/us-central1/shop, node pool narrow',
        'nodes@acme-mirror.iam.gserviceaccount.com',
        'fail',
      ],
      [
        'cluster acme-mirror/us-central1/shop, node pool batch',
        'batch@acme-prod.iam.gserviceaccount.com',
        'unknown',
      ],
      [
        'cluster acme-prod/europe-west4/auto, node pool default-pool',
        '222222222222-compute@developer.gserviceaccount.com',
        'pass',
      ],
      [
        'cluster acme-prod/europe-west4/auto, Autopilot nodes',
        'gke-nodes@acme-prod.iam.gserviceaccount.com',
        'fail',
      ],
      [
        'Cloud Run service acme-prod/us-central1/api',
        'service-222222222222@serverless-robot-prod.iam.gserviceaccount.com',
        'fail',
      ],
      [
        'Cloud Run service acme-mirror/us-central1/web',
        'service-111111111111@serverless-robot-prod.iam.gserviceaccount.com',
        'pass',
      ],
    ]);
    expect(checks[0]!.grants).toEqual([
      'scope https://www.googleapis.com/auth/devstorage.read_only',
      'roles/editor on project acme-mirror',
    ]);
    expect(checks[1]!.reasons).toEqual([expect.stringMatching(/^scope too narrow: /)]);
    expect(checks[1]!.fixes).toEqual([
      'gcloud container node-pools create narrow-ar --cluster=shop --location=us-central1 --project=acme-mirror --service-account=nodes@acme-mirror.iam.gserviceaccount.com --scopes=https://www.googleapis.com/auth/cloud-platform  # then move the workloads and delete narrow',
    ]);
    expect(checks[2]!.reasons[0]).toContain('only under the condition "office hours"');
    expect(checks[3]!.grants).toContain('projects/acme-mirror/roles/imagePuller on the repository mirror');
    expect(checks[4]!.grants).toEqual([
      'scope https://www.googleapis.com/auth/cloud-platform (Autopilot default)',
    ]);
    expect(checks[4]!.reasons[0]).toContain(
      'cross-project: the account belongs to project acme-prod, the repository to acme-mirror',
    );
    expect(checks[4]!.notes).toEqual([
      'only the repository’s and its project’s own IAM policies are read: a grant inherited from a folder or the organization is not seen',
    ]);
    expect(checks[4]!.fixes).toEqual([
      'gcloud artifacts repositories add-iam-policy-binding mirror --project=acme-mirror --location=us --member=serviceAccount:gke-nodes@acme-prod.iam.gserviceaccount.com --role=roles/artifactregistry.reader',
    ]);
    expect(checks[6]!.grants).toEqual(['roles/run.serviceAgent on project acme-mirror']);
  });

  it('passes once the printed grants are applied (and reports a group grant as unverifiable)', async () => {
    const first = await doctor([...ARGS, '--json']);
    for (const fix of (JSON.parse(first.stdout).checks as Check[]).flatMap((c) => c.fixes)) {
      const grant =
        /^gcloud artifacts repositories add-iam-policy-binding mirror .*--member=(\S+) --role=(\S+)$/.exec(
          fix,
        );
      if (grant)
        google.state.repositoryPolicies.get(REPO)!.push({ role: grant[2]!, members: [grant[1]!] } as Binding);
    }
    google.state.projects
      .get('acme-mirror')!
      .bindings.push({ role: 'roles/artifactregistry.reader', members: ['group:platform@acme.example'] });
    google.state.clusters.get('projects/acme-mirror/locations/us-central1/clusters/shop')!.nodePools = [
      {
        name: 'group-only',
        config: { serviceAccount: 'ci@acme-mirror.iam.gserviceaccount.com', oauthScopes: DEFAULT_SCOPES },
      },
    ];

    const run = await doctor(ARGS);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('4 pass, 0 fail, 1 cannot be verified');
    expect(run.stdout).toContain('through group:platform@acme.example (membership cannot be verified)');
  });

  it('fails a cluster that cannot be read, with Google’s message, and refuses bad names as usage errors', async () => {
    const missing = await doctor([
      '--to',
      'us-docker.pkg.dev/acme-mirror/mirror',
      '--cluster',
      'projects/acme-mirror/locations/us-central1/clusters/gone',
    ]);
    const bad = await doctor([
      '--to',
      'us-docker.pkg.dev/acme-mirror/mirror',
      '--cluster',
      'projects/x/clusters/y',
    ]);

    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /FAIL {2}cluster acme-mirror\/us-central1\/gone\n {6}reason: could not be read: GET .* HTTP 404 NOT_FOUND: Cluster/,
    );
    expect(bad.code).toBe(2);
  });

  it('reads a cluster without node pools from its legacy nodeConfig, and fails one that names no nodes', async () => {
    google.state.clusters.set('projects/acme-mirror/locations/us-central1-a/clusters/old', {
      name: 'old',
      location: 'us-central1-a',
      nodeConfig: {
        serviceAccount: 'old-nodes@acme-mirror.iam.gserviceaccount.com',
        oauthScopes: ['https://www.googleapis.com/auth/logging.write'],
      },
    });
    google.state.clusters.set('projects/acme-mirror/locations/us-central1/clusters/empty', {
      name: 'empty',
      location: 'us-central1',
    });
    const run = (cluster: string) =>
      doctor(['--to', 'us-docker.pkg.dev/acme-mirror/mirror', '--cluster', cluster, '--json']);

    const old = await run('projects/acme-mirror/locations/us-central1-a/clusters/old');
    const empty = await run('projects/acme-mirror/locations/us-central1/clusters/empty');

    expect(old.code).toBe(1);
    const [check] = JSON.parse(old.stdout).checks as Check[];
    expect([check!.workload, check!.account, check!.status]).toEqual([
      'cluster acme-mirror/us-central1-a/old, nodes (cluster nodeConfig)',
      'old-nodes@acme-mirror.iam.gserviceaccount.com',
      'fail',
    ]);
    expect(check!.fixes).toEqual([
      'gcloud container node-pools create nodes-ar --cluster=old --location=us-central1-a --project=acme-mirror --service-account=old-nodes@acme-mirror.iam.gserviceaccount.com --scopes=https://www.googleapis.com/auth/cloud-platform  # then move the workloads',
      'gcloud artifacts repositories add-iam-policy-binding mirror --project=acme-mirror --location=us --member=serviceAccount:old-nodes@acme-mirror.iam.gserviceaccount.com --role=roles/artifactregistry.reader',
    ]);
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.stdout).checks).toEqual([
      expect.objectContaining({
        workload: 'cluster acme-mirror/us-central1/empty',
        status: 'fail',
        reasons: [
          'could not be read: the cluster reports no node pools, nodeConfig or auto-provisioning defaults',
        ],
      }),
    ]);
  });

  it('names the workload’s project as the home of a default account or service agent in a cross-project failure', async () => {
    google.state.repositoryPolicies.set(REPO, []);
    google.state.clusters.set('projects/acme-prod/locations/us-central1/clusters/web', {
      name: 'web',
      nodePools: [{ name: 'default-pool', config: { serviceAccount: '', oauthScopes: DEFAULT_SCOPES } }],
    });

    const run = await doctor([
      '--to',
      'us-docker.pkg.dev/acme-mirror/mirror',
      '--cluster',
      'projects/acme-prod/locations/us-central1/clusters/web',
      '--run-service',
      'projects/acme-prod/locations/us-central1/services/api',
      '--json',
    ]);

    const checks = JSON.parse(run.stdout).checks as Check[];
    expect(checks.map((c) => [c.account, c.status])).toEqual([
      ['222222222222-compute@developer.gserviceaccount.com', 'fail'],
      ['service-222222222222@serverless-robot-prod.iam.gserviceaccount.com', 'fail'],
    ]);
    for (const check of checks) {
      expect(check.reasons.join('\n')).toContain(
        '(cross-project: the account belongs to project acme-prod, the repository to acme-mirror, so a grant there is needed)',
      );
      expect(check.reasons.join('\n')).not.toContain('serverless-robot-prod, the repository');
    }
  });

  it('counts the Artifact Registry service agent role as a reading role (it holds downloadArtifacts)', async () => {
    google.state.repositoryPolicies.get(REPO)!.push({
      role: 'roles/artifactregistry.serviceAgent',
      members: ['serviceAccount:agent@acme-mirror.iam.gserviceaccount.com'],
    });
    google.state.clusters.get('projects/acme-mirror/locations/us-central1/clusters/shop')!.nodePools = [
      {
        name: 'agent',
        config: { serviceAccount: 'agent@acme-mirror.iam.gserviceaccount.com', oauthScopes: DEFAULT_SCOPES },
      },
    ];

    const run = await doctor(ARGS.slice(0, 4).concat('--json'));

    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout).checks as Check[])[0]!.grants).toContain(
      'roles/artifactregistry.serviceAgent on the repository mirror',
    );
  });

  it('leaves each identity unverified, not the run aborted, when the project’s IAM policy is refused', async () => {
    google.state.faults.push({
      path: /^\/crm\/v1\/projects\/acme-mirror:getIamPolicy$/,
      times: 1,
      answer: googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'),
    });

    const run = await doctor([...ARGS.slice(0, 4), '--json']);

    expect(run.stderr).toBe('');
    const checks: Check[] = JSON.parse(run.stdout).checks;
    // default-pool is granted at the project only (roles/editor): that grant cannot be seen now.
    expect(checks.map((c) => c.status)).toEqual(['unknown', 'fail', 'unknown']);
    expect(checks[0]!.reasons).toEqual([
      expect.stringMatching(
        /^cannot verify: may be granted by a binding on project acme-mirror, whose IAM policy cannot be read: POST .*:getIamPolicy: HTTP 403 PERMISSION_DENIED: The caller does not have permission; the caller needs resourcemanager\.projects\.getIamPolicy on project acme-mirror \(roles\/iam\.securityReviewer\)$/,
      ),
    ]);
    expect(checks[0]!.fixes).toEqual([]);
    // The repository grant is still seen: narrow fails on its scopes only.
    expect(checks[1]!.grants).toContain('roles/artifactregistry.reader on the repository mirror');
    expect(run.code).toBe(1);
  });

  it('names what each refused read needs', async () => {
    const refuse = (path: RegExp, message: string) =>
      google.state.faults.push({ path, times: 1, answer: googleError(403, 'PERMISSION_DENIED', message) });

    refuse(/^\/container\/v1\//, "Required 'container.clusters.get' permission");
    const cluster = await doctor([...ARGS.slice(0, 4), '--json']);
    refuse(/^\/ar\/v1\/.*:getIamPolicy$/, "Permission 'artifactregistry.repositories.getIamPolicy' denied");
    const repository = await doctor(ARGS.slice(0, 4));

    expect(JSON.parse(cluster.stdout).checks[0].reasons).toEqual([
      expect.stringMatching(
        /^could not be read: GET .*: HTTP 403 PERMISSION_DENIED: Required 'container\.clusters\.get' permission; the caller needs container\.clusters\.get on project acme-mirror \(roles\/container\.clusterViewer\)$/,
      ),
    ]);
    expect(repository.code).toBe(1);
    expect(repository.stderr).toContain(
      'the caller needs artifactregistry.repositories.getIamPolicy on repository mirror of project acme-mirror (roles/iam.securityReviewer or roles/artifactregistry.admin; roles/artifactregistry.reader does not include it)',
    );
  });

  it('prints GKE’s documented auto-provisioning update for a Standard cluster, and a new cluster for Autopilot', async () => {
    const narrow = ['https://www.googleapis.com/auth/logging.write'];
    const clusters = google.state.clusters;
    clusters.get('projects/acme-mirror/locations/us-central1/clusters/shop')!.nodePools = [];
    clusters.get('projects/acme-mirror/locations/us-central1/clusters/shop')!.autoscaling = {
      enableNodeAutoprovisioning: true,
      autoprovisioningNodePoolDefaults: {
        serviceAccount: 'nodes@acme-mirror.iam.gserviceaccount.com',
        oauthScopes: narrow,
      },
    };
    clusters.get('projects/acme-prod/locations/europe-west4/clusters/auto')!.nodePools = [];
    clusters.get('projects/acme-prod/locations/europe-west4/clusters/auto')!.autoscaling = {
      enableNodeAutoprovisioning: true,
      autoprovisioningNodePoolDefaults: {
        serviceAccount: 'gke-nodes@acme-prod.iam.gserviceaccount.com',
        oauthScopes: narrow,
      },
    };
    clusters.set('projects/acme-prod/locations/europe-west4/clusters/plain', {
      name: 'plain',
      autopilot: { enabled: true },
      autoscaling: { enableNodeAutoprovisioning: true, autoprovisioningNodePoolDefaults: {} },
    });

    const run = await doctor([
      ...ARGS.slice(0, 6),
      '--cluster',
      'projects/acme-prod/locations/europe-west4/clusters/plain',
      '--json',
    ]);

    const checks: Check[] = JSON.parse(run.stdout).checks;
    expect(checks.map((c) => [c.workload, c.status])).toEqual([
      ['cluster acme-mirror/us-central1/shop, auto-provisioned nodes', 'fail'],
      ['cluster acme-prod/europe-west4/auto, Autopilot nodes', 'fail'],
      ['cluster acme-prod/europe-west4/plain, Autopilot nodes', 'pass'],
    ]);
    expect(checks[0]!.fixes).toEqual([
      `gcloud container clusters update shop --location=us-central1 --project=acme-mirror --enable-autoprovisioning --min-cpu=MIN_CPU --max-cpu=MAX_CPU --min-memory=MIN_MEMORY_GB --max-memory=MAX_MEMORY_GB --autoprovisioning-service-account=nodes@acme-mirror.iam.gserviceaccount.com --autoprovisioning-scopes=https://www.googleapis.com/auth/cloud-platform  # put the cluster's resource limits in the placeholders (or give them all in --autoprovisioning-config-file); only nodes auto-provisioned after this get the scope`,
    ]);
    expect(checks[1]!.fixes[0]).toBe(
      'gcloud container clusters create-auto NEW_CLUSTER --location=europe-west4 --project=acme-prod --service-account=gke-nodes@acme-prod.iam.gserviceaccount.com --scopes=https://www.googleapis.com/auth/cloud-platform  # Autopilot sets node scopes at cluster creation only: create a cluster this way and move the workloads',
    );
    expect(checks[1]!.fixes.join('\n')).not.toContain('clusters update');
    // Autopilot nodes of the Compute Engine default account get GKE's default scopes, not cloud-platform.
    expect(checks[2]!.grants).toEqual([
      'scope https://www.googleapis.com/auth/devstorage.read_only (Autopilot default)',
      'projects/acme-mirror/roles/imagePuller on the repository mirror',
    ]);
  });

  it('fails when the repository policy cannot be read', async () => {
    google.state.repositoryPolicies.delete(REPO);

    const run = await doctor(ARGS.slice(0, 4));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`reading the IAM policy of ${REPO}`);
  });
});
