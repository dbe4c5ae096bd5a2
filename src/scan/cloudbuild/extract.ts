import type { ExtractResult } from '../types.js';
import { asMap, getNode, getPath, seqItems } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { literalOnly, type Resolver, reportScalar, scanYaml } from '../yaml/scan.js';

/**
 * Extracts the builder image of each Cloud Build step (`steps[].name`). `gcr.io/cloud-builders/*`
 * builders are still reported: deciding what is first-party happens later, from configuration.
 * The top-level `images:` list names what the build pushes, not what it pulls, so it is ignored.
 */
export function extractCloudBuild(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, ['name'])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => {
    for (const step of seqItems(getPath(root, ['steps'], scan.doc), scan.doc)) {
      const map = asMap(step, scan.doc);
      if (map)
        reportScalar(scan, getNode(map, 'name', scan.doc), 'cloudbuild', { resolve: substitutionResolver });
    }
  });
}

/**
 * Substitutions (`$_VAR`, `${_VAR}`, `$PROJECT_ID`) are set when the build runs, so a name that
 * uses one is reported instead of guessed; `$$` is an escaped `$`.
 * https://cloud.google.com/build/docs/configuring-builds/substitute-variable-values
 */
const substitutionResolver: Resolver = (text) => {
  const substitution = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.replaceAll('$$', ''));
  if (substitution) return { problem: `uses substitution $${substitution[1]}, set only when the build runs` };
  return literalOnly(text.replaceAll('$$', '$'));
};
