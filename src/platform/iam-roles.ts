/**
 * Which IAM roles let an identity pull from Artifact Registry, kept in code for the predefined
 * roles doctor meets most (so it needs no IAM call for them); any other role is read through
 * the IAM API (`includedPermissions`). Sources: Artifact Registry's access-control page (the
 * repository roles) and IAM's basic roles (Viewer, Editor and Owner include the read permissions).
 */

/** The permission a pull needs. */
export const DOWNLOAD_PERMISSION = 'artifactregistry.repositories.downloadArtifacts';

/** The role doctor tells users to grant. */
export const READER_ROLE = 'roles/artifactregistry.reader';

/** Predefined roles and whether they include DOWNLOAD_PERMISSION. */
export const PREDEFINED_ROLES: ReadonlyMap<string, boolean> = new Map([
  ['roles/artifactregistry.reader', true],
  ['roles/artifactregistry.writer', true],
  ['roles/artifactregistry.repoAdmin', true],
  ['roles/artifactregistry.admin', true],
  ['roles/artifactregistry.createOnPushWriter', true],
  ['roles/artifactregistry.createOnPushRepoAdmin', true],
  ['roles/viewer', true],
  ['roles/editor', true],
  ['roles/owner', true],
  // The Cloud Run Service Agent role, granted in its own project automatically.
  ['roles/run.serviceAgent', true],
  // Artifact Registry's own service agent role includes downloadArtifacts (its documented permissions).
  ['roles/artifactregistry.serviceAgent', true],
  // Roles node service accounts usually hold that do not read images.
  ['roles/container.defaultNodeServiceAccount', false],
  ['roles/logging.logWriter', false],
  ['roles/monitoring.metricWriter', false],
  ['roles/monitoring.viewer', false],
  ['roles/stackdriver.resourceMetadata.writer', false],
  ['roles/iam.serviceAccountUser', false],
  ['roles/iam.serviceAccountTokenCreator', false],
  ['roles/storage.objectViewer', false],
]);

/** OAuth scopes that let a node's token read Artifact Registry (full URLs and gcloud's aliases). */
const READ_SCOPES = new Set([
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/cloud-platform.read-only',
  'https://www.googleapis.com/auth/devstorage.read_only',
  'https://www.googleapis.com/auth/devstorage.read_write',
  'https://www.googleapis.com/auth/devstorage.full_control',
  'cloud-platform',
  'storage-ro',
  'storage-rw',
  'storage-full',
]);

/** The scope doctor's fixes ask for. */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The storage read scope, one of GKE's default scopes for nodes running as the Compute Engine default account. */
export const STORAGE_READ_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_only';

/** The first scope in `scopes` that allows pulls, or undefined. */
export function readingScope(scopes: readonly string[]): string | undefined {
  return scopes.find((scope) => READ_SCOPES.has(scope));
}
