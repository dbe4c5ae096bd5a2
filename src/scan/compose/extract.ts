import type { ExtractResult } from '../types.js';
import { asMap, getNode, getPath, lookup, mapEntries } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { type Resolver, reportScalar, scanYaml, templateIn } from '../yaml/scan.js';
import { interpolateCompose } from './interpolate.js';

/**
 * Extracts `services.*.image` from a compose file. A service with `build` builds its own image
 * and `image` only names the result, so it is skipped. Keys inherited through `<<: *anchor` count.
 */
export function extractCompose(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, ['image'])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => {
    const services = asMap(getPath(root, ['services'], scan.doc), scan.doc);
    if (!services) return;
    for (const { value } of mapEntries(services, scan.doc)) {
      const service = asMap(value, scan.doc);
      if (!service || lookup(service, 'build', scan.doc)) continue;
      reportScalar(scan, getNode(service, 'image', scan.doc), 'compose', { resolve: composeResolver });
    }
  });
}

/** Compose defaults resolve; anything that needs the environment is reported, not guessed. */
const composeResolver: Resolver = (text) => {
  const result = interpolateCompose(text);
  if (!result.ok) return { problem: `needs variable ${result.variable}, which has no default here` };
  // `$$` left a literal `$`, so only a `{{ }}` template is worth naming; the parser rejects the rest.
  return result.value.includes('{{') ? { problem: `contains ${templateIn('{{')}` } : { text: result.value };
};
