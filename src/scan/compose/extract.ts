import type { ExtractResult, ImageOccurrence } from '../types.js';
import { asMap, getNode, getPath, lookup, mapEntries } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { type Resolver, reportScalar, scanYaml, templateIn, type YamlScan } from '../yaml/scan.js';
import { interpolateCompose } from './interpolate.js';
import { narrowTarget } from './parts.js';

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
      const before = scan.occurrences.length;
      reportScalar(scan, getNode(service, 'image', scan.doc), 'compose', { resolve: composeResolver });
      const added = scan.occurrences[before];
      if (added) narrow(scan, added);
    }
  });
}

/** Points an occurrence built from interpolation at the part a rewrite can replace (parts.ts). */
function narrow(scan: YamlScan, occurrence: ImageOccurrence): void {
  if (occurrence.target.type !== 'scalar') return;
  const target = narrowTarget(scan.content, occurrence.target.scalar, occurrence.reference);
  if (!target || target.type === 'none' || target.type === 'fields') return;
  const { start, end } = target.scalar;
  occurrence.start = scan.lines.positionAt(start);
  occurrence.end = scan.lines.positionAt(end);
  occurrence.raw = scan.content.slice(start, end);
  occurrence.target = target;
}

/** Compose defaults resolve; anything that needs the environment is reported, not guessed. */
const composeResolver: Resolver = (text) => {
  const result = interpolateCompose(text);
  if (!result.ok) return { problem: `needs variable ${result.variable}, which has no default here` };
  // `$$` left a literal `$`, so only a `{{ }}` template is worth naming; the parser rejects the rest.
  return result.value.includes('{{') ? { problem: `contains ${templateIn('{{')}` } : { text: result.value };
};
