import { cloudBuildFinder } from '../cloudbuild/index.js';
import { composeFinder } from '../compose/index.js';
import { helmFinder } from '../helm/index.js';
import { koFinder } from '../ko/index.js';
import { kubernetesFinder } from '../kubernetes/index.js';
import { kustomizeFinder } from '../kustomize/index.js';
import type { Finder } from '../types.js';
import { actionFinder, workflowFinder } from '../workflows/index.js';

export { matchesAtLineStart, mayContainKeys, type ParsedStream, parseYamlStream } from './parse.js';
export { createLineIndex, type LineIndex } from './position.js';
export { mappingInfo, scalarSpan } from './span.js';
export { extractYamlStream } from './stream.js';

/**
 * The YAML finders in priority order: a path goes to the first one that matches, so the specific
 * names (workflows, action metadata, compose, Kustomize, Cloud Build, Helm values, ko) come before the
 * Kubernetes finder, which takes every other `*.yaml`/`*.yml`.
 */
export const yamlFinders: Finder[] = [
  workflowFinder,
  actionFinder,
  composeFinder,
  kustomizeFinder,
  cloudBuildFinder,
  helmFinder,
  koFinder,
  kubernetesFinder,
];
