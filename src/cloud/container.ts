/**
 * GKE (Container API v1) `GET projects/P/locations/L/clusters/C`: which service account and
 * OAuth scopes each kind of node runs with. Node pools carry `config.serviceAccount` and
 * `config.oauthScopes`; nodes GKE creates itself (Autopilot, node auto-provisioning) take
 * `autoscaling.autoprovisioningNodePoolDefaults.serviceAccount`/`oauthScopes`. A cluster that
 * lists no node pools is read from its legacy cluster-level `nodeConfig`. An empty account, or
 * `default`, is the Compute Engine default service account.
 */
import { MirrorError } from '../errors.js';
import type { GoogleApi } from './http.js';
import { asList, asObject, asText, asTextList, pick } from './json.js';
import { clusterGetNeeds } from './permissions.js';

/** A cluster name, parsed. */
export interface ClusterName {
  project: string;
  location: string;
  cluster: string;
}

/** The identity one kind of node pulls images as. */
export interface NodeIdentity {
  /** The node pool's name, or `(auto-provisioned)` for nodes GKE creates from the defaults. */
  pool: string;
  /** An e-mail address, or `default` (the Compute Engine default service account). */
  serviceAccount: string;
  /** The nodes' OAuth scopes; undefined when the API did not report them. */
  oauthScopes: string[] | undefined;
}

/** What doctor needs of a cluster. */
export interface ClusterNodes extends ClusterName {
  autopilot: boolean;
  identities: NodeIdentity[];
}

const NAME =
  /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/(?:locations|zones)\/([a-z0-9-]{1,40})\/clusters\/([a-z]([a-z0-9-]{0,38}[a-z0-9])?)$/;

/** The pool name used for nodes created from the auto-provisioning defaults. */
export const AUTO_PROVISIONED = '(auto-provisioned)';

/** The pool name used for a cluster described only by its legacy cluster-level `nodeConfig`. */
export const LEGACY_NODE_CONFIG = '(nodeConfig)';

/** Parses `projects/P/locations/L/clusters/C`, or throws naming the expected form. */
export function parseClusterName(text: string): ClusterName {
  const match = NAME.exec(text);
  if (!match)
    throw new MirrorError(
      `"${text.slice(0, 200)}" is not projects/PROJECT/locations/LOCATION/clusters/CLUSTER`,
    );
  return { project: match[1]!, location: match[2]!, cluster: match[3]! };
}

/** Reads a cluster's node identities. */
export async function getClusterNodes(
  api: GoogleApi,
  base: string,
  name: ClusterName,
): Promise<ClusterNodes> {
  const body = await api.request({
    method: 'GET',
    url: `${base}/projects/${name.project}/locations/${name.location}/clusters/${name.cluster}`,
    needs: clusterGetNeeds(name.project),
  });
  return { ...name, ...parseClusterNodes(body) };
}

/** The node identities of a Cluster resource (pure; exported for tests). */
export function parseClusterNodes(body: unknown): { autopilot: boolean; identities: NodeIdentity[] } {
  const autopilot = pick(body, 'autopilot.enabled') === true;
  const identities: NodeIdentity[] = [];
  for (const item of asList(pick(body, 'nodePools'), 500)) {
    const pool = asText(asObject(item)?.name, 100);
    if (pool) identities.push(identity(pool, pick(item, 'config')));
  }
  // Clusters created before node pools (and some API answers) describe their nodes only here.
  const legacy = pick(body, 'nodeConfig');
  if (identities.length === 0 && asObject(legacy)) identities.push(identity(LEGACY_NODE_CONFIG, legacy));
  const autoProvisioning = pick(body, 'autoscaling.enableNodeAutoprovisioning') === true;
  if (autopilot || autoProvisioning)
    identities.push(identity(AUTO_PROVISIONED, pick(body, 'autoscaling.autoprovisioningNodePoolDefaults')));
  return { autopilot, identities };
}

function identity(pool: string, config: unknown): NodeIdentity {
  const account = asText(pick(config, 'serviceAccount'), 320);
  const scopes = pick(config, 'oauthScopes');
  return {
    pool,
    serviceAccount: account === undefined || account === '' ? 'default' : account,
    oauthScopes: Array.isArray(scopes) && scopes.length > 0 ? asTextList(scopes, 100, 200) : undefined,
  };
}
