import { extractKubernetes } from '../kubernetes/extract.js';
import type { Finder } from '../types.js';
import { extractHelmValues } from './extract.js';

export { extractHelmValues, MAX_VALUES_DEPTH } from './extract.js';

/**
 * Helm values files: `values*.yaml`/`.yml`. Only a file beside a `Chart.yaml` is read as values;
 * any other file with that name is an ordinary YAML file and goes to the Kubernetes extraction,
 * since a path is handled by one finder only.
 */
export const helmFinder: Finder = {
  name: 'helm',
  matches: (path) => /(?:^|\/)values[^/]*\.ya?ml$/.test(path),
  extract: (content, file, context) =>
    context.hasSibling('Chart.yaml') ? extractHelmValues(content, file) : extractKubernetes(content, file),
};
