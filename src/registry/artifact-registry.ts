/**
 * Artifact Registry preflight: before anything is pushed, ask the Artifact Registry REST API
 * whether the destination repository exists, holds Docker images, can be pushed to (standard
 * mode, `uploadArtifacts` granted) and has immutable tags. A push alone cannot tell a missing
 * repository from a missing permission (REFERENCE.md §6), so this is where the user learns
 * which one it is and what to do.
 */
import { ConfigError, errorMessage, MirrorError } from '../errors.js';

/** An Artifact Registry Docker repository. */
export interface ArtifactRegistryDestination {
  /** `us`, `europe-west4`, … */
  location: string;
  project: string;
  repository: string;
  /** `LOCATION-docker.pkg.dev` */
  host: string;
}

/** A preflight found the repository unusable, or the API could not be asked. */
export class ArtifactRegistryError extends MirrorError {}

/** The permission a push needs; in roles/artifactregistry.writer. */
export const UPLOAD_PERMISSION = 'artifactregistry.repositories.uploadArtifacts';
const WRITER_ROLE = 'roles/artifactregistry.writer';
const DEFAULT_API_BASE = 'https://artifactregistry.googleapis.com/v1';
const HOST_PATTERN = /^([a-z][a-z0-9-]*[a-z0-9])-docker\.pkg\.dev$/;
// Project IDs (6–30 characters) and repository IDs as the API documents them.
const PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REPOSITORY_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Parses `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY`; anything after the repository (an image
 * path, tag or digest) is ignored, so a full destination image reference works too.
 */
export function parseArtifactRegistryDestination(text: string): ArtifactRegistryDestination {
  const expected =
    'expected LOCATION-docker.pkg.dev/PROJECT/REPOSITORY, for example us-docker.pkg.dev/my-project/mirror';
  const [host = '', project = '', repositoryPart = ''] = text.trim().split('/');
  const repository = repositoryPart.split(/[:@]/)[0] ?? '';
  const location = HOST_PATTERN.exec(host)?.[1];
  const quoted = `"${text.slice(0, 200)}"`;
  if (!location) throw new ConfigError(`${quoted} is not an Artifact Registry Docker host: ${expected}`);
  if (!PROJECT_PATTERN.test(project)) throw new ConfigError(`${quoted} has no valid project ID: ${expected}`);
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw new ConfigError(
      `${quoted} has no valid repository ID (lowercase letters, digits, hyphens): ${expected}`,
    );
  }
  return { location, project, repository, host };
}

/** Options of {@link preflightArtifactRegistry}. */
export interface PreflightOptions {
  /** Gives a Google access token with the cloud-platform scope. */
  accessToken: () => Promise<string>;
  /** Default: https://artifactregistry.googleapis.com/v1 */
  apiBase?: string;
  /** Create a missing repository (format DOCKER, standard mode). Default: false. */
  createRepository?: boolean;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Waits between operation polls. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** How often to poll a create operation before giving up. Default: 60 (one a second). */
  pollAttempts?: number;
  /** How long one API request (answer and body) may take. Default: 30000 ms. */
  timeoutMs?: number;
}

/** What the preflight learned. */
export interface PreflightResult {
  /** Existing tags cannot be moved: a tag holding another digest is an error, not an update. */
  immutableTags: boolean;
  /** The repository was created by this preflight. */
  created: boolean;
}

interface Repository {
  name?: string;
  format?: string;
  mode?: string;
  dockerConfig?: { immutableTags?: boolean };
}

interface Operation {
  name?: string;
  done?: boolean;
  error?: { code?: number; message?: string };
  response?: Repository;
}

interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  /** Google's `error.message`, when the body has one. */
  message?: string;
}

type Api = (method: 'GET' | 'POST', path: string, body?: object) => Promise<ApiResponse>;

const MAX_BODY = 64 * 1024;

function createApi(options: PreflightOptions): Api {
  const base = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (method, path, body) => {
    const token = await options.accessToken();
    const url = `${base}/${path}`;
    let response: Response;
    let text: string;
    try {
      // One deadline for the answer and its body: an API that stops talking fails the preflight.
      response = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await readCapped(response, MAX_BODY);
    } catch (err: unknown) {
      const reason =
        err instanceof Error && err.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : errorMessage(err);
      throw new ArtifactRegistryError(`${method} ${url}: ${reason}`, { cause: err });
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // A proxy's HTML error page: the status alone has to tell the story.
    }
    const message = (parsed.error as { message?: unknown } | undefined)?.message;
    return {
      status: response.status,
      body: parsed,
      message: typeof message === 'string' ? message : undefined,
    };
  };
}

/** Reads at most `limit` bytes of a body and cancels the rest, so a huge answer is never buffered. */
async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (size >= limit) await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

const resourceName = (dest: ArtifactRegistryDestination) =>
  `projects/${dest.project}/locations/${dest.location}/repositories/${dest.repository}`;

/** Google's message as a `: …` suffix without its final period, so a sentence can follow. */
const detailOf = (res: ApiResponse) => (res.message ? `: ${res.message.replace(/\.$/, '')}` : '');

