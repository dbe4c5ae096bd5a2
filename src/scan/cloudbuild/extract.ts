import type { YAMLMap } from 'yaml';
import type { ExtractResult } from '../types.js';
import { asMap, getNode, getPath, mapEntries, seqItems } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { literalOnly, type Resolver, reportScalar, scanYaml, type YamlScan } from '../yaml/scan.js';

/** The top-level keys of a build config (https://cloud.google.com/build/docs/build-config-file-schema). */
const BUILD_KEYS: ReadonlySet<string> = new Set([
  'steps',
  'timeout',
  'queueTtl',
  'logsBucket',
  'options',
  'substitutions',
  'tags',
  'serviceAccount',
  'secrets',
  'availableSecrets',
  'artifacts',
  'images',
  'dependencies',
  'projectId',
  'logging',
  'defaultLogsBucketBehavior',
]);

/**
 * The keys of a build step (the same schema page). Cloud Build rejects any other, so a step with
 * one belongs to another CI system: Drone's and Woodpecker's `image` and `commands`, GitHub
 * Actions' `uses` and `run`, Azure Pipelines' `displayName`. `script` is Cloud Build's own (a shell
 * script run in the step's image).
 */
const STEP_KEYS: ReadonlySet<string> = new Set([
  'name',
  'args',
  'env',
  'allowFailure',
  'allowExitCodes',
  'dir',
  'id',
  'waitFor',
  'entrypoint',
  'secretEnv',
  'volumes',
  'timeout',
  'script',
  'automapSubstitutions',
  'results',
]);

/** Options of extractCloudBuild. */
export interface CloudBuildOptions {
  /**
   * The file is not named `cloudbuild*`: read it only if it has a build config's shape (every
   * top-level key and every step key from the build schema, every step a mapping with `name`).
   * Default: false.
   */
  byContent?: boolean;
}

/**
 * Extracts the builder image of each Cloud Build step (`steps[].name`). `gcr.io/cloud-builders/*`
 * builders are still reported: deciding what is first-party happens later, from configuration.
 * The top-level `images:` list names what the build pushes, not what it pulls, so it is ignored.
 */
export function extractCloudBuild(
  content: string,
  file: string,
  options: CloudBuildOptions = {},
): ExtractResult {
  if (!mayContainKeys(content, ['name'])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => {
    const rootMap = asMap(root, scan.doc);
    if (!rootMap || (options.byContent && !isBuildConfig(scan, rootMap))) return;
    for (const step of seqItems(getPath(root, ['steps'], scan.doc), scan.doc)) {
      const map = asMap(step, scan.doc);
      if (map)
        reportScalar(scan, getNode(map, 'name', scan.doc), 'cloudbuild', { resolve: substitutionResolver });
    }
  });
}

function isBuildConfig(scan: YamlScan, root: YAMLMap): boolean {
  if (!mapEntries(root, scan.doc).every(({ key }) => BUILD_KEYS.has(key))) return false;
  const steps = seqItems(getNode(root, 'steps', scan.doc), scan.doc);
  return (
    steps.length > 0 &&
    steps.every((step) => {
      const map = asMap(step, scan.doc);
      return (
        map !== undefined &&
        getNode(map, 'name', scan.doc) !== undefined &&
        mapEntries(map, scan.doc).every(({ key }) => STEP_KEYS.has(key))
      );
    })
  );
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
