import path from 'node:path/posix';
import type { Node, YAMLMap } from 'yaml';
import { repositoryName, tryParseReference } from '../../reference/index.js';
import { extractCloudBuild } from '../cloudbuild/extract.js';
import { extractCompose } from '../compose/extract.js';
import { chartOf } from '../helm/chart.js';
import { extractHelmValues } from '../helm/extract.js';
import { extractHelmTemplate, isHelmTemplate } from '../helm/template.js';
import type { ExtractResult, FinderContext } from '../types.js';
import { asMap, getNode, getPath, getText, seqItems } from '../yaml/nodes.js';
import { matchesAtLineStart, mayContainKeys } from '../yaml/parse.js';
import { diagnose, lineOf, scanYaml, type YamlScan } from '../yaml/scan.js';
import { extractCustomResource } from './custom-resource.js';
import { extractPodSpec, podSpecPath } from './pod-spec.js';

/** `List` inside `List` is not something kubectl prints; the bound only stops hostile input. */
const MAX_LIST_DEPTH = 4;
/**
 * Words every object with an image has, each as its alternatives. The image keys the finder takes
 * (`image`, `dockerImage`, `serverImage`, `imageName`) all hold `image` or `Image`.
 */
const WORKLOAD_WORDS: readonly (readonly string[])[] = [['image', 'Image'], ['kind'], ['apiVersion']];

