import { extractKubernetes } from '../kubernetes/extract.js';
import type { ExtractResult, Finder, FinderContext } from '../types.js';
import { mayContainKeys } from '../yaml/parse.js';
import { chartOf } from './chart.js';
import { extractHelmValues } from './extract.js';

export { type ChartInfo, chartOf, defaultTag } from './chart.js';
export { extractHelmValues, MAX_VALUES_DEPTH } from './extract.js';
export { extractHelmTemplate, isHelmTemplate } from './template.js';

/** A values file by name: `values.yaml`, `values-prod.yaml`, `ci/default-values.yaml`, `prod.values.yml`. */
const VALUES_NAME = /(?:^|\/)[^/]*values[^/]*\.ya?ml$/;

/**
 * Helm values files: YAML files whose name contains `values`. Inside a chart (a `Chart.yaml` in
 * the file's directory or up to three levels above, as for `ci/*-values.yaml`) they are values;
 * elsewhere the content decides: manifests (`apiVersion` and `kind`) go to the Kubernetes
 * extraction, anything else is read as values for a chart kept elsewhere (`helm install -f`).
 * A chart's `templates/*.tpl` helpers are read as context (the default tag's `v` prefix).
 */
export const helmFinder: Finder = {
  name: 'helm',
  matches: (path) => VALUES_NAME.test(path) && !/(?:^|\/)templates\//.test(path),
  extract: (content, file, context) => extractValuesFile(content, file, context),
  reads: (path) => /(?:^|\/)templates\/(?:[^/]+\/)*[^/]+\.tpl$/.test(path),
};

function extractValuesFile(content: string, file: string, context: FinderContext): ExtractResult {
  if (context.hasSibling('Chart.yaml') || chartOf(file, context.project)) {
    return extractHelmValues(content, file, context);
  }
  const isManifest = mayContainKeys(content, ['apiVersion']) && /^\s*kind\s*:/m.test(content);
  return isManifest ? extractKubernetes(content, file, context) : extractHelmValues(content, file, context);
}