function apiFailure(
  what: string,
  dest: ArtifactRegistryDestination,
  res: ApiResponse,
): ArtifactRegistryError {
  const detail = detailOf(res);
  if (res.status === 401) {
    return new ArtifactRegistryError(
      `${what} ${resourceName(dest)}: the Google access token was rejected (401); check the credentials (google-github-actions/auth or GOOGLE_APPLICATION_CREDENTIALS)`,
    );
  }
  if (res.status === 403) {
    return new ArtifactRegistryError(
      `${what} ${resourceName(dest)}: permission denied (403)${detail}. Grant the identity ${WRITER_ROLE} on the repository (or on project ${dest.project}), and check that the repository exists`,
    );
  }
  return new ArtifactRegistryError(`${what} ${resourceName(dest)}: HTTP ${res.status}${detail}`);
}

/**
 * Checks (and with `createRepository`, creates) the destination repository: it must exist,
 * have format DOCKER and mode STANDARD_REPOSITORY, and the caller must hold `uploadArtifacts`.
 */
export async function preflightArtifactRegistry(
  dest: ArtifactRegistryDestination,
  options: PreflightOptions,
): Promise<PreflightResult> {
  const api = createApi(options);
  const name = resourceName(dest);
  const found = await api('GET', name);
  let repository: Repository;
  let created = false;
  if (found.status === 200) {
    repository = found.body as Repository;
  } else if (found.status === 404 && options.createRepository) {
    repository = await createRepository(api, dest, options);
    created = true;
  } else if (found.status === 404) {
    throw new ArtifactRegistryError(
      `Artifact Registry repository ${name} does not exist. Create it with "gcloud artifacts repositories create ${dest.repository} --repository-format=docker --location=${dest.location} --project=${dest.project}", or enable create-repository`,
    );
  } else {
    throw apiFailure('reading', dest, found);
  }
  checkUsable(dest, repository);
  await checkUploadPermission(api, dest);
  return { immutableTags: repository.dockerConfig?.immutableTags === true, created };
}

function checkUsable(dest: ArtifactRegistryDestination, repository: Repository): void {
  const name = resourceName(dest);
  if (repository.format !== 'DOCKER') {
    throw new ArtifactRegistryError(
      `Artifact Registry repository ${name} has format ${repository.format ?? 'unknown'}, not DOCKER: images can only be pushed to a Docker repository; choose or create one with --repository-format=docker`,
    );
  }
  // Repositories created before modes existed report no mode (or MODE_UNSPECIFIED): they are standard.
  const mode = repository.mode ?? 'STANDARD_REPOSITORY';
  if (mode !== 'STANDARD_REPOSITORY' && mode !== 'MODE_UNSPECIFIED') {
    throw new ArtifactRegistryError(
      `Artifact Registry repository ${name} is a ${mode}: remote and virtual repositories are read-only; mirror into a standard repository`,
    );
  }
}

async function checkUploadPermission(api: Api, dest: ArtifactRegistryDestination): Promise<void> {
  const res = await api('POST', `${resourceName(dest)}:testIamPermissions`, {
    permissions: [UPLOAD_PERMISSION],
  });
  if (res.status !== 200) throw apiFailure('checking permissions on', dest, res);
  const granted = Array.isArray(res.body.permissions) ? res.body.permissions : [];
  if (!granted.includes(UPLOAD_PERMISSION)) {
    throw new ArtifactRegistryError(
      `the credentials cannot push to Artifact Registry repository ${resourceName(dest)}: ${UPLOAD_PERMISSION} is not granted. Grant the identity ${WRITER_ROLE} on the repository`,
    );
  }
}

async function createRepository(
  api: Api,
  dest: ArtifactRegistryDestination,
  options: PreflightOptions,
): Promise<Repository> {
  const parent = `projects/${dest.project}/locations/${dest.location}`;
  const body = {
    format: 'DOCKER',
    mode: 'STANDARD_REPOSITORY',
    description: 'Mirrored images (created by ar-mirror)',
  };
  const res = await api(
    'POST',
    `${parent}/repositories?repositoryId=${encodeURIComponent(dest.repository)}`,
    body,
  );
  if (res.status === 409) {
    // Someone else created it in the meantime (a parallel job): use theirs.
    const again = await api('GET', resourceName(dest));
    if (again.status === 200) return again.body as Repository;
    throw apiFailure('reading', dest, again);
  }
  if (res.status !== 200) {
    if (res.status === 403) {
      throw new ArtifactRegistryError(
        `creating Artifact Registry repository ${resourceName(dest)}: permission denied (403)${detailOf(res)}. Grant the identity roles/artifactregistry.admin on project ${dest.project}, or create the repository yourself`,
      );
    }
    throw apiFailure('creating', dest, res);
  }
  return waitForOperation(api, dest, res.body as Operation, options);
}

async function waitForOperation(
  api: Api,
  dest: ArtifactRegistryDestination,
  started: Operation,
  options: PreflightOptions,
): Promise<Repository> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = options.pollAttempts ?? 60;
  let operation = started;
  for (let attempt = 0; !operation.done; attempt++) {
    if (attempt >= attempts || !operation.name) {
      throw new ArtifactRegistryError(
        `creating Artifact Registry repository ${resourceName(dest)}: the operation ${operation.name ?? '(unnamed)'} was not done after ${attempts} polls`,
      );
    }
    await sleep(1000);
    const res = await api('GET', operation.name);
    if (res.status !== 200) throw apiFailure('waiting for the creation of', dest, res);
    operation = res.body as Operation;
  }
  if (operation.error) {
    throw new ArtifactRegistryError(
      `creating Artifact Registry repository ${resourceName(dest)} failed: ${operation.error.message ?? `code ${operation.error.code}`}`,
    );
  }
  return operation.response ?? {};
}
