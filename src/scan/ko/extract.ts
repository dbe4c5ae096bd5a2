/**
 * ko's configuration (https://ko.build/configuration/): `.ko.yaml` names the base images ko
 * builds Go programs on, `defaultBaseImage` and `baseImageOverrides` (import path → image).
 * Those are pulled at every build, like a Dockerfile's FROM.
 */
import type { ExtractResult } from '../types.js';
import { asMap, getNode, getPath, mapEntries } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { reportScalar, scanYaml } from '../yaml/scan.js';

/** Extracts the base images of a `.ko.yaml`. */
export function extractKoConfig(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, ['BaseImage'])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => {
    const config = asMap(root, scan.doc);
    if (!config) return;
    reportScalar(scan, getNode(config, 'defaultBaseImage', scan.doc), 'ko');
    const overrides = asMap(getPath(root, ['baseImageOverrides'], scan.doc), scan.doc);
    for (const { value } of overrides ? mapEntries(overrides, scan.doc) : []) reportScalar(scan, value, 'ko');
  });
}
