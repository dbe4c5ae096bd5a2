import type { Node, Scalar, YAMLMap } from 'yaml';
import type { ExtractResult, FinderContext, ScalarSpan } from '../types.js';
import { isMap, isScalar, isSeq } from '../yaml/guards.js';
import { blockReference, hasTag, type ImageBlock, readImageBlock } from '../yaml/image-block.js';
import { getNode, getPath, lookup, mapEntries, resolveNode } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import {
  diagnose,
  lineOf,
  quote,
  reportFields,
  reportScalar,
  scanYaml,
  type YamlScan,
} from '../yaml/scan.js';
import { scalarSpan } from '../yaml/span.js';
import { type ChartInfo, chartOf, defaultTag, isPrefixInTemplates, templateDefault } from './chart.js';

/** Real values files nest a dozen levels at most; the bound turns hostile nesting into a diagnostic. */
export const MAX_VALUES_DEPTH = 64;

/** What the walk of one values document knows. */
interface Walk {
  scan: YamlScan;
  chart: ChartInfo | undefined;
  /** `global.imageRegistry` when set: Bitnami-style helpers put it in front of every image. */
  registryOverride: string | undefined;
}

/**
 * Extracts the images of a Helm chart's values file, at any depth: `image:` blocks
 * (`{registry, repository, tag, digest}` and the `repo`/`image`/`name` variants), blocks nested
 * under an image key (`image.busybox`, `images.<name>`), any mapping with a `repository` and a
 * `tag`, keys ending in `Image`, `image: "repo:tag"` strings and `image` + `imageTag` pairs. An
 * empty tag takes the chart's `appVersion` (from `Chart.yaml`, read through `context.project`).
 */
export function extractHelmValues(content: string, file: string, context?: FinderContext): ExtractResult {
  if (!mayContainKeys(content, ['image', 'Image', 'repository'])) return { occurrences: [], diagnostics: [] };
  const chart = chartOf(file, context?.project);
  const visit = (scan: YamlScan, root: Node) => {
    const walk: Walk = { scan, chart, registryOverride: globalRegistry(scan, root) };
    walkValues(walk, root, { depth: 0, path: [], inImage: false });
  };
  return scanYaml(content, file, visit, context ? { context } : {});
}

function globalRegistry(scan: YamlScan, root: Node): string | undefined {
  const node = getPath(root, ['global', 'imageRegistry'], scan.doc);
  const value = isScalar(node) && typeof node.value === 'string' ? node.value.trim() : '';
  return value === '' ? undefined : value;
}

/** Where the walk is: nesting depth, the keys from the root (`[]` inside sequences), and whether an image key is above. */
interface Place {
  depth: number;
  path: readonly string[] | undefined;
  inImage: boolean;
}

/**
 * Walks the tree as written. Aliases are not followed while walking (the anchored node is walked
 * where it is defined, and following them would let a few lines of aliases fan out without bound);
 * an alias right under an image key is resolved, since that is the image.
 */
function walkValues(walk: Walk, node: Node, place: Place): void {
  const { scan } = walk;
  if (place.depth > MAX_VALUES_DEPTH) {
    const message = `values nested deeper than ${MAX_VALUES_DEPTH} levels are not scanned`;
    diagnose(scan, lineOf(scan, node), 'warning', message);
    return;
  }
  if (isSeq(node)) {
    const inner = { depth: place.depth + 1, path: undefined, inImage: place.inImage };
    for (const item of node.items) if (isMap(item) || isSeq(item)) walkValues(walk, item, inner);
    return;
  }
  if (!isMap(node)) return;
  for (const { key, value } of mapEntries(node, scan.doc)) {
    const path = place.path && [...place.path, key];
    const imageKey = isImageKey(key);
    if (imageKey && reportImageValue(walk, { key, value, parent: node, path })) continue;
    const map = isMap(value) ? value : undefined;
    if (
      map &&
      !imageKey &&
      (place.inImage || isRepositoryAndTag(walk, key, map)) &&
      reportBlock(walk, map, path, place.inImage)
    )
      continue;
    if (isMap(value) || isSeq(value)) {
      walkValues(walk, value, { depth: place.depth + 1, path, inImage: place.inImage || imageKey });
    }
  }
}

/** `image`, `images`, and keys ending in `Image` (`kubectlImage`, `sidecarImage`). */
function isImageKey(key: string): boolean {
  return key === 'image' || key === 'images' || /[a-z0-9]Image$/.test(key);
}

/** Keys naming what runs an image: a `{repository, tag}` under one is that container's image. */
const CONTAINER_KEY = /container|sidecar/i;

/**
 * True for a mapping outside any image key that is still an image block: a `repository` with a
 * `tag` or `digest`, and something that says image: a key naming a container (`initContainer`,
 * `sidecar`), a `registry`, `digest` or `pullPolicy` key, or a repository with a `/`.
 * `backup: {repository: s3-backups, tag: nightly}` and `helmRepo: {repository: bitnami, tag: stable}`
 * are not images.
 */
function isRepositoryAndTag(walk: Walk, key: string, map: YAMLMap): boolean {
  const doc = walk.scan.doc;
  const repository = lookup(map, 'repository', doc);
  if (!repository || !(lookup(map, 'tag', doc) || lookup(map, 'digest', doc))) return false;
  if (CONTAINER_KEY.test(key) || ['registry', 'digest', 'pullPolicy'].some((k) => lookup(map, k, doc)))
    return true;
  const node = resolveNode(repository.value, doc);
  return isScalar(node) && typeof node.value === 'string' && node.value.includes('/');
}

