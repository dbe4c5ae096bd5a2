import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  clusterGetNeeds,
  projectGetNeeds,
  projectPolicyNeeds,
  repositoryPolicyNeeds,
  roleGetNeeds,
  runServiceGetNeeds
} from "./chunk-LHB2P273.js";
import {
  asList,
  asObject,
  asText,
  asTextList,
  pick
} from "./chunk-KYDW4NMQ.js";
import {
  GOOGLE_OPTIONS,
  GOOGLE_USAGE,
  GoogleApiError,
  createCommandGoogleApi,
  readEndpointsForUsage
} from "./chunk-5BPX3DTZ.js";
import {
  parseArtifactRegistryDestination
} from "./chunk-U4PV7WAK.js";
import {
  createStreamLogger
} from "./chunk-VAYOJ3Y5.js";
import "./chunk-UBDPY4Y4.js";
import {
  splitLists
} from "./chunk-FHORZPU6.js";
import {
  EXIT_FAILURE,
  EXIT_OK,
  UsageError,
  parseCommandLine,
  printable,
  shellQuote
} from "./chunk-TH6AUOUN.js";
import {
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/doctor.ts
import { parseArgs } from "node:util";

// src/cloud/container.ts
var NAME = /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/(?:locations|zones)\/([a-z0-9-]{1,40})\/clusters\/([a-z]([a-z0-9-]{0,38}[a-z0-9])?)$/;
var AUTO_PROVISIONED = "(auto-provisioned)";
var LEGACY_NODE_CONFIG = "(nodeConfig)";
function parseClusterName(text) {
  const match = NAME.exec(text);
  if (!match)
    throw new MirrorError(
      `"${text.slice(0, 200)}" is not projects/PROJECT/locations/LOCATION/clusters/CLUSTER`
    );
  return { project: match[1], location: match[2], cluster: match[3] };
}
async function getClusterNodes(api, base, name) {
  const body = await api.request({
    method: "GET",
    url: `${base}/projects/${name.project}/locations/${name.location}/clusters/${name.cluster}`,
    needs: clusterGetNeeds(name.project)
  });
  return { ...name, ...parseClusterNodes(body) };
}
function parseClusterNodes(body) {
  const autopilot = pick(body, "autopilot.enabled") === true;
  const identities = [];
  for (const item of asList(pick(body, "nodePools"), 500)) {
    const pool = asText(asObject(item)?.name, 100);
    if (pool) identities.push(identity(pool, pick(item, "config")));
  }
  const legacy = pick(body, "nodeConfig");
  if (identities.length === 0 && asObject(legacy)) identities.push(identity(LEGACY_NODE_CONFIG, legacy));
  const autoProvisioning = pick(body, "autoscaling.enableNodeAutoprovisioning") === true;
  if (autopilot || autoProvisioning)
    identities.push(identity(AUTO_PROVISIONED, pick(body, "autoscaling.autoprovisioningNodePoolDefaults")));
  return { autopilot, identities };
}
function identity(pool, config) {
  const account = asText(pick(config, "serviceAccount"), 320);
  const scopes = pick(config, "oauthScopes");
  return {
    pool,
    serviceAccount: account === void 0 || account === "" ? "default" : account,
    oauthScopes: Array.isArray(scopes) && scopes.length > 0 ? asTextList(scopes, 100, 200) : void 0
  };
}

// src/cloud/run.ts
var NAME2 = /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/([a-z0-9-]{1,40})\/services\/([a-z]([a-z0-9-]{0,61}[a-z0-9])?)$/;
function parseRunServiceName(text) {
  const match = NAME2.exec(text);
  if (!match)
    throw new MirrorError(
      `"${text.slice(0, 200)}" is not projects/PROJECT/locations/LOCATION/services/SERVICE`
    );
  return { project: match[1], location: match[2], service: match[3] };
}
async function getRunService(api, base, name) {
  const body = await api.request({
    method: "GET",
    url: `${base}/projects/${name.project}/locations/${name.location}/services/${name.service}`,
    needs: runServiceGetNeeds(name.project)
  });
  const account = asText(pick(body, "template.serviceAccount"), 320);
  return { ...name, serviceAccount: account === "" ? void 0 : account };
}

// src/platform/iam-roles.ts
var DOWNLOAD_PERMISSION = "artifactregistry.repositories.downloadArtifacts";
var READER_ROLE = "roles/artifactregistry.reader";
var PREDEFINED_ROLES = /* @__PURE__ */ new Map([
  ["roles/artifactregistry.reader", true],
  ["roles/artifactregistry.writer", true],
  ["roles/artifactregistry.repoAdmin", true],
  ["roles/artifactregistry.admin", true],
  ["roles/artifactregistry.createOnPushWriter", true],
  ["roles/artifactregistry.createOnPushRepoAdmin", true],
  ["roles/viewer", true],
  ["roles/editor", true],
  ["roles/owner", true],
  // The Cloud Run Service Agent role, granted in its own project automatically.
  ["roles/run.serviceAgent", true],
  // Artifact Registry's own service agent role includes downloadArtifacts (its documented permissions).
  ["roles/artifactregistry.serviceAgent", true],
  // Roles node service accounts usually hold that do not read images.
  ["roles/container.defaultNodeServiceAccount", false],
  ["roles/logging.logWriter", false],
  ["roles/monitoring.metricWriter", false],
  ["roles/monitoring.viewer", false],
  ["roles/stackdriver.resourceMetadata.writer", false],
  ["roles/iam.serviceAccountUser", false],
  ["roles/iam.serviceAccountTokenCreator", false],
  ["roles/storage.objectViewer", false]
]);
var READ_SCOPES = /* @__PURE__ */ new Set([
  "https://www.googleapis.com/auth/cloud-platform",
  "https://www.googleapis.com/auth/cloud-platform.read-only",
  "https://www.googleapis.com/auth/devstorage.read_only",
  "https://www.googleapis.com/auth/devstorage.read_write",
  "https://www.googleapis.com/auth/devstorage.full_control",
  "cloud-platform",
  "storage-ro",
  "storage-rw",
  "storage-full"
]);
var CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
var STORAGE_READ_SCOPE = "https://www.googleapis.com/auth/devstorage.read_only";
function readingScope(scopes) {
  return scopes.find((scope) => READ_SCOPES.has(scope));
}

// src/platform/access.ts
var UNVERIFIABLE = /^(group|principalSet):/;
var PUBLIC = /* @__PURE__ */ new Set(["allUsers", "allAuthenticatedUsers"]);
function rolesToRead(policies, accounts) {
  const members = new Set(accounts.map((a) => `serviceaccount:${a.toLowerCase()}`));
  const relevant = (b) => b.members.some((m) => members.has(m.toLowerCase()) || PUBLIC.has(m) || UNVERIFIABLE.test(m));
  const names = policies.flatMap((p) => p.bindings.filter(relevant).map((b) => b.role));
  return [...new Set(names)].filter((name) => !PREDEFINED_ROLES.has(name)).sort();
}
function checkAccess(facts, identities) {
  return identities.map((identity2) => checkOne(facts, identity2));
}
function checkOne(facts, identity2) {
  const verdict = {
    workload: identity2.workload,
    account: identity2.account,
    status: "pass",
    reasons: [],
    grants: [],
    notes: identity2.accountNote ? [identity2.accountNote] : [],
    fixes: []
  };
  checkScopes(identity2, verdict);
  checkRoles(facts, identity2, verdict);
  return verdict;
}
function worsen(verdict, status, reason) {
  if (status === "fail" || verdict.status === "pass") verdict.status = status;
  verdict.reasons.push(reason);
}
function checkScopes(identity2, verdict) {
  if (identity2.scopes === "not-applicable") return;
  if (identity2.scopes === void 0) {
    worsen(
      verdict,
      "unknown",
      "the OAuth scopes of these nodes were not reported, so they cannot be checked"
    );
    return;
  }
  const scope = readingScope(identity2.scopes);
  if (scope) {
    verdict.grants.push(`scope ${scope}${identity2.scopesAssumed ? " (Autopilot default)" : ""}`);
    return;
  }
  worsen(
    verdict,
    "fail",
    `scope too narrow: the nodes' OAuth scopes (${identity2.scopes.join(", ")}) allow no Artifact Registry read; they need ${CLOUD_PLATFORM_SCOPE} or devstorage.read_only, and scopes of existing nodes cannot be changed`
  );
  if (identity2.scopeFix) verdict.fixes.push(identity2.scopeFix);
}
function checkRoles(facts, identity2, verdict) {
  const repo = facts.repository;
  const places = [[`the repository ${repo.repository}`, facts.repositoryPolicy]];
  const project = facts.projectPolicy;
  if ("bindings" in project) places.push([`project ${repo.project}`, project]);
  const member = `serviceaccount:${identity2.account.toLowerCase()}`;
  const direct = [];
  const indirect = [];
  for (const [where, policy] of places) {
    for (const binding of policy.bindings) {
      for (const m of binding.members) {
        if (m.toLowerCase() === member || PUBLIC.has(m)) direct.push({ where, binding, member: m });
        else if (UNVERIFIABLE.test(m)) indirect.push({ where, binding, member: m });
      }
    }
  }
  const reads = (g) => PREDEFINED_ROLES.get(g.binding.role) ?? facts.roles.get(g.binding.role);
  const unconditional = direct.filter((g) => reads(g) === true && !g.binding.condition);
  if (unconditional.length > 0) {
    verdict.grants.push(
      ...unconditional.map(
        (g) => `${g.binding.role} on ${g.where}${PUBLIC.has(g.member) ? ` (${g.member})` : ""}`
      )
    );
    return;
  }
  const doubts = [
    ...direct.filter((g) => reads(g) === true).map(
      (g) => `${g.binding.role} on ${g.where} only under the condition "${g.binding.condition?.title ?? g.binding.condition?.expression ?? ""}"`
    ),
    ...direct.filter((g) => reads(g) === void 0).map((g) => `${g.binding.role} on ${g.where}, a role whose permissions could not be read`),
    ...indirect.filter((g) => reads(g) !== false).map((g) => `${g.binding.role} on ${g.where} through ${g.member} (membership cannot be verified)`),
    ..."unreadable" in project ? [`a binding on project ${repo.project}, whose IAM policy cannot be read: ${project.unreadable}`] : []
  ];
  if (doubts.length > 0) {
    worsen(verdict, "unknown", `cannot verify: may be granted by ${doubts.join("; ")}`);
    return;
  }
  worsen(verdict, "fail", missingRoleReason(identity2, repo));
  verdict.notes.push(INHERITED_NOTE);
  verdict.fixes.push(grantCommand(identity2.account, repo));
}
var INHERITED_NOTE = "only the repository\u2019s and its project\u2019s own IAM policies are read: a grant inherited from a folder or the organization is not seen";
function missingRoleReason(identity2, repo) {
  const base = `missing role: no binding gives ${identity2.account} a role with artifactregistry.repositories.downloadArtifacts on repository ${repo.repository} or project ${repo.project}`;
  const home = identity2.project ?? accountProject(identity2.account);
  if (home && home !== repo.project)
    return `${base} (cross-project: the account belongs to project ${home}, the repository to ${repo.project}, so a grant there is needed)`;
  return base;
}
function accountProject(account) {
  if (/^service-\d+@/.test(account)) return void 0;
  return /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(account)?.[1];
}
function grantCommand(account, repo) {
  return [
    "gcloud artifacts repositories add-iam-policy-binding",
    shellQuote(repo.repository),
    `--project=${shellQuote(repo.project)}`,
    `--location=${shellQuote(repo.location)}`,
    `--member=${shellQuote(`serviceAccount:${account}`)}`,
    `--role=${READER_ROLE}`
  ].join(" ");
}

// src/cloud/policy.ts
var MAX_BINDINGS = 1500;
var MAX_MEMBERS = 1500;
function parsePolicy(value) {
  const bindings = [];
  for (const item of asList(asObject(value)?.bindings, MAX_BINDINGS)) {
    const binding = asObject(item);
    const role = asText(binding?.role, 256);
    if (!binding || !role || !/^(roles|projects|organizations)\/[\w./-]+$/.test(role)) continue;
    const members = asTextList(binding.members, MAX_MEMBERS, 512);
    const condition = asObject(binding.condition);
    const expression = asText(condition?.expression, 12e3);
    bindings.push({
      role,
      members,
      condition: condition && expression !== void 0 ? { title: asText(condition.title, 200), expression } : void 0
    });
  }
  return { bindings };
}
var POLICY_VERSION = 3;

// src/cloud/artifact-registry-iam.ts
function repositoryResource(dest) {
  return `projects/${dest.project}/locations/${dest.location}/repositories/${dest.repository}`;
}
async function getRepositoryIamPolicy(api, base, dest) {
  const body = await api.request({
    method: "GET",
    url: `${base}/${repositoryResource(dest)}:getIamPolicy`,
    query: { "options.requestedPolicyVersion": String(POLICY_VERSION) },
    needs: repositoryPolicyNeeds(`repository ${dest.repository} of project ${dest.project}`)
  });
  return parsePolicy(body);
}

// src/cloud/iam.ts
var ROLE_NAME = /^(roles\/[\w.]{1,100}|(projects|organizations)\/[\w.-]{1,64}\/roles\/[\w.]{1,64})$/;
var MAX_PERMISSIONS = 2e4;
async function getRole(api, base, name) {
  if (!ROLE_NAME.test(name)) throw new MirrorError(`"${name.slice(0, 100)}" is not an IAM role name`);
  const body = await api.request({ method: "GET", url: `${base}/${name}`, needs: roleGetNeeds(name) });
  return {
    name,
    includedPermissions: asTextList(body.includedPermissions, MAX_PERMISSIONS, 200),
    deleted: asObject(body)?.deleted === true
  };
}

// src/cloud/resource-manager.ts
async function getProject(api, base, projectId) {
  const body = await api.request({
    method: "GET",
    url: `${base}/projects/${encodeURIComponent(projectId)}`,
    needs: projectGetNeeds(projectId)
  });
  const projectNumber = asText(body.projectNumber, 20);
  if (!projectNumber || !/^\d{1,20}$/.test(projectNumber))
    throw new MirrorError(`Resource Manager: project ${projectId} came back without a valid projectNumber`);
  return { projectId, projectNumber };
}
async function getProjectIamPolicy(api, base, projectId) {
  const body = await api.request({
    method: "POST",
    url: `${base}/projects/${encodeURIComponent(projectId)}:getIamPolicy`,
    body: { options: { requestedPolicyVersion: POLICY_VERSION } },
    needs: projectPolicyNeeds(projectId)
  });
  return parsePolicy(body);
}

// src/commands/doctor-facts.ts
function createProjectNumbers(api, endpoints) {
  const cache = /* @__PURE__ */ new Map();
  return (project) => {
    let found = cache.get(project);
    if (!found) {
      found = getProject(api, endpoints.resourceManager, project).then((p) => p.projectNumber);
      cache.set(project, found);
    }
    return found;
  };
}
async function clusterIdentities(api, endpoints, name, numbers) {
  const cluster = await getClusterNodes(api, endpoints.container, name);
  const label = `cluster ${name.project}/${name.location}/${name.cluster}`;
  if (cluster.identities.length === 0)
    throw new MirrorError("the cluster reports no node pools, nodeConfig or auto-provisioning defaults");
  const result = [];
  for (const node of cluster.identities) {
    const resolved = await resolveAccount(node.serviceAccount, name.project, numbers);
    const autoDefault = cluster.autopilot && node.oauthScopes === void 0;
    result.push({
      workload: workloadOf(label, node.pool, cluster.autopilot),
      account: resolved.account,
      ...resolved.note ? { accountNote: resolved.note, project: resolved.project } : {},
      // Autopilot nodes created without --scopes get GKE's defaults: devstorage.read_only among
      // others for the Compute Engine default account, cloud-platform for any other account.
      scopes: autoDefault ? [node.serviceAccount === "default" ? STORAGE_READ_SCOPE : CLOUD_PLATFORM_SCOPE] : node.oauthScopes,
      scopesAssumed: autoDefault,
      scopeFix: scopeFix(name, node, resolved.account, cluster.autopilot)
    });
  }
  return result;
}
function workloadOf(label, pool, autopilot) {
  if (pool === AUTO_PROVISIONED) return `${label}, ${autopilot ? "Autopilot" : "auto-provisioned"} nodes`;
  if (pool === LEGACY_NODE_CONFIG) return `${label}, nodes (cluster nodeConfig)`;
  return `${label}, node pool ${pool}`;
}
async function resolveAccount(account, project, numbers) {
  if (account !== "default") return { account, note: void 0, project: void 0 };
  const number = await numbers(project);
  return {
    account: `${number}-compute@developer.gserviceaccount.com`,
    project,
    note: `"default" is the Compute Engine default service account of project ${project}`
  };
}
function scopeFix(name, node, account, autopilot) {
  const where = `--cluster=${shellQuote(name.cluster)} --location=${shellQuote(name.location)} --project=${shellQuote(name.project)}`;
  const place = `--location=${shellQuote(name.location)} --project=${shellQuote(name.project)}`;
  if (autopilot)
    return `gcloud container clusters create-auto NEW_CLUSTER ${place} --service-account=${shellQuote(account)} --scopes=${CLOUD_PLATFORM_SCOPE}  # Autopilot sets node scopes at cluster creation only: create a cluster this way and move the workloads`;
  if (node.pool === AUTO_PROVISIONED)
    return `gcloud container clusters update ${shellQuote(name.cluster)} ${place} --enable-autoprovisioning --min-cpu=MIN_CPU --max-cpu=MAX_CPU --min-memory=MIN_MEMORY_GB --max-memory=MAX_MEMORY_GB --autoprovisioning-service-account=${shellQuote(account)} --autoprovisioning-scopes=${CLOUD_PLATFORM_SCOPE}  # put the cluster's resource limits in the placeholders (or give them all in --autoprovisioning-config-file); only nodes auto-provisioned after this get the scope`;
  const legacy = node.pool === LEGACY_NODE_CONFIG;
  const pool = legacy ? "nodes-ar" : `${node.pool.slice(0, 36)}-ar`;
  const then = legacy ? "then move the workloads" : `then move the workloads and delete ${shellQuote(node.pool)}`;
  return `gcloud container node-pools create ${shellQuote(pool)} ${where} --service-account=${shellQuote(account)} --scopes=${CLOUD_PLATFORM_SCOPE}  # ${then}`;
}
async function runIdentity(api, endpoints, name, numbers) {
  const service = await getRunService(api, endpoints.run, name);
  const number = await numbers(name.project);
  const runtime = service.serviceAccount ?? `${number}-compute@developer.gserviceaccount.com`;
  return {
    workload: `Cloud Run service ${name.project}/${name.location}/${name.service}`,
    account: `service-${number}@serverless-robot-prod.iam.gserviceaccount.com`,
    project: name.project,
    accountNote: `the Cloud Run service agent pulls the image; the runtime identity ${runtime}${service.serviceAccount ? "" : " (the Compute Engine default account)"} does not need to`,
    scopes: "not-applicable"
  };
}
async function readPolicies(api, endpoints, repository) {
  const [repositoryPolicy, projectPolicy] = await Promise.all([
    getRepositoryIamPolicy(api, endpoints.artifactRegistry, repository).catch((err) => {
      throw new MirrorError(
        `reading the IAM policy of ${repositoryResource(repository)}: ${errorMessage(err)}`,
        { cause: err }
      );
    }),
    getProjectIamPolicy(api, endpoints.resourceManager, repository.project).catch(
      (err) => {
        if (err instanceof GoogleApiError && err.httpStatus === 403 && !err.temporary)
          return { unreadable: errorMessage(err) };
        throw new MirrorError(
          `reading the IAM policy of project ${repository.project}: ${errorMessage(err)}`,
          { cause: err }
        );
      }
    )
  ]);
  return { repositoryPolicy, projectPolicy };
}
async function readRoles(api, endpoints, names, warn) {
  const roles = /* @__PURE__ */ new Map();
  for (const name of names.slice(0, 100)) {
    try {
      const role = await getRole(api, endpoints.iam, name);
      roles.set(name, !role.deleted && role.includedPermissions.includes(DOWNLOAD_PERMISSION));
    } catch (err) {
      warn(`could not read role ${name}: ${errorMessage(err)}`);
      roles.set(name, void 0);
    }
  }
  return roles;
}

// src/commands/doctor.ts
var DOCTOR_USAGE = `usage: ar-mirror doctor --to LOCATION-docker.pkg.dev/PROJECT/REPOSITORY [--cluster NAME]... [--run-service NAME]... [--json]
  --cluster projects/P/locations/L/clusters/C        a GKE cluster whose nodes pull from the mirror (repeatable)
  --run-service projects/P/locations/L/services/S    a Cloud Run service that deploys from it (repeatable)
  --json                                             one JSON object
${GOOGLE_USAGE}`;
async function runDoctorCommand(argv, io) {
  const parsed = parseCommandLine("doctor", DOCTOR_USAGE, io, () => parseDoctorArgs(argv, io.env));
  if ("exit" in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  let verdicts;
  try {
    const api = await createCommandGoogleApi(args.token, io.env, logger);
    const numbers = createProjectNumbers(api, args.endpoints);
    const identities = [];
    const unreadable = [];
    for (const cluster of args.clusters) {
      const workload = `cluster ${cluster.project}/${cluster.location}/${cluster.cluster}`;
      await clusterIdentities(api, args.endpoints, cluster, numbers).then((found) => identities.push(...found)).catch((err) => unreadable.push({ workload, reason: errorMessage(err) }));
    }
    for (const service of args.services) {
      const workload = `Cloud Run service ${service.project}/${service.location}/${service.service}`;
      await runIdentity(api, args.endpoints, service, numbers).then((found) => identities.push(found)).catch((err) => unreadable.push({ workload, reason: errorMessage(err) }));
    }
    const policies = await readPolicies(api, args.endpoints, args.repository);
    const names = rolesToRead(
      [policies.repositoryPolicy, ..."bindings" in policies.projectPolicy ? [policies.projectPolicy] : []],
      identities.map((i) => i.account)
    );
    const roles = await readRoles(
      api,
      args.endpoints,
      names,
      (message) => logger.warning(printable(message))
    );
    verdicts = [
      ...checkAccess({ repository: args.repository, ...policies, roles }, identities),
      ...unreadable.map(toFailure)
    ];
  } catch (err) {
    io.stderr(`ar-mirror doctor: ${printable(errorMessage(err), 1e3)}
`);
    return EXIT_FAILURE;
  }
  io.stdout(
    args.json ? `${JSON.stringify({ repository: describeRepository(args.repository), checks: verdicts }, null, 2)}
` : renderVerdicts(args.repository, verdicts)
  );
  return verdicts.some((v) => v.status === "fail") ? EXIT_FAILURE : EXIT_OK;
}
function toFailure(u) {
  return {
    workload: u.workload,
    account: "",
    status: "fail",
    reasons: [`could not be read: ${u.reason}`],
    grants: [],
    notes: [],
    fixes: []
  };
}
function parseDoctorArgs(argv, env) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      ...GOOGLE_OPTIONS,
      to: { type: "string" },
      cluster: { type: "string", multiple: true },
      "run-service": { type: "string", multiple: true },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", short: "v", default: false },
      help: { type: "boolean", short: "h", default: false }
    }
  });
  if (values.help) return "help";
  if (!values.to) throw new UsageError("--to LOCATION-docker.pkg.dev/PROJECT/REPOSITORY is required");
  const clusters = splitLists(values.cluster).map((text) => usage(() => parseClusterName(text)));
  const services = splitLists(values["run-service"]).map((text) => usage(() => parseRunServiceName(text)));
  if (clusters.length + services.length === 0)
    throw new UsageError("give at least one --cluster or --run-service");
  return {
    repository: usage(() => parseArtifactRegistryDestination(values.to)),
    clusters,
    services,
    json: values.json === true,
    verbose: values.verbose === true,
    token: values["gcp-access-token"],
    endpoints: readEndpointsForUsage(env)
  };
}
function usage(fn) {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}
function describeRepository(r) {
  return `projects/${r.project}/locations/${r.location}/repositories/${r.repository}`;
}
var LABEL = { pass: "PASS", fail: "FAIL", unknown: "????" };
function renderVerdicts(repository, verdicts) {
  let text = `pulling from ${describeRepository(repository)}
`;
  for (const v of verdicts) {
    text += `
${LABEL[v.status]}  ${printable(v.workload, 200)}${v.account ? `  as ${printable(v.account, 200)}` : ""}
`;
    for (const note of v.notes) text += `      note: ${printable(note, 400)}
`;
    if (v.status === "pass" || v.grants.length > 0)
      text += `      granted: ${printable(v.grants.join("; "), 600) || "-"}
`;
    for (const reason of v.reasons)
      text += `      ${v.status === "unknown" ? "" : "reason: "}${printable(reason, 1e3)}
`;
    for (const fix of v.fixes) text += `      fix: ${printable(fix, 600)}
`;
  }
  const count = (status) => verdicts.filter((v) => v.status === status).length;
  text += `
${count("pass")} pass, ${count("fail")} fail, ${count("unknown")} cannot be verified
`;
  return text;
}
export {
  DOCTOR_USAGE,
  renderVerdicts,
  runDoctorCommand
};
