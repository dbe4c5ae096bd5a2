import type { Node } from 'yaml';
import { notMirroredReason } from '../placeholders.js';
import type { ExtractResult } from '../types.js';
import { asMap, getPath, seqItems } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { diagnose, fieldSpans, quote, reportFields, scanYaml, type YamlScan } from '../yaml/scan.js';

const IMAGE_KEYS = ['name', 'newName', 'newTag', 'digest'] as const;

/**
 * Extracts the `images:` entries of a kustomization. Each entry changes the images of the
 * resources it names; what runs is the entry's effective image, so that is what gets mirrored.
 */
export function extractKustomize(content: string, file: string): ExtractResult {
  if (!mayContainKeys(content, ['images'])) return { occurrences: [], diagnostics: [] };
  return scanYaml(content, file, (scan, root) => extractKustomization(scan, root));
}

/**
 * Reports every `images:` entry of one kustomization document. The effective image is
 * `(newName ?? name)` with `@digest`, else `:newTag`, else the tag written in the name; an entry
 * with none of these keeps the resources' own tag, which this file does not hold, so it is a
 * notice rather than a guess. Positions point at `newName` (the text a rewrite changes), or at
 * `name` when there is no `newName`; `name` only selects images and is never rewritten.
 */
export function extractKustomization(scan: YamlScan, root: Node): void {
  for (const entry of seqItems(getPath(root, ['images'], scan.doc), scan.doc)) {
    const mapping = asMap(entry, scan.doc);
    const fields = mapping && fieldSpans(scan, mapping, IMAGE_KEYS);
    const name = fields?.name;
    if (!mapping || !fields || !name) continue;
    const main = fields.newName ?? name;
    const base = main.value.trim();
    const digest = fields.digest?.value.trim();
    const tag = fields.newTag?.value.trim();
    const placeholder = notMirroredReason(base);
    if (placeholder) {
      const line = scan.lines.positionAt(main.start).line;
      diagnose(scan, line, 'notice', `image ${quote(base)} ${placeholder}`);
      continue;
    }
    if (!digest && !tag && !hasTag(base)) {
      const line = scan.lines.positionAt(main.start).line;
      diagnose(
        scan,
        line,
        'notice',
        `image ${quote(base)} sets no newTag or digest; its tag comes from the resources`,
      );
      continue;
    }
    const text = digest ? `${base}@${digest}` : tag ? `${base}:${tag}` : base;
    reportFields(scan, { kind: 'kustomize', fields, main, mapping, text });
  }
}

function hasTag(name: string): boolean {
  return name.lastIndexOf(':') > name.lastIndexOf('/');
}
