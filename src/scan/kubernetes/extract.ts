import type { Node, YAMLMap } from 'yaml';
import type { ExtractResult, OccurrenceKind } from '../types.js';
import { asMap, getNode, getPath, getText, seqItems } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { diagnose, lineOf, reportScalar, scanYaml, type YamlScan } from '../yaml/scan.js';

/** `List` inside `List` is not something kubectl prints; the bound only stops hostile input. */
const MAX_LIST_DEPTH = 4;
const CONTAINER_KEYS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const WORKLOAD_KEYS = ['image', 'kind', 'apiVersion'];

/** Where a kind keeps its pod spec, as a key path from the document root. */
interface PodSpecPath {
  path: readonly string[];
  kind: OccurrenceKind;
}

/**
 * Extracts the images of every Kubernetes, Knative and Cloud Run object in a YAML stream. Only
 * documents with both `apiVersion` and `kind` are read, so YAML that merely has an `image:` key
 * (an mkdocs config) yields nothing. Helm chart templates are Go templates, not YAML: they get one
 * notice and are not parsed.
 */
export function extractKubernetes(content: string, file: string): ExtractResult {
  // A manifest needs all three keys; most YAML in a repository (CI, docs, app config) lacks one.
  if (!mayBeWorkload(content)) return { occurrences: [], diagnostics: [] };
  if (isHelmTemplate(content, file)) {
    const message =
      'Helm chart template (Go template syntax) not scanned; its images come from the values file';
    return { occurrences: [], diagnostics: [{ file, line: 0, severity: 'notice', message }] };
  }
  // The same test per document skips the Services and ConfigMaps that share a file with a Deployment.
  return scanYaml(content, file, (scan, root) => extractKubernetesObject(scan, root), mayBeWorkload);
}

/** False when the text lacks one of the keys every object with an image has. */
function mayBeWorkload(text: string): boolean {
  return WORKLOAD_KEYS.every((key) => mayContainKeys(text, [key]));
}

function isHelmTemplate(content: string, file: string): boolean {
  return /(?:^|\/)templates\//.test(file) && content.includes('{{');
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
  const { path, kind: occurrenceKind } = podSpecPath(apiVersion, kind);
  const podSpec = asMap(getPath(object, path, scan.doc), scan.doc);
  if (podSpec) extractPodSpec(scan, podSpec, occurrenceKind);
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
 * The pod spec's place for each kind. Anything not listed is read at `spec.template.spec`: that
 * covers Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and custom
 * resources built on a pod template (Argo Rollouts); objects without one (ConfigMap) yield nothing.
 */
export function podSpecPath(apiVersion: string, kind: string): PodSpecPath {
  const group = apiVersion.split('/')[0] ?? '';
  if (group === 'serving.knative.dev') {
    return { path: kind === 'Revision' ? ['spec'] : ['spec', 'template', 'spec'], kind: 'knative' };
  }
  if (group === 'run.googleapis.com') {
    // A Cloud Run Job's template is an execution template holding a task template.
    const path =
      kind === 'Job' ? ['spec', 'template', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
    return { path, kind: 'cloud-run' };
  }
  if (kind === 'Pod') return { path: ['spec'], kind: 'kubernetes' };
  if (kind === 'PodTemplate') return { path: ['template', 'spec'], kind: 'kubernetes' };
  if (kind === 'CronJob')
    return { path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], kind: 'kubernetes' };
  return { path: ['spec', 'template', 'spec'], kind: 'kubernetes' };
}

/** Reports container images and image volumes (`volumes[].image.reference`) of one pod spec. */
export function extractPodSpec(scan: YamlScan, podSpec: YAMLMap, kind: OccurrenceKind): void {
  for (const key of CONTAINER_KEYS) {
    for (const container of seqItems(getNode(podSpec, key, scan.doc), scan.doc)) {
      const map = asMap(container, scan.doc);
      if (map) reportScalar(scan, getNode(map, 'image', scan.doc), kind);
    }
  }
  for (const volume of seqItems(getNode(podSpec, 'volumes', scan.doc), scan.doc)) {
    const map = asMap(volume, scan.doc);
    const source = map && asMap(getNode(map, 'image', scan.doc), scan.doc);
    if (source) reportScalar(scan, getNode(source, 'reference', scan.doc), kind);
  }
}
