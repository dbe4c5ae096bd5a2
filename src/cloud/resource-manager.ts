/**
 * Cloud Resource Manager v1: a project's number (to name its default service accounts) and its
 * IAM policy. `GET projects/P` and `POST projects/P:getIamPolicy` (a POST on this API).
 */
import { MirrorError } from '../errors.js';
import type { GoogleApi } from './http.js';
import { asText } from './json.js';
import { projectGetNeeds, projectPolicyNeeds } from './permissions.js';
import { type IamPolicy, POLICY_VERSION, parsePolicy } from './policy.js';

/** A project as far as ar-mirror needs it. */
export interface Project {
  projectId: string;
  /** Decimal digits; names `NUMBER-compute@developer.gserviceaccount.com` and service agents. */
  projectNumber: string;
}

/** Project IDs as Google allows them (6–30 characters). */
export const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Reads a project; a missing or non-numeric projectNumber is an error, not a guess. */
export async function getProject(api: GoogleApi, base: string, projectId: string): Promise<Project> {
  const body = await api.request({
    method: 'GET',
    url: `${base}/projects/${encodeURIComponent(projectId)}`,
    needs: projectGetNeeds(projectId),
  });
  const projectNumber = asText(body.projectNumber, 20);
  if (!projectNumber || !/^\d{1,20}$/.test(projectNumber))
    throw new MirrorError(`Resource Manager: project ${projectId} came back without a valid projectNumber`);
  return { projectId, projectNumber };
}

/** The project's IAM policy (version 3, so conditions are included). */
export async function getProjectIamPolicy(
  api: GoogleApi,
  base: string,
  projectId: string,
): Promise<IamPolicy> {
  const body = await api.request({
    method: 'POST',
    url: `${base}/projects/${encodeURIComponent(projectId)}:getIamPolicy`,
    body: { options: { requestedPolicyVersion: POLICY_VERSION } },
    needs: projectPolicyNeeds(projectId),
  });
  return parsePolicy(body);
}
