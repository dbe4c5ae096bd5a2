/**
 * What each Google API call ar-mirror makes needs from the caller, in words an operator can act
 * on: the permission Google checks, where, and a predefined role that holds it. Each text follows
 * "the caller needs" after a 403 PERMISSION_DENIED, whose own message names at most the permission. Sources: each method's
 * REST reference ("Authorization requires the following IAM permission") and the IAM role
 * reference pages of Logging, BigQuery, GKE, Resource Manager, Artifact Registry, IAM and Run.
 */

/** Logging `entries.list` on one project. */
export const loggingListNeeds = (project: string) =>
  `logging.logEntries.list on project ${project} (roles/logging.viewer)`;

/**
 * BigQuery `jobs.query` and `jobs.getQueryResults`: the job is created in the project (a job's
 * creator may then read it), and the query reads the sink's tables.
 */
export const bigQueryNeeds = (project: string, dataset: string) =>
  `bigquery.jobs.create on project ${project} (roles/bigquery.jobUser) and bigquery.tables.getData on dataset ${project}.${dataset} (roles/bigquery.dataViewer)`;

/** GKE `clusters.get`. */
export const clusterGetNeeds = (project: string) =>
  `container.clusters.get on project ${project} (roles/container.clusterViewer)`;

/** Resource Manager `projects.get` (for the project number). */
export const projectGetNeeds = (project: string) =>
  `resourcemanager.projects.get on project ${project} (roles/browser)`;

/** Resource Manager `projects.getIamPolicy`. */
export const projectPolicyNeeds = (project: string) =>
  `resourcemanager.projects.getIamPolicy on project ${project} (roles/iam.securityReviewer)`;

/**
 * Artifact Registry `repositories.getIamPolicy`. The reader and writer roles, which pulls and
 * pushes need, do not include it: saying so saves a round of guessing.
 */
export const repositoryPolicyNeeds = (repository: string) =>
  `artifactregistry.repositories.getIamPolicy on ${repository} (roles/iam.securityReviewer or roles/artifactregistry.admin; roles/artifactregistry.reader does not include it)`;

/**
 * IAM `roles.get`. Any authenticated caller can read a predefined role, so a 403 on one is not
 * fixed by a grant; custom roles are read where they are defined.
 */
export function roleGetNeeds(name: string): string {
  const custom = /^(projects|organizations)\/([^/]+)\/roles\//.exec(name);
  if (!custom) return 'no grant to read a predefined role (any authenticated caller may); check the name';
  const where = custom[1] === 'projects' ? 'project' : 'organization';
  return `iam.roles.get on ${where} ${custom[2]} (roles/iam.roleViewer)`;
}

/** Cloud Run Admin `services.get`. */
export const runServiceGetNeeds = (project: string) =>
  `run.services.get on project ${project} (roles/run.viewer)`;
