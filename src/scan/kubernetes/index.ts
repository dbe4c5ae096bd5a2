import type { Finder } from '../types.js';
import { extractKubernetes } from './extract.js';

export { extractKubernetes, extractKubernetesObject, extractPodSpec, podSpecPath } from './extract.js';

/**
 * Kubernetes, Knative and Cloud Run manifests: any `*.yaml`/`*.yml` no earlier finder claimed.
 * The content decides: only documents with `apiVersion` and `kind` are read.
 */
export const kubernetesFinder: Finder = {
  name: 'kubernetes',
  matches: (path) => /\.ya?ml$/.test(path),
  extract: (content, file) => extractKubernetes(content, file),
};