/** After a key at the start of a line: its colon and nothing but a comment (sticky, for matchesAtLineStart). */
const BARE_KEY = /[ \t]*:[ \t]*(?:#.*)?$/my;
/** After `apiVersion` at the start of a line: its colon. */
const KEY_COLON = /\s*:/y;

/**
 * Extracts the images of every Kubernetes, Knative and Cloud Run object in a YAML stream. Only
 * documents with both `apiVersion` and `kind` are read as objects, so YAML that merely has an
 * `image:` key (an mkdocs config) yields nothing. The content also recognises other formats in
 * files no name claimed: Helm templates (line by line), values files inside a chart, compose
 * files (a top-level `services:` map) and Cloud Build configs (a top-level `steps:` list).
 */
export function extractKubernetes(content: string, file: string, context?: FinderContext): ExtractResult {
  if (isHelmTemplate(content, file)) return extractHelmTemplate(content, file);
  const hasObjects = mayBeWorkload(content);
  if (!hasObjects && /\.ya?ml$/.test(file) && chartOf(file, context?.project))
    return extractHelmValues(content, file, context);
  const results: ExtractResult[] = [];
  if (hasObjects) {
    // The same test per document skips the Services and ConfigMaps that share a file with a Deployment.
    const options = context ? { keepDocument: mayBeWorkload, context } : { keepDocument: mayBeWorkload };
    results.push(scanYaml(content, file, (scan, root) => extractKubernetesObject(scan, root), options));
  }
  if (!matchesAtLineStart(content, 'apiVersion', KEY_COLON)) {
    // A top-level `services:` (compose files under other names, swarm stacks) or `steps:` (Cloud
    // Build configs under other names).
    if (matchesAtLineStart(content, 'services', BARE_KEY))
      results.push(extractCompose(content, file, context));
    if (matchesAtLineStart(content, 'steps', BARE_KEY))
      results.push(extractCloudBuild(content, file, { byContent: true }));
  }
  return merge(results);
}

function merge(results: ExtractResult[]): ExtractResult {
  if (results.length === 1) return results[0]!;
  const merged: ExtractResult = { occurrences: [], diagnostics: [] };
  for (const result of results) {
    merged.occurrences.push(...result.occurrences);
    merged.diagnostics.push(...result.diagnostics);
    if (result.buildOutputs) merged.buildOutputs = [...(merged.buildOutputs ?? []), ...result.buildOutputs];
  }
  return merged;
}

/** False when the text lacks one of the keys every object with an image has. */
function mayBeWorkload(text: string): boolean {
  return WORKLOAD_WORDS.every((words) => mayContainKeys(text, words));
}

/**
 * Reports the images of one Kubernetes object (a document root or a `List` item). `inherited`
 * fills in `apiVersion`/`kind` for typed lists (`PodList`), whose items omit them.
 */
export function extractKubernetesObject(
  scan: YamlScan,
  node: Node,
  inherited?: { apiVersion: string; kind: string },
  depth = 0,
): void {
  const object = asMap(node, scan.doc);
  if (!object) return;
  const apiVersion = getText(object, 'apiVersion', scan.doc) ?? inherited?.apiVersion;
  const kind = getText(object, 'kind', scan.doc) ?? inherited?.kind;
  if (apiVersion === undefined || kind === undefined) return;
  if (kind === 'List' || kind.endsWith('List')) {
    extractList(scan, object, { apiVersion, kind }, depth);
    return;
  }
  if (apiVersion.startsWith('skaffold/')) {
    declareSkaffoldArtifacts(scan, object);
    return;
  }
  const { path: specPath, kind: occurrenceKind } = podSpecPath(apiVersion, kind);
  if (isBuiltIn(apiVersion)) {
    const podSpec = asMap(getPath(object, specPath, scan.doc), scan.doc);
    if (podSpec) extractPodSpec(scan, podSpec, occurrenceKind);
    return;
  }
  const spec = getNode(object, 'spec', scan.doc);
  if (spec) extractCustomResource(scan, spec, { apiVersion, kind: occurrenceKind });
}

/**
 * Kubernetes' own API groups: the core group, the dot-less ones (`apps`, `batch`) and `*.k8s.io`.
 * A CustomResourceDefinition is one of them (`apiextensions.k8s.io`), so its schema's `image`
 * properties are never read as images.
 */
function isBuiltIn(apiVersion: string): boolean {
  if (!apiVersion.includes('/')) return true;
  const group = apiVersion.slice(0, apiVersion.indexOf('/'));
  return !group.includes('.') || group.endsWith('.k8s.io');
}

function extractList(
  scan: YamlScan,
  list: YAMLMap,
  header: { apiVersion: string; kind: string },
  depth: number,
): void {
  if (depth >= MAX_LIST_DEPTH) {
    diagnose(
      scan,
      lineOf(scan, list),
      'warning',
      `lists nested deeper than ${MAX_LIST_DEPTH} levels are not scanned`,
    );
    return;
  }
  // A typed list (`PodList`) omits its items' kind; a plain `List`'s items always carry their own.
  const itemHeader =
    header.kind === 'List'
      ? undefined
      : { apiVersion: header.apiVersion, kind: header.kind.slice(0, -'List'.length) };
  for (const item of seqItems(getNode(list, 'items', scan.doc), scan.doc)) {
    extractKubernetesObject(scan, item, itemHeader, depth + 1);
  }
}

/**
 * Skaffold builds `build.artifacts[].image` (in profiles too) and puts the result in place of
 * that name in every manifest it deploys: build outputs for the skaffold.yaml's directory tree.
 */
function declareSkaffoldArtifacts(scan: YamlScan, config: YAMLMap): void {
  const builds = [getNode(config, 'build', scan.doc)];
  for (const profile of seqItems(getNode(config, 'profiles', scan.doc), scan.doc)) {
    const map = asMap(profile, scan.doc);
    if (map) builds.push(getNode(map, 'build', scan.doc));
  }
  for (const build of builds) {
    for (const artifact of seqItems(getPath(build, ['artifacts'], scan.doc), scan.doc)) {
      const map = asMap(artifact, scan.doc);
      const image = map && getText(map, 'image', scan.doc);
      const parsed = image ? tryParseReference(image.trim()) : undefined;
      if (!map || !parsed?.ok) continue;
      const line = lineOf(scan, getNode(map, 'image', scan.doc)!);
      const via = `skaffold build.artifacts of ${path.basename(scan.file)}`;
      scan.buildOutputs.push({
        name: repositoryName(parsed.reference),
        file: scan.file,
        line,
        via,
        scope: 'tree',
      });
    }
  }
}
