import type { YAMLMap } from 'yaml';
import type { ExtractResult } from '../types.js';
import { isScalar } from '../yaml/guards.js';
import { asMap, getNode, getPath, mapEntries, scalarText, seqItems } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { reportScalar, scanYaml, type YamlScan } from '../yaml/scan.js';

const DOCKER_PREFIX = 'docker://';
const NOTHING: ExtractResult = { occurrences: [], diagnostics: [] };

/**
 * Extracts a GitHub Actions workflow's images: `jobs.*.container` (a string or `.image`),
 * `jobs.*.services.*.image` and `steps[].uses: docker://IMAGE`. Values with `${{ }}` expressions
 * are known only when the workflow runs, so they become diagnostics.
 */
export function extractWorkflow(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, ['container', 'image', 'uses'])) return NOTHING;
  return scanYaml(content, file, (scan, root) => {
    const jobs = asMap(getPath(root, ['jobs'], scan.doc), scan.doc);
    if (!jobs) return;
    for (const { value } of mapEntries(jobs, scan.doc)) {
      const job = asMap(value, scan.doc);
      if (job) extractJob(scan, job);
    }
  });
}

function extractJob(scan: YamlScan, job: YAMLMap): void {
  const container = getNode(job, 'container', scan.doc);
  const containerMap = asMap(container, scan.doc);
  reportScalar(
    scan,
    containerMap ? getNode(containerMap, 'image', scan.doc) : container,
    'workflow-container',
  );
  const services = asMap(getNode(job, 'services', scan.doc), scan.doc);
  for (const { value } of services ? mapEntries(services, scan.doc) : []) {
    const service = asMap(value, scan.doc);
    if (service) reportScalar(scan, getNode(service, 'image', scan.doc), 'workflow-service');
  }
  extractSteps(scan, job);
}

/** `uses: docker://IMAGE` steps of a job or of a composite action's `runs`. */
function extractSteps(scan: YamlScan, owner: YAMLMap): void {
  for (const step of seqItems(getNode(owner, 'steps', scan.doc), scan.doc)) {
    const map = asMap(step, scan.doc);
    const uses = map && getNode(map, 'uses', scan.doc);
    if (isDockerUrl(uses)) reportScalar(scan, uses, 'workflow-step', { prefix: DOCKER_PREFIX });
  }
}

/**
 * Extracts an action's metadata (`action.yml`): `runs.image: docker://IMAGE`, and `docker://` steps
 * of a composite action. `runs.image: Dockerfile` builds the image from a file in the action, so it
 * is not a reference.
 */
export function extractAction(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, [DOCKER_PREFIX])) return NOTHING;
  return scanYaml(content, file, (scan, root) => {
    const runs = asMap(getPath(root, ['runs'], scan.doc), scan.doc);
    if (!runs) return;
    const image = getNode(runs, 'image', scan.doc);
    if (isDockerUrl(image)) reportScalar(scan, image, 'action', { prefix: DOCKER_PREFIX });
    extractSteps(scan, runs);
  });
}

function isDockerUrl(node: unknown): boolean {
  return isScalar(node) && (scalarText(node) ?? '').trim().startsWith(DOCKER_PREFIX);
}
