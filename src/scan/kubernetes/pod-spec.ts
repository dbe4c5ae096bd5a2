/**
 * Pod specs: where each built-in kind keeps one, and what a pod spec pulls (containers, init
 * and ephemeral containers, image volumes, and the image references operators take through
 * their container's environment, `RELATED_IMAGE_*`).
 */
import type { Node, YAMLMap } from 'yaml';
import { parseReference, tryParseReference } from '../../reference/index.js';
import { notMirroredReason } from '../placeholders.js';
import type { OccurrenceKind, ScalarSpan, ScalarStyle } from '../types.js';
import { isMap, isScalar } from '../yaml/guards.js';
import { asMap, getNode, getText, seqItems } from '../yaml/nodes.js';
import { reportScalar, textFact, type YamlScan } from '../yaml/scan.js';
import { scalarSpan } from '../yaml/span.js';

const CONTAINER_KEYS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/**
 * Environment variables that hand an operator the images it deploys: Operator Lifecycle
 * Manager's `RELATED_IMAGE_*` convention and names ending in `_IMAGE`. Their values are taken
 * only when they are unmistakably references (with a tag or a digest).
 */
const IMAGE_VARIABLE = /^RELATED_IMAGE_|_IMAGE$/;

/**
 * Container arguments that hand an operator an image (`--prometheus-config-reloader=…`,
 * `--acme-http01-solver-image=…`, `--sidecar-image …` is not matched: only the `=` form has one
 * scalar to point at). Taken only when the value is unmistakably a reference.
 */
const IMAGE_FLAG = /^--?[a-z0-9][a-z0-9.-]*(?:image|reloader)[a-z0-9.-]*=(.+)$/i;

const INNER: Partial<Record<ScalarStyle, ScalarStyle>> = {
  plain: 'plain-inner',
  double: 'double-inner',
  single: 'single-inner',
};

/** Where a kind keeps its pod spec, as a key path from the document root. */
export interface PodSpecPath {
  path: readonly string[];
  kind: OccurrenceKind;
}

/**
 * The pod spec's place for each kind. Anything not listed is read at `spec.template.spec`: that
 * covers Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController and Job; objects
 * without one (ConfigMap) yield nothing. Custom resources are searched instead (custom-resource.ts).
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

/**
 * True for a mapping that is a pod spec: a container of any of its lists (`containers`,
 * `initContainers`, `ephemeralContainers`) names an image. The lists count together: an ECK pod
 * template overrides its main container without an image and adds an init container with one.
 */
export function isPodSpec(scan: YamlScan, map: YAMLMap): boolean {
  return CONTAINER_KEYS.some((key) =>
    seqItems(getNode(map, key, scan.doc), scan.doc).some(
      (container) => isMap(container) && getNode(container, 'image', scan.doc) !== undefined,
    ),
  );
}

/** Reports the images of one pod spec. */
export function extractPodSpec(scan: YamlScan, podSpec: YAMLMap, kind: OccurrenceKind): void {
  // Cheap tests on the text first (once per file): most files have no image variables or flags.
  const variables = textFact(scan, 'image variables', (content) => content.includes('_IMAGE'));
  const flags = textFact(scan, 'image flags', mayHoldImageFlag);
  for (const key of CONTAINER_KEYS) {
    for (const container of seqItems(getNode(podSpec, key, scan.doc), scan.doc)) {
      const map = asMap(container, scan.doc);
      if (!map) continue;
      reportScalar(scan, getNode(map, 'image', scan.doc), kind);
      if (variables) reportImageVariables(scan, map, kind);
      if (flags) reportImageFlags(scan, map, kind);
    }
  }
  for (const volume of seqItems(getNode(podSpec, 'volumes', scan.doc), scan.doc)) {
    const map = asMap(volume, scan.doc);
    const source = map && asMap(getNode(map, 'image', scan.doc), scan.doc);
    if (source) reportScalar(scan, getNode(source, 'reference', scan.doc), kind);
  }
}

/**
 * True when the text holds `image` or `reloader` (any case), then letters, digits, `.` or `-`,
 * then `=`: what an IMAGE_FLAG needs, as `/(?:image|reloader)[a-z0-9.-]*=/i` tests it, but
 * looking only around each `=` instead of running a regex from every character.
 */
export function mayHoldImageFlag(content: string): boolean {
  for (let equals = content.indexOf('='); equals >= 0; equals = content.indexOf('=', equals + 1)) {
    let start = equals;
    // `=` is not one of these, so each run is walked once.
    while (start > 0 && isFlagCharacter(content.charCodeAt(start - 1))) start--;
    if (equals - start < 'image'.length) continue;
    const run = content.slice(start, equals).toLowerCase();
    if (run.includes('image') || run.includes('reloader')) return true;
  }
  return false;
}

/** [A-Za-z0-9.-]: what `[a-z0-9.-]` matches with the `i` flag (without `u`, only ASCII folds). */
function isFlagCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 46 ||
    code === 45
  );
}

function reportImageVariables(scan: YamlScan, container: YAMLMap, kind: OccurrenceKind): void {
  for (const variable of seqItems(getNode(container, 'env', scan.doc), scan.doc)) {
    const map = asMap(variable, scan.doc);
    const name = map && getText(map, 'name', scan.doc);
    if (!map || !name || !IMAGE_VARIABLE.test(name)) continue;
    const value = getNode(map, 'value', scan.doc);
    if (isClearReference(value)) reportScalar(scan, value, kind);
  }
}

function reportImageFlags(scan: YamlScan, container: YAMLMap, kind: OccurrenceKind): void {
  for (const key of ['args', 'command']) {
    for (const item of seqItems(getNode(container, key, scan.doc), scan.doc)) {
      const span = isScalar(item) ? scalarSpan(item, scan.content) : undefined;
      const value = span && IMAGE_FLAG.exec(span.value)?.[1];
      const style = span && INNER[span.style];
      if (!span || !value || !style || !isClearText(value) || notMirroredReason(value)) continue;
      if (scan.seen.has(span.start)) continue;
      // Only a flag whose source text is its value has a span for the image part alone.
      const from = span.style === 'plain' ? span.start : span.start + 1;
      if (scan.content.slice(from, from + span.value.length) !== span.value) continue;
      const start = from + span.value.length - value.length;
      const inner: ScalarSpan = { start, end: start + value.length, style, value };
      scan.seen.add(span.start);
      scan.occurrences.push({
        file: scan.file,
        kind,
        start: scan.lines.positionAt(inner.start),
        end: scan.lines.positionAt(inner.end),
        raw: value,
        reference: parseReference(value),
        target: { type: 'scalar', scalar: inner, prefix: '' },
      });
    }
  }
}

/**
 * True for a scalar that parses as a reference and says so plainly, with a tag or a digest:
 * `ubuntu-2204` (a machine image), `enabled`, or a repository an image-update tool watches
 * (`ghcr.io/org/app`) is not.
 */
export function isClearReference(node: Node | undefined): boolean {
  return isScalar(node) && typeof node.value === 'string' && isClearText(node.value.trim());
}

/** True for text that parses as a reference with a tag or a digest. */
function isClearText(text: string): boolean {
  if (!tryParseReference(text).ok) return false;
  const name = text.split('@')[0] ?? '';
  return text.includes('@') || name.lastIndexOf(':') > name.lastIndexOf('/');
}
