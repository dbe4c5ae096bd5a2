import type { Finder } from '../types.js';
import { extractKubernetes } from './extract.js';

export { extractKubernetes, extractKubernetesObject } from './extract.js';
export { extractPodSpec, podSpecPath } from './pod-spec.js';

/**
 * JSON files that are never manifests and can be large (lock files) or many (tool configs): not
 * even read, so a pull request that changes them costs the action no API reads.
 */
const NOT_MANIFEST_JSON =
  /(?:^|\/)(?:package(?:-lock)?|npm-shrinkwrap|composer|tsconfig[^/]*|jsconfig|lerna|nx|angular|deno|biome|renovate|devcontainer|launch|settings|tasks|extensions)\.json$|\.(?:schema|min|lock)\.json$/;

/**
 * Kubernetes, Knative and Cloud Run manifests: any `*.yaml`/`*.yml` no earlier finder claimed,
 * and `*.json` (kubectl reads JSON manifests too; JSON is YAML to the parser). The content
 * decides: only documents with `apiVersion` and `kind` are read as objects; Helm templates,
 * values files inside a chart, compose files and Cloud Build configs under other names are
 * recognised by their content too.
 */
export const kubernetesFinder: Finder = {
  name: 'kubernetes',
  matches: (path) => /\.ya?ml$/.test(path) || (path.endsWith('.json') && !NOT_MANIFEST_JSON.test(path)),
  extract: (content, file, context) => extractKubernetes(content, file, context),
};
