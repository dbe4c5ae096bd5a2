/**
 * Edits for images split across the keys of one YAML mapping: Kustomize `images:` entries and
 * Helm `image:` blocks. Existing keys are replaced in their own style; missing keys are inserted
 * at the end of the mapping (block: a new line at the mapping's indent with the file's line
 * ending; flow: `, key: value` before the closing brace). See readme.md for the conventions.
 */
import type { ImageReference } from '../reference/types.js';
import type { MappingInfo, RewriteTarget, ScalarSpan } from '../scan/types.js';
import { checkSpan } from './span-check.js';
import type { Splice } from './splice.js';
import { encodeDouble, encodeScalar, isSafePlain } from './yaml-scalar.js';

/** A `fields` rewrite target. */
export type FieldsTarget = Extract<RewriteTarget, { type: 'fields' }>;

/** The splices for one target, or why it cannot be rewritten. */
export type SplicesResult = { ok: true; splices: Splice[] } | { ok: false; reason: string };

/** Collects replacements of existing keys and lines for missing ones. */
class FieldWriter {
  readonly splices: Splice[] = [];
  readonly inserts: [key: string, value: string][] = [];
  problem: string | undefined;

  constructor(
    private readonly content: string,
    private readonly fields: Record<string, ScalarSpan>,
    /** The key a part is written under when it is not the part's name (`repository` → `name`). */
    private readonly keys: Record<string, string> = {},
  ) {}

  has(key: string): boolean {
    return this.fields[key] !== undefined;
  }

  /** Sets `key` to `value`: replaced in place when present (skipped when equal), else inserted. */
  set(key: string, value: string): void {
    const span = this.fields[key];
    if (!span) {
      this.inserts.push([this.keys[key] ?? key, value]);
      return;
    }
    const mismatch = checkSpan(this.content, span);
    if (mismatch) this.problem ??= `${key}: ${mismatch}`;
    if (span.value === value) return;
    const encoded = encodeScalar(this.content.slice(span.start, span.end), span.style, value);
    if (encoded.ok) this.splices.push({ start: span.start, end: span.end, text: encoded.text });
    else this.problem ??= `${key}: ${encoded.reason}`;
  }
}

/** The splices that make a Kustomize or Helm mapping resolve to `destination`. */
export function fieldSplices(
  content: string,
  target: FieldsTarget,
  destination: ImageReference,
  eol: string,
): SplicesResult {
  const writer = new FieldWriter(content, target.fields, target.keys);
  if (target.format === 'kustomize') writeKustomize(writer, destination);
  else writeHelm(writer, destination);
  if (writer.problem) return { ok: false, reason: writer.problem };
  const splices = [...writer.splices];
  if (writer.inserts.length > 0) splices.push(insertion(content, target.mapping, writer.inserts, eol));
  return { ok: true, splices };
}

/**
 * The reference a scanner reads back from a rewritten target. Kustomize applies `digest` instead
 * of `newTag` (`newName@digest`), so the tag written for readers is not part of it; everything
 * else reads back as written.
 */
export function effectiveReference(target: RewriteTarget, destination: ImageReference): ImageReference {
  if (target.type === 'fields' && target.format === 'kustomize' && destination.digest !== undefined)
    return { ...destination, tag: undefined };
  return destination;
}

/** `newName` always, `newTag` when the reference has a tag, `digest` when it has one; never `name`. */
function writeKustomize(writer: FieldWriter, destination: ImageReference): void {
  writer.set('newName', `${destination.registry}/${destination.repository}`);
  if (destination.tag !== undefined) writer.set('newTag', destination.tag);
  if (destination.digest !== undefined) writer.set('digest', destination.digest);
}

/**
 * `registry` + `repository` (or a host-qualified `repository` when there is no `registry` key);
 * the digest goes into an existing `digest` key, else into `tag` as `<tag>@<digest>`, which the
 * usual `{{ repository }}:{{ tag }}` template renders as a valid pinned reference.
 */
function writeHelm(writer: FieldWriter, destination: ImageReference): void {
  if (!writer.has('repository')) {
    writer.problem = 'the Helm image block has no repository key';
    return;
  }
  if (writer.has('registry')) {
    writer.set('registry', destination.registry);
    writer.set('repository', destination.repository);
  } else {
    writer.set('repository', `${destination.registry}/${destination.repository}`);
  }
  if (writer.has('digest')) {
    if (destination.digest !== undefined) writer.set('digest', destination.digest);
    if (destination.tag !== undefined && writer.has('tag')) writer.set('tag', destination.tag);
  } else if (destination.digest !== undefined) {
    if (destination.tag === undefined) writer.problem = 'a digest-only Helm image needs a digest key';
    else writer.set('tag', `${destination.tag}@${destination.digest}`);
  }
}

/** One splice adding `key: value` lines (block) or `, key: value` pairs (flow) at the mapping's end. */
function insertion(
  content: string,
  mapping: MappingInfo,
  inserts: readonly [string, string][],
  eol: string,
): Splice {
  const pairs = inserts.map(([key, value]) => `${key}: ${isSafePlain(value) ? value : encodeDouble(value)}`);
  if (mapping.flow) {
    // Insert after the last value, before any space and the closing brace.
    let at = content[mapping.end - 1] === '}' ? mapping.end - 1 : mapping.end;
    while (at > mapping.start && /\s/.test(content[at - 1]!)) at--;
    return { start: at, end: at, text: pairs.map((pair) => `, ${pair}`).join('') };
  }
  const indent = ' '.repeat(mapping.indent);
  if (mapping.end > 0 && content[mapping.end - 1] === '\n') {
    // The last value was a block scalar that ends with its line break: add whole lines here.
    const text = pairs.map((pair) => `${indent}${pair}${eol}`).join('');
    return { start: mapping.end, end: mapping.end, text };
  }
  // After the last value's line (behind any trailing comment), before its line break.
  const lineEnd = content.indexOf('\n', mapping.end);
  let at = lineEnd < 0 ? content.length : lineEnd;
  if (at > 0 && content[at - 1] === '\r') at--;
  return { start: at, end: at, text: pairs.map((pair) => `${eol}${indent}${pair}`).join('') };
}
