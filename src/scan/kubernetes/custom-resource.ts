/**
 * Custom resources: operators keep pod specs and images wherever their API puts them (Ray's
 * `headGroupSpec.template.spec`, JobSet's `replicatedJobs[].template.spec.template.spec`, ECK's
 * `nodeSets[].podTemplate.spec`, Prometheus's `spec.image`, redis-failover's
 * `spec.redis.image`). Under `spec`, every pod spec (a mapping with a `containers` list whose
 * containers name an image) is read like a workload's, and every other `image` (or `*Image`)
 * value is taken when it is unmistakably a reference: a string with a tag or a digest, or a
 * `{registry, repository, tag}` mapping with a tag or a digest. Never read: `status`, schemas, and keys
 * whose `image` is not a container image (`rbd.image` names a Ceph block device).
 */
import type { Node, YAMLMap } from 'yaml';
import type { OccurrenceKind, ScalarSpan } from '../types.js';
import { isMap, isScalar, isSeq } from '../yaml/guards.js';
import { blockReference, readImageBlock } from '../yaml/image-block.js';
import { mapEntries } from '../yaml/nodes.js';
import { reportFields, reportScalar, templateIn, type YamlScan } from '../yaml/scan.js';
import { extractPodSpec, isClearReference, isPodSpec } from './pod-spec.js';

/** Real resources nest a dozen levels; the bound keeps hostile nesting cheap. */
const MAX_DEPTH = 40;

/**
 * Subtrees never read for images: what a node reports (`status`), schemas (`openAPIV3Schema`),
 * and volume sources whose `image` is a storage image (Ceph RBD, CephFS, and their CSI kin).
 */
const SKIPPED_KEYS: ReadonlySet<string> = new Set([
  'status',
  'openAPIV3Schema',
  'validation',
  'schema',
  'rbd',
  'cephfs',
  'cinder',
  'iscsi',
]);

/** The keys extractPodSpec reads. */
const POD_SPEC_KEYS: ReadonlySet<string> = new Set([
  'containers',
  'initContainers',
  'ephemeralContainers',
  'volumes',
]);

/** Reports the images of a custom resource's `spec`. */
export function extractCustomResource(scan: YamlScan, spec: Node, kind: OccurrenceKind): void {
  walk(scan, spec, kind, 0);
}

function walk(scan: YamlScan, node: Node, kind: OccurrenceKind, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (isSeq(node)) {
    for (const item of node.items) if (isMap(item) || isSeq(item)) walk(scan, item, kind, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  // A pod spec's own keys are read as a pod spec; the rest of the mapping is searched as usual
  // (a Prometheus resource has both `spec.containers` overrides and `spec.image`).
  const podSpec = isPodSpec(scan, node);
  if (podSpec) extractPodSpec(scan, node, kind);
  for (const { key, value } of mapEntries(node, scan.doc)) {
    if (SKIPPED_KEYS.has(key) || (podSpec && POD_SPEC_KEYS.has(key))) continue;
    if ((key === 'image' || /[a-z0-9]Image$/.test(key)) && reportImage(scan, value, kind)) continue;
    if (isMap(value) || isSeq(value)) walk(scan, value, kind, depth + 1);
  }
}

/** Reports an image value; false when the value is not one, so the walk goes on below it. */
function reportImage(scan: YamlScan, value: unknown, kind: OccurrenceKind): boolean {
  if (isScalar(value)) {
    const text = typeof value.value === 'string' ? value.value : '';
    // A templated value of a generic key is not known to be an image: no warning, no guess.
    if (templateIn(text) || !isClearReference(value)) return true;
    reportScalar(scan, value, kind);
    return true;
  }
  if (!isMap(value)) return false;
  return reportBlock(scan, value, kind);
}

/** `{registry?, repository, tag?, digest?}`: taken when it names a tag or a digest. */
function reportBlock(scan: YamlScan, map: YAMLMap, kind: OccurrenceKind): boolean {
  const block = readImageBlock(scan, map, { allowName: false, diagnose: false });
  const repository = block?.fields.repository;
  if (!block || !repository) return false;
  const text = blockReference(block);
  if (text === undefined) return true;
  const fields = block.fields as Record<string, ScalarSpan>;
  const keys = Object.keys(block.keys).length > 0 ? { keys: block.keys } : {};
  const notRewritable = block.bareSha
    ? { notRewritable: 'the digest is a bare sha key, which a rewrite does not write' }
    : {};
  reportFields(scan, {
    kind,
    format: 'helm',
    fields,
    main: repository,
    mapping: map,
    text,
    ...keys,
    ...notRewritable,
  });
  return true;
}
