/**
 * Images split across the keys of one mapping, as Helm charts and operators write them:
 * `{registry, repository, tag, digest}` (Bitnami), `{repository, tag, sha}` (prometheus-community),
 * and the key variants charts use for the name (`repo`, `image`, `name`). Shared by the Helm
 * values finder and the custom-resource walk of the Kubernetes finder.
 */
import type { YAMLMap } from 'yaml';
import type { ScalarSpan } from '../types.js';
import { isScalar } from './guards.js';
import { getNode } from './nodes.js';
import { diagnose, lineOf, quote, templateIn, type YamlScan } from './scan.js';
import { scalarSpan } from './span.js';

/** The parts of a split image. */
export type ImageField = 'registry' | 'repository' | 'tag' | 'digest';

/** Keys that may hold the repository, in the order they are tried. */
const REPOSITORY_KEYS = ['repository', 'repo', 'image', 'name'] as const;

/**
 * A repository that is a source-code or chart location, not an image: a URL, a Git remote, or a
 * path on a code host (`github.com/org/repo` would otherwise parse as a registry reference).
 */
const SOURCE_LOCATION =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)\/)/i;

/** A mapping read as a split image. */
export interface ImageBlock {
  mapping: YAMLMap;
  /** The parts present with a non-null scalar value, by part. */
  fields: Partial<Record<ImageField, ScalarSpan>>;
  /** The key each part is written under, where it is not the part's own name (`repository: 'name'`). */
  keys: Record<string, string>;
  /** Set when the block pins a digest through `sha` (bare hex): it reads, but cannot be rewritten. */
  bareSha?: string;
}

/** Options of readImageBlock. */
export interface BlockOptions {
  /** Whether `name` may hold the repository (only under an image key). Default: false. */
  allowName?: boolean;
  /** Report templated parts as warnings (true) or pass over them silently. Default: true. */
  diagnose?: boolean;
}

/**
 * Reads `map` as a split image, or undefined when it has no repository string (or a part is
 * templated: then a warning says so, unless `options.diagnose` is false).
 */
export function readImageBlock(
  scan: YamlScan,
  map: YAMLMap,
  options: BlockOptions = {},
): ImageBlock | undefined {
  const repositoryKey = REPOSITORY_KEYS.find((key) => {
    if (key === 'name' && !options.allowName) return false;
    const node = getNode(map, key, scan.doc);
    return (
      isScalar(node) &&
      typeof node.value === 'string' &&
      node.value.trim() !== '' &&
      !SOURCE_LOCATION.test(node.value.trim())
    );
  });
  if (repositoryKey === undefined) return undefined;
  const block: ImageBlock = { mapping: map, fields: {}, keys: {} };
  const wanted: [ImageField, string][] = [
    ['registry', 'registry'],
    ['repository', repositoryKey],
    ['tag', 'tag'],
    ['digest', 'digest'],
  ];
  for (const [field, key] of wanted) {
    const span = partSpan(scan, map, key, options);
    if (span === 'templated') return undefined;
    if (!span) continue;
    block.fields[field] = span;
    if (key !== field) block.keys[field] = key;
  }
  if (!block.fields.digest) {
    const sha = partSpan(scan, map, 'sha', options);
    if (sha === 'templated') return undefined;
    const hex = sha?.value.trim();
    if (hex) block.bareSha = hex.includes(':') ? hex : `sha256:${hex}`;
  }
  return block;
}

function partSpan(
  scan: YamlScan,
  map: YAMLMap,
  key: string,
  options: BlockOptions,
): ScalarSpan | 'templated' | undefined {
  const node = getNode(map, key, scan.doc);
  const span = isScalar(node) ? scalarSpan(node, scan.content) : undefined;
  if (!node || !span) return undefined;
  const template = templateIn(span.value);
  if (!template) return span;
  if (options.diagnose !== false) {
    const message = `${key} ${quote(span.value)} contains ${template}, resolved only at deploy time`;
    diagnose(scan, lineOf(scan, node), 'warning', message);
  }
  return 'templated';
}

/** The trimmed value of a part, or undefined when it is missing or empty. */
export function partValue(block: ImageBlock, field: ImageField): string | undefined {
  const value = block.fields[field]?.value.trim();
  return value ? value : undefined;
}

/** True when a name already carries a tag (`nginx:1.25`; a `:` before a `/` is a port). */
export function hasTag(name: string): boolean {
  return name.lastIndexOf(':') > name.lastIndexOf('/');
}

/**
 * The reference text of a block: `registry/repository:tag@digest`, with `registry` replaced by
 * `registryOverride` when one is given (Helm's `global.imageRegistry`) and `defaultTag` used when
 * the block sets neither tag nor digest. Undefined when it has neither and no default is given.
 */
export function blockReference(
  block: ImageBlock,
  options: { registryOverride?: string; defaultTag?: string } = {},
): string | undefined {
  const repository = partValue(block, 'repository');
  if (!repository) return undefined;
  const registry = options.registryOverride ?? partValue(block, 'registry');
  const name = registry ? `${registry.replace(/\/+$/, '')}/${repository}` : repository;
  const digest = partValue(block, 'digest') ?? block.bareSha;
  const tag = partValue(block, 'tag') ?? (digest || hasTag(name) ? undefined : options.defaultTag);
  if (!tag && !digest && !hasTag(name)) return undefined;
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}
