/**
 * Artifact Registry v1 `GET projects/P/locations/L/repositories/R:getIamPolicy` (a GET on this
 * API): who may read the mirror repository itself.
 */
import type { ArtifactRegistryDestination } from '../registry/artifact-registry.js';
import type { GoogleApi } from './http.js';
import { repositoryPolicyNeeds } from './permissions.js';
import { type IamPolicy, POLICY_VERSION, parsePolicy } from './policy.js';

/** The resource name `projects/P/locations/L/repositories/R`. */
export function repositoryResource(dest: ArtifactRegistryDestination): string {
  return `projects/${dest.project}/locations/${dest.location}/repositories/${dest.repository}`;
}

/** The repository's IAM policy (version 3). */
export async function getRepositoryIamPolicy(
  api: GoogleApi,
  base: string,
  dest: ArtifactRegistryDestination,
): Promise<IamPolicy> {
  const body = await api.request({
    method: 'GET',
    url: `${base}/${repositoryResource(dest)}:getIamPolicy`,
    query: { 'options.requestedPolicyVersion': String(POLICY_VERSION) },
    needs: repositoryPolicyNeeds(`repository ${dest.repository} of project ${dest.project}`),
  });
  return parsePolicy(body);
}
