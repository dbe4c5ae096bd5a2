import type { Node } from 'yaml';
import { extractKubernetesObject } from '../kubernetes/extract.js';
import { extractKustomization } from '../kustomize/extract.js';
import type { ExtractResult } from '../types.js';
import { asMap, getText } from './nodes.js';
import { mayContainKeys } from './parse.js';
import { scanYaml, type YamlScan } from './scan.js';

/**
 * Extracts images from a YAML stream with no file name to go by (stdin, as in
 * `kubectl get pods -A -o yaml | ar-mirror scan -`): each document is read by its content. A
 * Kustomization (`kind: Kustomization` or `Component`) gives its `images:` entries; any other
 * document with `apiVersion` and `kind` is read as a Kubernetes, Knative or Cloud Run object,
 * `List`s included. Documents without both keys yield nothing.
 */
export function extractYamlStream(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, ['image'])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, extractDocument);
}

function extractDocument(scan: YamlScan, root: Node): void {
  const object = asMap(root, scan.doc);
  const kind = object && getText(object, 'kind', scan.doc);
  if (kind === 'Kustomization' || kind === 'Component') extractKustomization(scan, root);
  else extractKubernetesObject(scan, root);
}
