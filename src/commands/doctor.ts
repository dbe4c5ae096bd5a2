/**
 * `ar-mirror doctor --to DEST --cluster projects/P/locations/L/clusters/C --run-service ...`:
 * can these workloads pull from the mirror? Per identity a pass, a fail (missing role, scope too
 * narrow, cross-project without a grant) with the gcloud command that fixes it, or "cannot
 * verify" (groups, conditions). Exit 0 when nothing failed, 1 on any failure, 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { type ClusterName, parseClusterName } from '../cloud/container.js';
import type { GoogleEndpoints } from '../cloud/endpoints.js';
import { parseRunServiceName, type RunServiceName } from '../cloud/run.js';
import { splitLists } from '../config.js';
import { errorMessage } from '../errors.js';
import { createStreamLogger } from '../log.js';
import { type AccessVerdict, checkAccess, type PullIdentity, rolesToRead } from '../platform/access.js';
import {
  type ArtifactRegistryDestination,
  parseArtifactRegistryDestination,
} from '../registry/artifact-registry.js';
import { printable } from '../text/escape.js';
import {
  clusterIdentities,
  createProjectNumbers,
  readPolicies,
  readRoles,
  runIdentity,
  type Unreadable,
} from './doctor-facts.js';
import {
  createCommandGoogleApi,
  GOOGLE_OPTIONS,
  GOOGLE_USAGE,
  readEndpointsForUsage,
} from './google-flags.js';
import { type CommandIO, EXIT_FAILURE, EXIT_OK, parseCommandLine, UsageError } from './io.js';

/** The doctor command's usage text. */
export const DOCTOR_USAGE = `usage: ar-mirror doctor --to LOCATION-docker.pkg.dev/PROJECT/REPOSITORY [--cluster NAME]... [--run-service NAME]... [--json]
  --cluster projects/P/locations/L/clusters/C        a GKE cluster whose nodes pull from the mirror (repeatable)
  --run-service projects/P/locations/L/services/S    a Cloud Run service that deploys from it (repeatable)
  --json                                             one JSON object
${GOOGLE_USAGE}`;

interface DoctorArgs {
  repository: ArtifactRegistryDestination;
  clusters: ClusterName[];
  services: RunServiceName[];
  json: boolean;
  verbose: boolean;
  token: string | undefined;
  endpoints: GoogleEndpoints;
}

/** Runs doctor and returns its exit code. */
export async function runDoctorCommand(argv: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandLine('doctor', DOCTOR_USAGE, io, () => parseDoctorArgs(argv, io.env));
  if ('exit' in parsed) return parsed.exit;
  const args = parsed.args;
  const logger = createStreamLogger({ write: io.stderr, debug: args.verbose });
  let verdicts: AccessVerdict[];
  try {
    const api = await createCommandGoogleApi(args.token, io.env, logger);
    const numbers = createProjectNumbers(api, args.endpoints);
    const identities: PullIdentity[] = [];
    const unreadable: Unreadable[] = [];
    for (const cluster of args.clusters) {
      const workload = `cluster ${cluster.project}/${cluster.location}/${cluster.cluster}`;
      await clusterIdentities(api, args.endpoints, cluster, numbers)
        .then((found) => identities.push(...found))
        .catch((err: unknown) => unreadable.push({ workload, reason: errorMessage(err) }));
    }
    for (const service of args.services) {
      const workload = `Cloud Run service ${service.project}/${service.location}/${service.service}`;
      await runIdentity(api, args.endpoints, service, numbers)
        .then((found) => identities.push(found))
        .catch((err: unknown) => unreadable.push({ workload, reason: errorMessage(err) }));
    }
    const policies = await readPolicies(api, args.endpoints, args.repository);
    const names = rolesToRead(
      [policies.repositoryPolicy, ...('bindings' in policies.projectPolicy ? [policies.projectPolicy] : [])],
      identities.map((i) => i.account),
    );
    const roles = await readRoles(api, args.endpoints, names, (message) =>
      logger.warning(printable(message)),
    );
    verdicts = [
      ...checkAccess({ repository: args.repository, ...policies, roles }, identities),
      ...unreadable.map(toFailure),
    ];
  } catch (err) {
    io.stderr(`ar-mirror doctor: ${printable(errorMessage(err), 1000)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(
    args.json
      ? `${JSON.stringify({ repository: describeRepository(args.repository), checks: verdicts }, null, 2)}\n`
      : renderVerdicts(args.repository, verdicts),
  );
  return verdicts.some((v) => v.status === 'fail') ? EXIT_FAILURE : EXIT_OK;
}

function toFailure(u: Unreadable): AccessVerdict {
  return {
    workload: u.workload,
    account: '',
    status: 'fail',
    reasons: [`could not be read: ${u.reason}`],
    grants: [],
    notes: [],
    fixes: [],
  };
}

function parseDoctorArgs(argv: string[], env: NodeJS.ProcessEnv): DoctorArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      ...GOOGLE_OPTIONS,
      to: { type: 'string' },
      cluster: { type: 'string', multiple: true },
      'run-service': { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (!values.to) throw new UsageError('--to LOCATION-docker.pkg.dev/PROJECT/REPOSITORY is required');
  const clusters = splitLists(values.cluster).map((text) => usage(() => parseClusterName(text)));
  const services = splitLists(values['run-service']).map((text) => usage(() => parseRunServiceName(text)));
  if (clusters.length + services.length === 0)
    throw new UsageError('give at least one --cluster or --run-service');
  return {
    repository: usage(() => parseArtifactRegistryDestination(values.to!)),
    clusters,
    services,
    json: values.json === true,
    verbose: values.verbose === true,
    token: values['gcp-access-token'],
    endpoints: readEndpointsForUsage(env),
  };
}

function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}

function describeRepository(r: ArtifactRegistryDestination): string {
  return `projects/${r.project}/locations/${r.location}/repositories/${r.repository}`;
}

const LABEL = { pass: 'PASS', fail: 'FAIL', unknown: '????' } as const;

/** The human report: one block per identity, the fixes, and a count. */
export function renderVerdicts(
  repository: ArtifactRegistryDestination,
  verdicts: readonly AccessVerdict[],
): string {
  let text = `pulling from ${describeRepository(repository)}\n`;
  for (const v of verdicts) {
    text += `\n${LABEL[v.status]}  ${printable(v.workload, 200)}${v.account ? `  as ${printable(v.account, 200)}` : ''}\n`;
    for (const note of v.notes) text += `      note: ${printable(note, 400)}\n`;
    if (v.status === 'pass' || v.grants.length > 0)
      text += `      granted: ${printable(v.grants.join('; '), 600) || '-'}\n`;
    for (const reason of v.reasons)
      text += `      ${v.status === 'unknown' ? '' : 'reason: '}${printable(reason, 1000)}\n`;
    for (const fix of v.fixes) text += `      fix: ${printable(fix, 600)}\n`;
  }
  const count = (status: AccessVerdict['status']) => verdicts.filter((v) => v.status === status).length;
  text += `\n${count('pass')} pass, ${count('fail')} fail, ${count('unknown')} cannot be verified\n`;
  return text;
}
