/**
 * The API side of `ar-mirror doctor`: who pulls (GKE node pools and auto-provisioned nodes,
 * Cloud Run service agents) and what the repository's and its project's IAM policies grant.
 * Every read goes through src/cloud/; the decision is src/platform/access.ts.
 */
import { getRepositoryIamPolicy, repositoryResource } from '../cloud/artifact-registry-iam.js';
import {
  AUTO_PROVISIONED,
  type ClusterName,
  getClusterNodes,
  LEGACY_NODE_CONFIG,
  type NodeIdentity,
} from '../cloud/container.js';
import type { GoogleEndpoints } from '../cloud/endpoints.js';
import { GoogleApiError } from '../cloud/errors.js';
import type { GoogleApi } from '../cloud/http.js';
import { getRole } from '../cloud/iam.js';
import { getProject, getProjectIamPolicy } from '../cloud/resource-manager.js';
import { getRunService, type RunServiceName } from '../cloud/run.js';
import { errorMessage, MirrorError } from '../errors.js';
import type { AccessFacts, PullIdentity } from '../platform/access.js';
import { CLOUD_PLATFORM_SCOPE, DOWNLOAD_PERMISSION, STORAGE_READ_SCOPE } from '../platform/iam-roles.js';
import type { ArtifactRegistryDestination } from '../registry/artifact-registry.js';
import { shellQuote } from '../text/escape.js';

/** A workload that could not be read: it fails with the API's reason. */
export interface Unreadable {
  workload: string;
  reason: string;
}

/** Reads project numbers once per project. */
export function createProjectNumbers(api: GoogleApi, endpoints: GoogleEndpoints) {
  const cache = new Map<string, Promise<string>>();
  return (project: string) => {
    let found = cache.get(project);
    if (!found) {
      found = getProject(api, endpoints.resourceManager, project).then((p) => p.projectNumber);
      cache.set(project, found);
    }
    return found;
  };
}

type Numbers = ReturnType<typeof createProjectNumbers>;

/** The identities of a cluster's nodes, `default` resolved to the Compute Engine default account. */
export async function clusterIdentities(
  api: GoogleApi,
  endpoints: GoogleEndpoints,
  name: ClusterName,
  numbers: Numbers,
): Promise<PullIdentity[]> {
  const cluster = await getClusterNodes(api, endpoints.container, name);
  const label = `cluster ${name.project}/${name.location}/${name.cluster}`;
  // Nothing to check is no pass: the cluster's answer named no node that pulls.
  if (cluster.identities.length === 0)
    throw new MirrorError('the cluster reports no node pools, nodeConfig or auto-provisioning defaults');
  const result: PullIdentity[] = [];
  for (const node of cluster.identities) {
    const resolved = await resolveAccount(node.serviceAccount, name.project, numbers);
    const autoDefault = cluster.autopilot && node.oauthScopes === undefined;
    result.push({
      workload: workloadOf(label, node.pool, cluster.autopilot),
      account: resolved.account,
      ...(resolved.note ? { accountNote: resolved.note, project: resolved.project } : {}),
      // Autopilot nodes created without --scopes get GKE's defaults: devstorage.read_only among
      // others for the Compute Engine default account, cloud-platform for any other account.
      scopes: autoDefault
        ? [node.serviceAccount === 'default' ? STORAGE_READ_SCOPE : CLOUD_PLATFORM_SCOPE]
        : node.oauthScopes,
      scopesAssumed: autoDefault,
      scopeFix: scopeFix(name, node, resolved.account, cluster.autopilot),
    });
  }
  return result;
}

function workloadOf(label: string, pool: string, autopilot: boolean): string {
  if (pool === AUTO_PROVISIONED) return `${label}, ${autopilot ? 'Autopilot' : 'auto-provisioned'} nodes`;
  if (pool === LEGACY_NODE_CONFIG) return `${label}, nodes (cluster nodeConfig)`;
  return `${label}, node pool ${pool}`;
}

async function resolveAccount(account: string, project: string, numbers: Numbers) {
  if (account !== 'default') return { account, note: undefined, project: undefined };
  const number = await numbers(project);
  return {
    account: `${number}-compute@developer.gserviceaccount.com`,
    project,
    note: `"default" is the Compute Engine default service account of project ${project}`,
  };
}