interface KeyValue {
  key: string;
  value: unknown;
  parent: YAMLMap;
  path: readonly string[] | undefined;
}

/** Reports the image under an image key; false when the value is not an image, so the walk goes on. */
function reportImageValue(walk: Walk, entry: KeyValue): boolean {
  const { scan } = walk;
  const node = resolveNode(entry.value, scan.doc);
  if (isMap(node)) return reportBlock(walk, node, entry.path, true);
  if (!isScalar(node) || entry.key === 'images') return false;
  if (entry.key !== 'image') {
    // `defaultImage: nginx:1.25`: taken when it is clearly a reference (a tag or a digest).
    const text = typeof node.value === 'string' ? node.value.trim() : '';
    if (!text.includes('@') && !hasTag(text)) return false;
  }
  if (entry.key === 'image' && reportImageWithTagKey(walk, node, entry.parent)) return true;
  reportScalar(scan, node, 'helm');
  return true;
}

/** `image: docker.elastic.co/elasticsearch/elasticsearch` with `imageTag: 8.13.4` beside it. */
function reportImageWithTagKey(walk: Walk, node: Scalar, parent: YAMLMap): boolean {
  const { scan } = walk;
  const image = scalarSpan(node, scan.content);
  const tagNode = getNode(parent, 'imageTag', scan.doc);
  const tag = isScalar(tagNode) ? scalarSpan(tagNode, scan.content) : undefined;
  if (!image || !tag || hasTag(image.value.trim()) || image.value.includes('@') || tag.value.trim() === '')
    return false;
  if (scan.seen.has(image.start)) return true;
  const text = `${image.value.trim()}:${tag.value.trim()}`;
  const fields = { repository: image, tag };
  const keys = { repository: 'image', tag: 'imageTag' };
  reportFields(scan, { kind: 'helm', fields, main: image, mapping: parent, text, keys });
  return true;
}

/** Reports a mapping read as an image block; false when it is not one. */
function reportBlock(
  walk: Walk,
  map: YAMLMap,
  path: readonly string[] | undefined,
  underImageKey: boolean,
): boolean {
  const { scan, chart } = walk;
  const block = readImageBlock(scan, map, {
    allowName: underImageKey && hasTagOrRegistry(map, walk),
    diagnose: underImageKey,
  });
  const repository = block?.fields.repository;
  if (!block || !repository) return false;
  // reportFields marks the span as seen; the notices below mark it themselves.
  if (scan.seen.has(repository.start)) return true;
  const line = scan.lines.positionAt(repository.start).line;
  const repositoryKey = block.keys.repository ?? 'repository';
  if (chart && path && isPrefixInTemplates(chart, [...path, repositoryKey])) {
    scan.seen.add(repository.start);
    const message = `${quote(repository.value.trim())} is a prefix the chart's templates append image names to; not an image`;
    diagnose(scan, line, 'notice', message);
    return true;
  }
  const tag = chart ? defaultTag(chart) : undefined;
  const options = {
    ...(walk.registryOverride ? { registryOverride: walk.registryOverride } : {}),
    ...(tag ? { defaultTag: tag } : {}),
  };
  const text = blockReference(block, options);
  if (text === undefined) {
    scan.seen.add(repository.start);
    diagnose(
      scan,
      line,
      'notice',
      `image ${quote(repository.value.trim())} has no tag; ${noTagReason(chart, path)}`,
    );
    return true;
  }
  reportFields(scan, {
    kind: 'helm',
    fields: block.fields as Record<string, ScalarSpan>,
    main: repository,
    mapping: map,
    text,
    quiet: !underImageKey,
    ...rewriteOf(walk, block),
  });
  return true;
}

/** Why an empty tag was not filled in: no Chart.yaml, no appVersion, or templates that never use it. */
function noTagReason(chart: ChartInfo | undefined, path: readonly string[] | undefined): string {
  if (!chart) return "the chart's appVersion supplies it, and no Chart.yaml was read";
  if (!chart.appVersion)
    return `the chart's appVersion supplies it, and ${chart.directory}/Chart.yaml has no appVersion`;
  const literal = path && templateDefault(chart, [...path, 'tag']);
  const own = literal === undefined ? '' : `; they default it to ${quote(literal)}`;
  return `the chart's templates do not use .Chart.AppVersion (${chart.appVersion}) for it${own}`;
}

function hasTagOrRegistry(map: YAMLMap, walk: Walk): boolean {
  const doc = walk.scan.doc;
  return Boolean(lookup(map, 'tag', doc) || lookup(map, 'registry', doc) || lookup(map, 'digest', doc));
}

/** The key names and the rewrite limits of a block. */
function rewriteOf(walk: Walk, block: ImageBlock): { keys?: Record<string, string>; notRewritable?: string } {
  const result: { keys?: Record<string, string>; notRewritable?: string } = {};
  if (Object.keys(block.keys).length > 0) result.keys = block.keys;
  if (walk.registryOverride)
    result.notRewritable = `global.imageRegistry (${walk.registryOverride}) sets the registry of every image, so the block alone cannot be rewritten`;
  else if (block.bareSha)
    result.notRewritable =
      'the digest is a bare sha key that the templates prefix with sha256:, which a rewrite does not write';
  return result;
}
