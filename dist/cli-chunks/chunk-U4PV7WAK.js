import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  ConfigError,
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/registry/artifact-registry.ts
var ArtifactRegistryError = class extends MirrorError {
};
var UPLOAD_PERMISSION = "artifactregistry.repositories.uploadArtifacts";
var WRITER_ROLE = "roles/artifactregistry.writer";
var DEFAULT_API_BASE = "https://artifactregistry.googleapis.com/v1";
var HOST_PATTERN = /^([a-z][a-z0-9-]*[a-z0-9])-docker\.pkg\.dev$/;
var PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
var REPOSITORY_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
function parseArtifactRegistryDestination(text) {
  const expected = "expected LOCATION-docker.pkg.dev/PROJECT/REPOSITORY, for example us-docker.pkg.dev/my-project/mirror";
  const [host = "", project = "", repositoryPart = ""] = text.trim().split("/");
  const repository = repositoryPart.split(/[:@]/)[0] ?? "";
  const location = HOST_PATTERN.exec(host)?.[1];
  const quoted = `"${text.slice(0, 200)}"`;
  if (!location) throw new ConfigError(`${quoted} is not an Artifact Registry Docker host: ${expected}`);
  if (!PROJECT_PATTERN.test(project)) throw new ConfigError(`${quoted} has no valid project ID: ${expected}`);
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw new ConfigError(
      `${quoted} has no valid repository ID (lowercase letters, digits, hyphens): ${expected}`
    );
  }
  return { location, project, repository, host };
}
var MAX_BODY = 64 * 1024;
function createApi(options) {
  const base = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3e4;
  return async (method, path, body) => {
    const token = await options.accessToken();
    const url = `${base}/${path}`;
    let response;
    let text;
    try {
      response = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body ? JSON.stringify(body) : void 0,
        signal: AbortSignal.timeout(timeoutMs)
      });
      text = await readCapped(response, MAX_BODY);
    } catch (err) {
      const reason = err instanceof Error && err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : errorMessage(err);
      throw new ArtifactRegistryError(`${method} ${url}: ${reason}`, { cause: err });
    }
    let parsed = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
    }
    const message = parsed.error?.message;
    return {
      status: response.status,
      body: parsed,
      message: typeof message === "string" ? message : void 0
    };
  };
}
async function readCapped(response, limit) {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (size >= limit) await reader.cancel().catch(() => {
  });
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}
var resourceName = (dest) => `projects/${dest.project}/locations/${dest.location}/repositories/${dest.repository}`;
var detailOf = (res) => res.message ? `: ${res.message.replace(/\.$/, "")}` : "";
function apiFailure(what, dest, res) {
  const detail = detailOf(res);
  if (res.status === 401) {
    return new ArtifactRegistryError(
      `${what} ${resourceName(dest)}: the Google access token was rejected (401); check the credentials (google-github-actions/auth or GOOGLE_APPLICATION_CREDENTIALS)`
    );
  }
  if (res.status === 403) {
    return new ArtifactRegistryError(
      `${what} ${resourceName(dest)}: permission denied (403)${detail}. Grant the identity ${WRITER_ROLE} on the repository (or on project ${dest.project}), and check that the repository exists`
    );
  }
  return new ArtifactRegistryError(`${what} ${resourceName(dest)}: HTTP ${res.status}${detail}`);
}
async function preflightArtifactRegistry(dest, options) {
  const api = createApi(options);
  const name = resourceName(dest);
  const found = await api("GET", name);
  let repository;
  let created = false;
  if (found.status === 200) {
    repository = found.body;
  } else if (found.status === 404 && options.createRepository) {
    repository = await createRepository(api, dest, options);
    created = true;
  } else if (found.status === 404) {
    throw new ArtifactRegistryError(
      `Artifact Registry repository ${name} does not exist. Create it with "gcloud artifacts repositories create ${dest.repository} --repository-format=docker --location=${dest.location} --project=${dest.project}", or enable create-repository`
    );
  } else {
    throw apiFailure("reading", dest, found);
  }
  checkUsable(dest, repository);
  await checkUploadPermission(api, dest);
  return { immutableTags: repository.dockerConfig?.immutableTags === true, created };
}
function checkUsable(dest, repository) {
  const name = resourceName(dest);
  if (repository.format !== "DOCKER") {
    throw new ArtifactRegistryError(
      `Artifact Registry repository ${name} has format ${repository.format ?? "unknown"}, not DOCKER: images can only be pushed to a Docker repository; choose or create one with --repository-format=docker`
    );
  }
  const mode = repository.mode ?? "STANDARD_REPOSITORY";
  if (mode !== "STANDARD_REPOSITORY" && mode !== "MODE_UNSPECIFIED") {
    throw new ArtifactRegistryError(
      `Artifact Registry repository ${name} is a ${mode}: remote and virtual repositories are read-only; mirror into a standard repository`
    );
  }
}
async function checkUploadPermission(api, dest) {
  const res = await api("POST", `${resourceName(dest)}:testIamPermissions`, {
    permissions: [UPLOAD_PERMISSION]
  });
  if (res.status !== 200) throw apiFailure("checking permissions on", dest, res);
  const granted = Array.isArray(res.body.permissions) ? res.body.permissions : [];
  if (!granted.includes(UPLOAD_PERMISSION)) {
    throw new ArtifactRegistryError(
      `the credentials cannot push to Artifact Registry repository ${resourceName(dest)}: ${UPLOAD_PERMISSION} is not granted. Grant the identity ${WRITER_ROLE} on the repository`
    );
  }
}
async function createRepository(api, dest, options) {
  const parent = `projects/${dest.project}/locations/${dest.location}`;
  const body = {
    format: "DOCKER",
    mode: "STANDARD_REPOSITORY",
    description: "Mirrored images (created by ar-mirror)"
  };
  const res = await api(
    "POST",
    `${parent}/repositories?repositoryId=${encodeURIComponent(dest.repository)}`,
    body
  );
  if (res.status === 409) {
    const again = await api("GET", resourceName(dest));
    if (again.status === 200) return again.body;
    throw apiFailure("reading", dest, again);
  }
  if (res.status !== 200) {
    if (res.status === 403) {
      throw new ArtifactRegistryError(
        `creating Artifact Registry repository ${resourceName(dest)}: permission denied (403)${detailOf(res)}. Grant the identity roles/artifactregistry.admin on project ${dest.project}, or create the repository yourself`
      );
    }
    throw apiFailure("creating", dest, res);
  }
  return waitForOperation(api, dest, res.body, options);
}
async function waitForOperation(api, dest, started, options) {
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const attempts = options.pollAttempts ?? 60;
  let operation = started;
  for (let attempt = 0; !operation.done; attempt++) {
    if (attempt >= attempts || !operation.name) {
      throw new ArtifactRegistryError(
        `creating Artifact Registry repository ${resourceName(dest)}: the operation ${operation.name ?? "(unnamed)"} was not done after ${attempts} polls`
      );
    }
    await sleep(1e3);
    const res = await api("GET", operation.name);
    if (res.status !== 200) throw apiFailure("waiting for the creation of", dest, res);
    operation = res.body;
  }
  if (operation.error) {
    throw new ArtifactRegistryError(
      `creating Artifact Registry repository ${resourceName(dest)} failed: ${operation.error.message ?? `code ${operation.error.code}`}`
    );
  }
  return operation.response ?? {};
}

export {
  parseArtifactRegistryDestination,
  preflightArtifactRegistry
};