function scopeFix(name: ClusterName, node: NodeIdentity, account: string, autopilot: boolean): string {
  const where = `--cluster=${shellQuote(name.cluster)} --location=${shellQuote(name.location)} --project=${shellQuote(name.project)}`;
  const place = `--location=${shellQuote(name.location)} --project=${shellQuote(name.project)}`;
  // Autopilot takes the nodes' scopes when the cluster is created, and scopes of existing nodes
  // cannot be changed: the way out is a new cluster.
  if (autopilot)
    return `gcloud container clusters create-auto NEW_CLUSTER ${place} --service-account=${shellQuote(account)} --scopes=${CLOUD_PLATFORM_SCOPE}  # Autopilot sets node scopes at cluster creation only: create a cluster this way and move the workloads`;
  // GKE's documented form: --enable-autoprovisioning comes with the cluster's resource limits.
  // The account is given too, so that the new defaults keep naming the one that was checked.
  if (node.pool === AUTO_PROVISIONED)
    return `gcloud container clusters update ${shellQuote(name.cluster)} ${place} --enable-autoprovisioning --min-cpu=MIN_CPU --max-cpu=MAX_CPU --min-memory=MIN_MEMORY_GB --max-memory=MAX_MEMORY_GB --autoprovisioning-service-account=${shellQuote(account)} --autoprovisioning-scopes=${CLOUD_PLATFORM_SCOPE}  # put the cluster's resource limits in the placeholders (or give them all in --autoprovisioning-config-file); only nodes auto-provisioned after this get the scope`;
  const legacy = node.pool === LEGACY_NODE_CONFIG;
  const pool = legacy ? 'nodes-ar' : `${node.pool.slice(0, 36)}-ar`;
  const then = legacy
    ? 'then move the workloads'
    : `then move the workloads and delete ${shellQuote(node.pool)}`;
  return `gcloud container node-pools create ${shellQuote(pool)} ${where} --service-account=${shellQuote(account)} --scopes=${CLOUD_PLATFORM_SCOPE}  # ${then}`;
}

/** A Cloud Run service's service agent (which pulls) with its runtime account as a note. */
export async function runIdentity(
  api: GoogleApi,
  endpoints: GoogleEndpoints,
  name: RunServiceName,
  numbers: Numbers,
): Promise<PullIdentity> {
  const service = await getRunService(api, endpoints.run, name);
  const number = await numbers(name.project);
  const runtime = service.serviceAccount ?? `${number}-compute@developer.gserviceaccount.com`;
  return {
    workload: `Cloud Run service ${name.project}/${name.location}/${name.service}`,
    account: `service-${number}@serverless-robot-prod.iam.gserviceaccount.com`,
    project: name.project,
    accountNote: `the Cloud Run service agent pulls the image; the runtime identity ${runtime}${service.serviceAccount ? '' : ' (the Compute Engine default account)'} does not need to`,
    scopes: 'not-applicable',
  };
}

/** The two policies and every role of them worth reading (see rolesToRead). */
export async function readPolicies(
  api: GoogleApi,
  endpoints: GoogleEndpoints,
  repository: ArtifactRegistryDestination,
): Promise<Pick<AccessFacts, 'repositoryPolicy' | 'projectPolicy'>> {
  const [repositoryPolicy, projectPolicy] = await Promise.all([
    getRepositoryIamPolicy(api, endpoints.artifactRegistry, repository).catch((err: unknown) => {
      throw new MirrorError(
        `reading the IAM policy of ${repositoryResource(repository)}: ${errorMessage(err)}`,
        { cause: err },
      );
    }),
    getProjectIamPolicy(api, endpoints.resourceManager, repository.project).catch(
      (err: unknown): AccessFacts['projectPolicy'] => {
        // Refused: a grant at the project cannot be seen, which leaves an identity without a
        // grant on the repository unverified, as an unreadable role does, not the run aborted.
        if (err instanceof GoogleApiError && err.httpStatus === 403 && !err.temporary)
          return { unreadable: errorMessage(err) };
        throw new MirrorError(
          `reading the IAM policy of project ${repository.project}: ${errorMessage(err)}`,
          { cause: err },
        );
      },
    ),
  ]);
  return { repositoryPolicy, projectPolicy };
}

/** Reads roles through IAM: whether each includes the download permission (undefined when unreadable). */
export async function readRoles(
  api: GoogleApi,
  endpoints: GoogleEndpoints,
  names: readonly string[],
  warn: (message: string) => void,
): Promise<Map<string, boolean | undefined>> {
  const roles = new Map<string, boolean | undefined>();
  for (const name of names.slice(0, 100)) {
    try {
      const role = await getRole(api, endpoints.iam, name);
      roles.set(name, !role.deleted && role.includedPermissions.includes(DOWNLOAD_PERMISSION));
    } catch (err) {
      warn(`could not read role ${name}: ${errorMessage(err)}`);
      roles.set(name, undefined);
    }
  }
  return roles;
}
