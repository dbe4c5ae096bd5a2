/**
 * Applies planned edits to one file's text: exact splices in the original style, then a re-scan
 * that proves the result (verify.ts). Strings in, strings out; the caller writes the file only
 * when the result is ok, so a file that cannot be rewritten safely stays untouched.
 */
import type { Edit } from '../plan/types.js';
import { formatReference } from '../reference/index.js';
import type { RewriteTarget } from '../scan/types.js';
import { fieldSplices, type SplicesResult } from './fields.js';
import { checkSpan } from './span-check.js';
import { applySplices, mergeSplices, type Splice } from './splice.js';
import { rewriteProblem } from './targets.js';
import { type Extractor, verifyRewrite } from './verify.js';
import { encodeScalar } from './yaml-scalar.js';

export { effectiveReference } from './fields.js';
export { applySplices, mapOffset, mergeSplices, type Splice } from './splice.js';
export { rewriteProblem, unpinnedNote } from './targets.js';
export { type Extractor, type VerifyResult, verifyRewrite } from './verify.js';
export { encodeScalar, isSafePlain } from './yaml-scalar.js';

/** The new text and the edits that changed it, or why the file must stay as it is. */
export type RewriteResult = { ok: true; content: string; changed: Edit[] } | { ok: false; reason: string };

/**
 * Rewrites `content` so each edit's occurrence points to its destination, then re-extracts the
 * result with `extract` and verifies it. Edits that already hold their destination change nothing
 * and are not in `changed`. Everything outside the edited spans (comments, indentation, quoting,
 * CRLF, BOM, trailing newline or its absence) is kept byte for byte.
 */
export function applyEdits(
  file: string,
  content: string,
  edits: readonly Edit[],
  extract: Extractor,
): RewriteResult {
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const all: Splice[] = [];
  const changed: Edit[] = [];
  for (const edit of edits) {
    const line = `${file}:${edit.occurrence.start.line}`;
    if (edit.occurrence.file !== file) return fail(`${line}: the edit belongs to ${edit.occurrence.file}`);
    const result = editSplices(content, edit, eol);
    if (!result.ok) return fail(`${line}: ${result.reason}`);
    if (result.splices.length > 0) changed.push(edit);
    all.push(...result.splices);
  }
  if (all.length === 0) return { ok: true, content, changed };
  const merged = mergeSplices(all);
  if (!merged.ok) return fail(`${file}: ${merged.reason}`);
  const after = applySplices(content, merged.splices);
  const verified = verifyRewrite({ file, before: content, after, splices: merged.splices, edits, extract });
  if (!verified.ok) return fail(`${file}: the rewrite did not verify: ${verified.reason}`);
  return { ok: true, content: after, changed };
}

/** The splices of one edit (empty when its occurrence already points to the destination). */
function editSplices(content: string, edit: Edit, eol: string): SplicesResult {
  const target: RewriteTarget = edit.occurrence.target;
  if (target.type === 'none') return { ok: false, reason: `not rewritable: ${target.reason}` };
  if (target.type === 'fields') return fieldSplices(content, target, edit.destination, eol);
  const { scalar } = target;
  const problem = rewriteProblem(edit.occurrence) ?? checkSpan(content, scalar) ?? variableTagProblem(edit);
  if (problem) return { ok: false, reason: problem };
  const current = scalar.value.trim();
  const value =
    target.type === 'name'
      ? `${edit.destination.registry}/${edit.destination.repository}`
      : target.prefix + formatReference(edit.destination);
  if (current === value) return { ok: true, splices: [] };
  const encoded = encodeScalar(content.slice(scalar.start, scalar.end), scalar.style, value);
  if (!encoded.ok) return encoded;
  return { ok: true, splices: [{ start: scalar.start, end: scalar.end, text: encoded.text }] };
}

/**
 * A `name` target keeps the tag text (and anything after it) as written, so the result reads back
 * with the source's tag and digest: a destination with another tag or digest cannot be reached.
 */
function variableTagProblem(edit: Edit): string | undefined {
  if (edit.occurrence.target.type !== 'name') return undefined;
  const { tag, digest } = edit.occurrence.reference;
  if (edit.destination.tag === tag && edit.destination.digest === digest) return undefined;
  return `the tag comes from a variable and is kept, so the new reference must keep the source's tag and digest (${formatReference(edit.destination)} does not)`;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
