/**
 * Custom resources: operators keep pod specs and images wherever their API puts them (Ray's
 * `headGroupSpec.template.spec`, JobSet's `replicatedJobs[].template.spec.template.spec`, ECK's
 * `nodeSets[].podTemplate.spec`, Prometheus's `spec.image`, redis-failover's
 * `spec.redis.image`). Under `spec`, every pod spec (a mapping whose `containers`,
 * `initContainers` or `ephemeralContainers` name an image) is read like a workload's, and every
 * other `image`, `*Image` or `imageName` value is taken when it is unmistakably a reference: a
 * string with a tag or a digest, an `{reference}` image volume source, or a
 * `{registry, repository, tag}` mapping with a tag or a digest. Never read: `status`, schemas, keys
 * whose `image` is not a container image (`rbd.image` names a Ceph block device), and the patterns
 * of Kyverno policies.
 */
import type { Node, YAMLMap } from 'yaml';
import type { OccurrenceKind, ScalarSpan } from '../types.js';
import { isMap, isScalar, isSeq } from '../yaml/guards.js';
import { blockReference, readImageBlock } from '../yaml/image-block.js';
import { getNode, mapEntries } from '../yaml/nodes.js';
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

/**
 * Kyverno policies (`kyverno.io`, `*.kyverno.io`) write pod shapes that are patterns other
 * resources are matched against (`validate.pattern.spec.containers[].image: "!*:latest"`), in
 * `pattern`, `anyPattern`, `deny` and `preconditions` (in `foreach` entries too), and image
 * patterns to check signatures of (`verifyImages`). None is pulled, so they are passed over
 * silently. A mutate patch (`patchStrategicMerge`) sets an image that runs, and is read.
 */
const POLICY_PATTERN_KEYS: ReadonlySet<string> = new Set([
  ...SKIPPED_KEYS,
  'pattern',
  'anyPattern',
  'deny',
  'preconditions',
  'verifyImages',
]);

/** The keys extractPodSpec reads. */
const POD_SPEC_KEYS: ReadonlySet<string> = new Set([
  'containers',
  'initContainers',
  'ephemeralContainers',
  'volumes',
]);

/** What the walk of one resource knows: its occurrence kind and the keys it never enters. */
interface Walk {
  scan: YamlScan;
  kind: OccurrenceKind;
  skipped: ReadonlySet<string>;
}

/** Reports the images of a custom resource's `spec`; `apiVersion` tells policies apart. */
export function extractCustomResource(
  scan: YamlScan,
  spec: Node,
  resource: { apiVersion: string; kind: OccurrenceKind },
): void {
  const group = resource.apiVersion.split('/')[0] ?? '';
  const isPolicy = group === 'kyverno.io' || group.endsWith('.kyverno.io');
  walk({ scan, kind: resource.kind, skipped: isPolicy ? POLICY_PATTERN_KEYS : SKIPPED_KEYS }, spec, 0);
}

function walk(context: Walk, node: Node, depth: number): void {
  const { scan, kind } = context;
  if (depth > MAX_DEPTH) return;
  if (isSeq(node)) {
    for (const item of node.items) if (isMap(item) || isSeq(item)) walk(context, item, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  // A pod spec's own keys are read as a pod spec; the rest of the mapping is searched as usual
  // (a Prometheus resource has both `spec.containers` overrides and `spec.image`).
  const podSpec = isPodSpec(scan, node);
  if (podSpec) extractPodSpec(scan, node, kind);
  for (const { key, value } of mapEntries(node, scan.doc)) {
    if (context.skipped.has(key) || (podSpec && POD_SPEC_KEYS.has(key))) continue;
    if (isImageKey(key) && reportImage(scan, value, kind)) continue;
    if (isMap(value) || isSeq(value)) walk(context, value, depth + 1);
  }
}

/**
 * The keys operators name an image with: `image`, `*Image` (Zalando's `dockerImage`, K8ssandra's
 * `serverImage`) and CloudNativePG's `imageName`. `imageRef` is left out: in the wild it names
 * OpenStack and design-tool images far more often than container images.
 */
function isImageKey(key: string): boolean {
  return key === 'image' || key === 'imageName' || /[a-z0-9]Image$/.test(key);
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
  // `{reference: …}`: Kubernetes' image volume source, as CloudNativePG's extensions write it.
  const reference = getNode(value, 'reference', scan.doc);
  if (isScalar(reference)) return reportImage(scan, reference, kind);
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
