import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { ExtractResult, ScalarSpan } from '../types.js';
import { lookup, mapEntries, resolveNode } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import {
  diagnose,
  fieldSpans,
  lineOf,
  quote,
  reportFields,
  reportScalar,
  scanYaml,
  type YamlScan,
} from '../yaml/scan.js';

/** Real values files nest a dozen levels at most; the bound turns hostile nesting into a diagnostic. */
export const MAX_VALUES_DEPTH = 64;
const IMAGE_KEYS = ['registry', 'repository', 'tag', 'digest'] as const;

/**
 * Extracts the images of a Helm chart's values file: `image:` mappings with `repository` and
 * optional `registry`, `tag`, `digest` (also under keys ending in `Image`, like `kubectlImage`),
 * and `image: "repo:tag"` strings, at any depth.
 */
export function extractHelmValues(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, ['image', 'Image'])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => walkValues(scan, root, 0));
}

/**
 * Walks the tree as written. Aliases are not followed while walking (the anchored node is walked
 * where it is defined, and following them would let a few lines of aliases fan out without bound);
 * an alias right under an image key is resolved, since that is the image.
 */
function walkValues(scan: YamlScan, node: Node, depth: number): void {
  if (depth > MAX_VALUES_DEPTH) {
    diagnose(
      scan,
      lineOf(scan, node),
      'warning',
      `values nested deeper than ${MAX_VALUES_DEPTH} levels are not scanned`,
    );
    return;
  }
  if (isSeq(node)) {
    for (const item of node.items) if (isMap(item) || isSeq(item)) walkValues(scan, item, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  for (const { key, value } of mapEntries(node, scan.doc)) {
    if (isImageKey(key) && reportImage(scan, key, value)) continue;
    if (isMap(value) || isSeq(value)) walkValues(scan, value, depth + 1);
  }
}

function isImageKey(key: string): boolean {
  return key === 'image' || /[a-z0-9]Image$/.test(key);
}

/** Reports the image under an image key; false when the value is not an image, so the walk goes on. */
function reportImage(scan: YamlScan, key: string, value: unknown): boolean {
  const node = resolveNode(value, scan.doc);
  if (isMap(node) && lookup(node, 'repository', scan.doc)) {
    reportImageBlock(scan, node);
    return true;
  }
  if (key === 'image' && isScalar(node)) {
    reportScalar(scan, node, 'helm');
    return true;
  }
  return false;
}

/**
 * `{registry, repository, tag, digest}` → `registry/repository:tag@digest`. A missing or empty tag
 * (without a digest) is the chart's convention for "use Chart.yaml's appVersion", which this file
 * does not hold: a notice, not a guess.
 */
function reportImageBlock(scan: YamlScan, mapping: YAMLMap): void {
  const fields = fieldSpans(scan, mapping, IMAGE_KEYS);
  const repository = fields?.repository;
  if (!fields || !repository || repository.value.trim() === '') return;
  const registry = nonEmpty(fields.registry);
  const tag = nonEmpty(fields.tag);
  const digest = nonEmpty(fields.digest);
  const name = registry ? `${registry}/${repository.value.trim()}` : repository.value.trim();
  if (!tag && !digest && !hasTag(name)) {
    const line = scan.lines.positionAt(repository.start).line;
    diagnose(scan, line, 'notice', `image ${quote(name)} has no tag; the chart's appVersion supplies it`);
    return;
  }
  const text = name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
  reportFields(scan, { kind: 'helm', fields, main: repository, mapping, text });
}

function nonEmpty(span: ScalarSpan | undefined): string | undefined {
  const value = span?.value.trim();
  return value ? value : undefined;
}

function hasTag(name: string): boolean {
  return name.lastIndexOf(':') > name.lastIndexOf('/');
}
