import type { Finder } from '../types.js';
import { extractKubernetes } from './extract.js';

export { extractKubernetes, extractKubernetesObject } from './extract.js';
export { extractPodSpec, podSpecPath } from './pod-spec.js';

/**
 * Kubernetes, Knative and Cloud Run manifests: any `*.yaml`/`*.yml` no earlier finder claimed,
 * and `*.json` (kubectl reads JSON manifests too; JSON is YAML to the parser). The content
 * decides: only documents with `apiVersion` and `kind` are read as objects; Helm templates,
 * values files inside a chart, compose files and Cloud Build configs under other names are
 * recognised by their content too.
 */
export const kubernetesFinder: Finder = {
  name: 'kubernetes',
  matches: (path) => /\.(?:ya?ml|json)$/.test(path),
  extract: (content, file, context) => extractKubernetes(content, file, context),
};
