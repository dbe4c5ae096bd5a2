import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);

// src/cloud/permissions.ts
var loggingListNeeds = (project) => `logging.logEntries.list on project ${project} (roles/logging.viewer)`;
var bigQueryNeeds = (project, dataset) => `bigquery.jobs.create on project ${project} (roles/bigquery.jobUser) and bigquery.tables.getData on dataset ${project}.${dataset} (roles/bigquery.dataViewer)`;
var clusterGetNeeds = (project) => `container.clusters.get on project ${project} (roles/container.clusterViewer)`;
var projectGetNeeds = (project) => `resourcemanager.projects.get on project ${project} (roles/browser)`;
var projectPolicyNeeds = (project) => `resourcemanager.projects.getIamPolicy on project ${project} (roles/iam.securityReviewer)`;
var repositoryPolicyNeeds = (repository) => `artifactregistry.repositories.getIamPolicy on ${repository} (roles/iam.securityReviewer or roles/artifactregistry.admin; roles/artifactregistry.reader does not include it)`;
function roleGetNeeds(name) {
  const custom = /^(projects|organizations)\/([^/]+)\/roles\//.exec(name);
  if (!custom) return "no grant to read a predefined role (any authenticated caller may); check the name";
  const where = custom[1] === "projects" ? "project" : "organization";
  return `iam.roles.get on ${where} ${custom[2]} (roles/iam.roleViewer)`;
}
var runServiceGetNeeds = (project) => `run.services.get on project ${project} (roles/run.viewer)`;

export {
  loggingListNeeds,
  bigQueryNeeds,
  clusterGetNeeds,
  projectGetNeeds,
  projectPolicyNeeds,
  repositoryPolicyNeeds,
  roleGetNeeds,
  runServiceGetNeeds
};
